"""An event as a campaign's link (apps.outreach.links): the upcoming published events, and the event's page."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from apps.events.invitations import event_url
from apps.events.models import Event
from apps.events.selectors import upcoming_event_choices

__all__ = ["event_link", "event_links", "upcoming_event_choices"]


def event_link(value: str, msme: Any = None) -> str:
    """The event's page (the same for every MSME: registering needs signing in), or "" when it is gone."""
    return event_links(value)(msme)


def event_links(value: str) -> Callable[[Any], str]:
    """`event_link(value, ·)` for a batch of MSMEs: the event read once, the same page for each."""
    try:
        pk = uuid.UUID(str(value))
    except ValueError:
        return _nothing
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        return _nothing
    url = event_url(event)
    return lambda msme: url


def _nothing(msme: Any) -> str:
    return ""
