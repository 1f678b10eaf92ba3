"""Canned replies: a queue's ready answers with their placeholders filled in for one ticket."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from apps.helpdesk.models import CannedReply, Ticket

PLACEHOLDERS = ("msme_name", "requester_name", "agent_name", "reference")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def fill(body: str, *, ticket: Ticket, agent_name: str) -> str:
    """The reply's text for this ticket. One pass of plain replacement, not str.format: a body is written
    by agency staff and may hold other braces, which come out as they are (and never reach an attribute);
    a name that itself looks like a placeholder is not filled in again."""
    values = {
        # A person asking without a registered MSME is greeted by name rather than by a blank.
        "msme_name": ticket.msme_name or ticket.requester_name,
        "requester_name": ticket.requester_name,
        "agent_name": agent_name,
        "reference": ticket.reference,
    }
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], body)


def filled_replies(replies: Iterable[CannedReply], *, ticket: Ticket, agent_name: str) -> list[dict[str, Any]]:
    """[{id, title, body}] with each body filled in: what the reply box offers."""
    return [
        {"id": reply.pk, "title": reply.title, "body": fill(reply.body, ticket=ticket, agent_name=agent_name)}
        for reply in replies
    ]
