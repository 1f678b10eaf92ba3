"""An event's invitation as an iCalendar file (apps.core.ics): one UID per event, kept for good, and its
revision as the SEQUENCE, so a calendar app replaces the entry it has when the event moves, and removes it
when the event is cancelled (METHOD:CANCEL)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from apps.core.ics import CalendarEntry, calendar
from apps.events.models import Event
from apps.outreach.links import absolute_url


def event_url(event: Event) -> str:
    return absolute_url(reverse("events:detail", kwargs={"event_pk": event.pk}))


def event_uid(event: Event) -> str:
    host = urlsplit(settings.PORTAL_URL).hostname or "portal"
    return f"event-{event.pk}@{host}"


def event_entry(event: Event) -> CalendarEntry:
    return CalendarEntry(
        uid=event_uid(event),
        summary=event.title,
        start=event.starts_at,
        end=event.ends_at,
        description=event.description,
        location=event.online_url or event.place,
        url=event_url(event),
        sequence=event.sequence,
        cancelled=event.is_cancelled,
    )


def invitation(event: Event) -> bytes:
    """The event's .ics: a request to add it, or, once cancelled, to remove it."""
    method = "CANCEL" if event.is_cancelled else "PUBLISH"
    return calendar([event_entry(event)], method=method)


def invitation_filename(event: Event) -> str:
    return f"event-{event.pk}.ics"
