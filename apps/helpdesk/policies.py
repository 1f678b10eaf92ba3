"""Who may do what in the helpdesk (see apps.core.policies).

An MSME member asks, follows, replies to, closes and rates their MSME's tickets. A tenant's helpdesk
agents work every ticket of their tenant; a division's agents work the tickets routed to their division
(the scoped manager gives them nothing else). Internal notes are for agents only. Agency staff set up
their agency's queues, routing rules, SLA targets and canned replies.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from apps.core.policies import Actor, for_roles, rule
from apps.core.roles import Role
from apps.helpdesk.models import Attachment, CounsellingSlot, Queue, Ticket
from apps.registry.models import MsmeMember

MEMBERS = for_roles(Role.MSME_MEMBER)
AGENTS = for_roles(Role.HELPDESK_AGENT)
MEMBERS_AND_AGENTS = for_roles(Role.MSME_MEMBER, Role.HELPDESK_AGENT)
AGENCY = for_roles(Role.AGENCY_STAFF)


def is_agent(actor: Actor) -> bool:
    return actor.has_role(Role.HELPDESK_AGENT) and (actor.tenant is not None or bool(actor.division))


def _member(actor: Actor) -> bool:
    return actor.has_role(Role.MSME_MEMBER) and actor.tenant is not None


def _members_msmes(actor: Actor) -> QuerySet:
    return MsmeMember.objects.filter(user_id=actor.user.pk).values("msme_id")


def _agent_works(actor: Actor, ticket: Ticket) -> bool:
    if not is_agent(actor):
        return False
    if actor.tenant is not None:
        return ticket.tenant_id == actor.tenant.pk
    return ticket.division == actor.division


def _asked_by(actor: Actor, ticket: Ticket) -> bool:
    """The member asked it, or it is their MSME's."""
    if not _member(actor) or ticket.tenant_id != actor.tenant.pk:
        return False
    if ticket.requester_id == actor.user.pk:
        return True
    return (
        ticket.msme_id is not None and MsmeMember.objects.filter(msme_id=ticket.msme_id, user_id=actor.user.pk).exists()
    )


def _ticket_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    if is_agent(actor):
        return queryset  # the scoped manager keeps a tenant's agents to it, a division's to what is routed there
    if _member(actor):
        return queryset.filter(Q(requester_id=actor.user.pk) | Q(msme_id__in=_members_msmes(actor)))
    return queryset.none()


@rule("helpdesk.open_ticket", message=MEMBERS)
def open_ticket(actor: Actor, obj: None = None) -> bool:
    return _member(actor)


@rule("helpdesk.view_ticket", rows=_ticket_rows, message=MEMBERS_AND_AGENTS)
def view_ticket(actor: Actor, ticket: Ticket | None = None) -> bool:
    if ticket is None:
        return _member(actor) or is_agent(actor)
    return _agent_works(actor, ticket) or _asked_by(actor, ticket)


@rule("helpdesk.reply", rows=_ticket_rows, message=MEMBERS_AND_AGENTS)
def reply(actor: Actor, ticket: Ticket | None = None) -> bool:
    """A public reply: the MSME on its open tickets, an agent on any it works."""
    if ticket is None:
        return _member(actor) or is_agent(actor)
    if _agent_works(actor, ticket):
        return True
    return _asked_by(actor, ticket) and ticket.status != "closed" and ticket.merged_into_id is None


def _worked_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    """An agent's: the scoped manager keeps a tenant's agents to it, a division's to what is routed there."""
    return queryset if is_agent(actor) else queryset.none()


@rule("helpdesk.work_tickets", rows=_worked_rows, message=AGENTS)
def work_tickets(actor: Actor, ticket: Ticket | None = None) -> bool:
    """The queue, internal notes, assignment, transfer, status, merge and links."""
    if ticket is None:
        return is_agent(actor)
    return _agent_works(actor, ticket)


@rule("helpdesk.read_internal", message=AGENTS)
def read_internal(actor: Actor, ticket: Ticket | None = None) -> bool:
    """Internal notes and the SLA's inner workings: never the MSME's, on any surface."""
    return work_tickets(actor, ticket)


@rule("helpdesk.close_own", message=MEMBERS)
def close_own(actor: Actor, ticket: Ticket | None = None) -> bool:
    if ticket is None:
        return _member(actor)
    return _asked_by(actor, ticket) and ticket.status != "closed"


@rule("helpdesk.rate", message=MEMBERS)
def rate(actor: Actor, ticket: Ticket | None = None) -> bool:
    """Once, after the ticket is resolved."""
    if ticket is None:
        return _member(actor)
    return _asked_by(actor, ticket) and ticket.status in ("resolved", "closed") and not ticket.rating


@rule("helpdesk.download_attachment", message=MEMBERS_AND_AGENTS)
def download_attachment(actor: Actor, attachment: Attachment | None = None) -> bool:
    if attachment is None:
        return _member(actor) or is_agent(actor)
    ticket = attachment.ticket
    if _agent_works(actor, ticket):
        return True
    return _asked_by(actor, ticket) and attachment.message.kind != "note"


def _queue_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    if actor.tenant is not None and (is_agent(actor) or actor.has_role(Role.AGENCY_STAFF)):
        return queryset.filter(tenant=actor.tenant)
    if is_agent(actor):
        return queryset.filter(division=actor.division)
    return queryset.none()


@rule("helpdesk.view_queue", rows=_queue_rows, message=AGENTS)
def view_queue(actor: Actor, queue: Queue | None = None) -> bool:
    """A queue and the queues a ticket can be transferred to."""
    if not is_agent(actor):
        return False
    if queue is None:
        return True
    return (actor.tenant is not None and queue.tenant_id == actor.tenant.pk) or (
        actor.tenant is None and queue.division == actor.division
    )


@rule("helpdesk.configure", rows=_queue_rows, message=AGENCY)
def configure(actor: Actor, queue: Queue | None = None) -> bool:
    """The agency's queues, agents, routing rules, SLA targets and canned replies."""
    if not actor.has_role(Role.AGENCY_STAFF) or actor.tenant is None:
        return False
    return queue is None or queue.tenant_id == actor.tenant.pk


@rule("helpdesk.book_session", message=MEMBERS)
def book_session(actor: Actor, slot: CounsellingSlot | None = None) -> bool:
    return _member(actor)


@rule("helpdesk.offer_sessions", message=for_roles(Role.HELPDESK_AGENT))
def offer_sessions(actor: Actor, slot: CounsellingSlot | None = None) -> bool:
    """Counselling is the agency's: its own agents publish slots (a division has no visits to make)."""
    if not actor.has_role(Role.HELPDESK_AGENT) or actor.tenant is None:
        return False
    return slot is None or slot.tenant_id == actor.tenant.pk
