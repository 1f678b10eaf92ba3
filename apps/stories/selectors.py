"""Success stories' reads: the published ones of every agency (public), and an agency's own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet

from apps.core import policies
from apps.core.json_lists import with_value_in
from apps.core.policies import Actor
from apps.stories.models import Story
from apps.tenants.context import unscoped


@contextmanager
def reading_published() -> Iterator[None]:
    with unscoped("success stories: the published stories of every agency are public"):
        yield


def published(*, sector: str = "", country: str = "", ip: str = "", topic: str = "") -> QuerySet[Story]:
    """Every agency's published stories, newest first; read them inside `reading_published`."""
    with reading_published():
        queryset = Story.objects.filter(status=Story.Status.PUBLISHED).order_by("-published_at", "id")
    if sector:
        queryset = queryset.filter(sector_section=sector)
    if country:
        queryset = queryset.filter(country=country.upper())
    if ip:
        queryset = with_value_in(queryset, "ip_used", ip)
    if topic:
        queryset = with_value_in(queryset, "topics", topic)
    return queryset


def published_story(pk: Any) -> Story | None:
    try:
        pk = uuid.UUID(str(pk))
    except ValueError:
        return None
    with reading_published():
        return Story.objects.filter(pk=pk, status=Story.Status.PUBLISHED).first()


def for_topics(*, topics: list[str], sector: str = "", limit: int = 3) -> list[Story]:
    """The newest published stories of these topics, those of the sector first."""
    found: list[Story] = []
    with reading_published():
        for topic in topics[:10]:
            queryset = published(topic=topic)
            if sector:
                found += [s for s in queryset.filter(sector_section=sector)[:limit] if s not in found]
            found += [s for s in queryset[:limit] if s not in found]
            if len(found) >= limit:
                break
    return found[:limit]


def own_stories(actor: Actor) -> QuerySet[Story]:
    return policies.rows(actor, "stories.submit", Story.objects.order_by("-created_at", "id"))
