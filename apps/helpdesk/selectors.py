"""The helpdesk's reads that carry a rule: who sees which tickets, queues and messages."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet

from apps.core import policies
from apps.core.policies import Actor
from apps.helpdesk.filters import TicketFilterSet, filterset_for
from apps.helpdesk.models import Attachment, CannedReply, Message, Queue, Ticket, TicketLink


def tickets_visible(actor: Actor, *, rule: str = "helpdesk.view_ticket") -> QuerySet[Ticket]:
    queryset = Ticket.objects.select_related("queue", "assignee").order_by("-created_at", "id")
    return policies.rows(actor, rule, queryset)


def ticket_queue(actor: Actor, *, filters: Any = None, request: Any = None) -> tuple[TicketFilterSet, QuerySet[Ticket]]:
    """An agent's tickets, filtered; invalid filters select nothing."""
    # Soonest due first; tickets with nothing due (waiting, done) after them, newest first: the order of the
    # (tenant | division, next_due_at, -created_at, id) indexes.
    queryset = (
        tickets_visible(actor, rule="helpdesk.work_tickets")
        .exclude(merged_into__isnull=False)
        .order_by(F("next_due_at").asc(nulls_last=True), "-created_at", "id")
    )
    filterset = filterset_for(filters, queryset, request)
    if not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


def timeline(ticket: Ticket, *, internal: bool) -> QuerySet[Message]:
    """The ticket's replies and changes, with internal notes only when `internal` (agents)."""
    messages = Message.objects.filter(ticket=ticket).prefetch_related("attachments").order_by("created_at", "id")
    if not internal:
        messages = messages.exclude(kind=Message.Kind.NOTE)
    return messages


def attachments_visible(actor: Actor, *, internal: bool) -> QuerySet[Attachment]:
    queryset = Attachment.objects.select_related("ticket", "message")
    if not internal:
        queryset = queryset.exclude(message__kind=Message.Kind.NOTE)
    return queryset


def queues_for(actor: Actor) -> QuerySet[Queue]:
    return policies.rows(actor, "helpdesk.view_queue", Queue.objects.filter(is_active=True).order_by("name"))


def transfer_targets(ticket: Ticket) -> QuerySet[Queue]:
    """The ticket's agency's queues and every division's."""
    return (
        Queue.objects.filter(is_active=True)
        .filter(Q(tenant_id=ticket.tenant_id) | Q(tenant__isnull=True))
        .exclude(pk=ticket.queue_id)
        .order_by("division", "name")
    )


def canned_replies(ticket: Ticket) -> QuerySet[CannedReply]:
    return CannedReply.objects.filter(queue_id=ticket.queue_id).order_by("title")


def linked_tickets(ticket: Ticket) -> list[Ticket]:
    pairs = TicketLink.objects.filter(Q(ticket=ticket) | Q(other=ticket)).values_list("ticket_id", "other_id")
    ids = {other for pair in pairs for other in pair if other != ticket.pk}
    return list(Ticket.objects.filter(pk__in=ids).only("id", "reference", "subject", "status"))


def earlier_tickets(ticket: Ticket, *, limit: int = 5) -> list[Ticket]:
    """The same MSME's (or person's) other tickets, newest first."""
    if ticket.msme_id:
        others = Ticket.objects.filter(msme_id=ticket.msme_id)
    elif ticket.requester_id:
        others = Ticket.objects.filter(requester_id=ticket.requester_id)
    else:
        return []
    return list(
        others.exclude(pk=ticket.pk)
        .order_by("-created_at")
        .only("id", "reference", "subject", "status", "created_at")[:limit]
    )
