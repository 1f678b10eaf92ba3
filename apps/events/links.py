"""An event as a campaign's link (apps.outreach.links): the upcoming published events, and the event's page."""

from __future__ import annotations

import uuid
from typing import Any

from apps.events.invitations import event_url
from apps.events.models import Event
from apps.events.selectors import upcoming_event_choices

__all__ = ["event_link", "upcoming_event_choices"]


def event_link(value: str, msme: Any = None) -> str:
    """The event's page (the same for every MSME: registering needs signing in), or "" when it is gone."""
    try:
        pk = uuid.UUID(str(value))
    except ValueError:
        return ""
    event = Event.objects.filter(pk=pk).first()
    return event_url(event) if event is not None else ""
