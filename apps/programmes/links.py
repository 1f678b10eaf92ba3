"""A course as a campaign's link (apps.outreach.links): the listed courses, and where each is taken."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from apps.outreach.links import absolute_url
from apps.programmes import selectors
from apps.programmes.models import Course


def course_choices() -> list[tuple[str, str]]:
    return [(str(course.pk), str(course)) for course in selectors.courses()[:200]]


def course_link(value: str, msme: Any = None) -> str:
    """The course's own address (the Academy's), else the portal's training page; "" when it is gone."""
    if not str(value).isdigit():
        return ""
    course = Course.objects.filter(pk=int(value), is_active=True).first()
    if course is None:
        return ""
    return course.url or absolute_url(reverse("programmes:training"))


def course_addresses() -> list[tuple[str, str]]:
    """The listed courses that have an address, for an event to be a session of (apps.events.courses)."""
    return [(course.url, str(course)) for course in selectors.courses()[:200] if course.url]
