"""Helpdesk services: every write to a ticket goes through here, with its timeline entry and audit record.

Side effects that leave the database (notifications) are sent after the transaction commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import diff, snapshot
from apps.core.policies import Actor, can
from apps.helpdesk import followers, routing, rules, sla
from apps.helpdesk.models import (
    Message,
    Priority,
    Queue,
    RequesterTier,
    Status,
    Ticket,
    TicketLink,
    Tier,
)
from apps.registry.models import Msme
from apps.tenants import audit
from apps.tenants.context import tenant_context

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
WATCHED_FIELDS = ("status", "priority", "queue", "assignee", "tier", "merged_into")


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _new_reference() -> str:
    return "T-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


def _name(user: Any) -> str:
    if user is None:
        return ""
    return (getattr(user, "full_name", "") or user.get_username()).strip()


def tier_for(*, msme: Msme | None, user: Any) -> str:
    """The tier the agency set for the person, else for the MSME, else first-time or experienced by
    whether the MSME (or the person) has asked before."""
    tiers = RequesterTier.objects.filter(user_id=getattr(user, "pk", None)) if user is not None else None
    if tiers is not None and (found := tiers.values_list("tier", flat=True).first()):
        return found
    if msme is not None:
        if found := RequesterTier.objects.filter(msme=msme).values_list("tier", flat=True).first():
            return found
        asked_before = Ticket.objects.filter(msme=msme).exists()
    else:
        asked_before = user is not None and Ticket.objects.filter(requester_id=user.pk).exists()
    return Tier.EXPERIENCED if asked_before else Tier.FIRST_TIME


def _timeline(
    ticket: Ticket,
    *,
    kind: str,
    actor: Any,
    body: str = "",
    changes: dict | None = None,
    via: str = Message.Via.PAGE,
    from_agent: bool = False,
    fingerprint: str = "",
) -> Message:
    return Message.objects.create(
        tenant_id=ticket.tenant_id,
        division=ticket.division,
        ticket=ticket,
        kind=kind,
        body=body,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        author_name=_name(actor) if getattr(actor, "is_authenticated", False) else "",
        from_agent=from_agent,
        via=via,
        changes=changes or {},
        email_fingerprint=fingerprint,
        created_at=timezone.now(),
    )


def _changes_entry(ticket: Ticket, before: dict[str, Any], actor: Any, via: str) -> dict[str, list[Any]]:
    changes = {name: pair for name, pair in diff(before, snapshot(ticket)).items() if name in WATCHED_FIELDS}
    if changes:
        _timeline(ticket, kind=Message.Kind.CHANGE, actor=actor, changes=changes, via=via, from_agent=True)
    return changes


def _save(ticket: Ticket, before: dict[str, Any], actor: Any, via: str) -> None:
    ticket.save()
    _changes_entry(ticket, before, actor, via)
    audit.record(instance=ticket, action="update", actor=actor, changes=diff(before, snapshot(ticket)))


@transaction.atomic
def ticket_open(
    *,
    actor: Actor,
    subject: str,
    body: str,
    topic: str = "",
    language: str,
    msme: Msme | None = None,
    priority: str = Priority.NORMAL,
    suggested_articles: Sequence[str] = (),
    read_articles: Sequence[str] = (),
    via: str = Message.Via.PAGE,
    queue: Queue | None = None,
) -> Ticket:
    """An MSME member asks: the ticket is routed, given its tier and due times, and perhaps assigned.

    `queue` skips the routing rules: a programme's request goes to the queue its programme names (the
    Arbitration and Mediation Center's, a TISC's), one of the agency's or a division's."""
    if not can(actor, "helpdesk.open_ticket"):
        raise PermissionDenied(_("Only members of a registered MSME can open a ticket."))
    _raise(rules.ticket_errors(subject=subject, body=body, topic=topic, language=language))
    if priority not in Priority.values:
        raise ValidationError({"priority": [_("Pick a priority from the list.")]})
    user = actor.user
    tenant = actor.tenant
    tier = tier_for(msme=msme, user=user)
    if queue is None:
        queue = routing.route(tenant=tenant, topic=topic, language=language, tier=tier)
    elif not queue.is_active or (queue.tenant_id is not None and queue.tenant_id != tenant.pk):
        raise ValidationError({"queue": [_("Pick one of the agency's queues or a WIPO division's.")]})
    ticket = Ticket(
        created_at=timezone.now(),
        subject=subject.strip(),
        body=body,
        topic=topic,
        language=language,
        msme=msme,
        msme_name=msme.name if msme else "",
        requester=user,
        requester_name=_name(user),
        requester_email=user.email,
        queue=queue,
        division=queue.division or None,
        priority=priority,
        tier=tier,
        suggested_articles=list(dict.fromkeys(suggested_articles))[:20],
        read_articles=list(dict.fromkeys(read_articles))[:20],
    )
    ticket.tenant = tenant
    sla.refresh_due_times(ticket, queue=queue)
    for _attempt in range(5):
        ticket.reference = _new_reference()
        try:
            with transaction.atomic():
                ticket.save()
            break
        except IntegrityError:
            if Ticket.objects.filter(reference=ticket.reference).exists():
                continue
            raise
    audit.record(instance=ticket, action="create", actor=user, changes=snapshot(ticket))
    if queue.auto_assign:
        agent = routing.least_loaded_agent(queue, language=language)
        if agent is not None:
            before = snapshot(ticket)
            ticket.assignee = agent
            _save(ticket, before, None, Message.Via.SYSTEM)
    _notify("ticket_opened", ticket)
    return ticket


def _is_agent_for(actor: Actor, ticket: Ticket) -> bool:
    return can(actor, "helpdesk.work_tickets", ticket)


@transaction.atomic
def ticket_reply(
    *,
    actor: Actor,
    ticket: Ticket,
    body: str,
    internal: bool = False,
    via: str = Message.Via.PAGE,
    fingerprint: str = "",
) -> Message:
    """A public reply or (agents only) an internal note. The first public answer of an agent stops the
    first-response clock; the MSME's reply to a ticket waiting on it restarts the SLA clock."""
    agent = _is_agent_for(actor, ticket)
    if internal and not agent:
        raise PermissionDenied(_("Only agents write internal notes."))
    if not can(actor, "helpdesk.reply", ticket):
        raise PermissionDenied(_("This ticket is closed; open a new one if you need more help."))
    _raise(rules.message_errors(body=body))
    kind = Message.Kind.NOTE if internal else Message.Kind.REPLY
    message = _timeline(
        ticket, kind=kind, actor=actor.user, body=body, via=via, from_agent=agent, fingerprint=fingerprint
    )
    audit.record(instance=message, action="create", actor=actor.user, changes={"kind": kind}, label=ticket.reference)
    if internal:
        return message
    before = snapshot(ticket)
    now = timezone.now()
    if agent:
        if ticket.first_responded_at is None:
            ticket.first_responded_at = now
        if ticket.status == Status.NEW:
            ticket.status = Status.OPEN
    elif ticket.status in (Status.WAITING, Status.RESOLVED):
        _leave_status(ticket, now)
        ticket.status = Status.OPEN
    sla.refresh_due_times(ticket)
    _save(ticket, before, actor.user, via)
    _notify("agent_replied" if agent else "customer_replied", ticket, message=message)
    return message


@transaction.atomic
def ticket_system_note(*, ticket: Ticket, body: str, via: str = Message.Via.SYSTEM) -> Message:
    """An internal note the helpdesk itself writes for the ticket's agents (a file dropped from an e-mail):
    nobody's, and like every note never shown to the MSME."""
    message = _timeline(ticket, kind=Message.Kind.NOTE, actor=None, body=body[: rules.BODY_MAX], via=via)
    audit.record(instance=message, action="create", actor=None, changes={"kind": message.kind}, label=ticket.reference)
    return message


def _leave_status(ticket: Ticket, now: Any, *, to: str = Status.OPEN) -> None:
    """What leaving the current status for `to` undoes: a pause ends; a resolution is taken back unless the
    ticket goes on to be closed (when it was resolved stays what it was)."""
    if ticket.status == Status.WAITING:
        sla.close_pause(ticket, now)
    if ticket.status in (Status.RESOLVED, Status.CLOSED) and to != Status.CLOSED:
        ticket.resolved_at = None
    if ticket.status == Status.CLOSED:
        ticket.closed_at = None


@transaction.atomic
def ticket_set_status(*, actor: Actor, ticket: Ticket, status: str, via: str = Message.Via.PAGE) -> Ticket:
    """An agent moves the ticket; waiting on the customer pauses the SLA clock, resolved and closed stop it."""
    if not _is_agent_for(actor, ticket):
        raise PermissionDenied(_("Only the ticket's agents change its status."))
    if status not in Status.values:
        raise ValidationError({"status": [_("Pick a status from the list.")]})
    return _move(actor=actor, ticket=ticket, status=status, via=via)


def _move(*, actor: Actor, ticket: Ticket, status: str, via: str) -> Ticket:
    if status == ticket.status:
        return ticket
    before = snapshot(ticket)
    now = timezone.now()
    _leave_status(ticket, now, to=status)
    ticket.status = status
    if status == Status.WAITING:
        sla.open_pause(ticket, now)
    elif status == Status.RESOLVED:
        ticket.resolved_at = now
    elif status == Status.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    sla.refresh_due_times(ticket)
    _save(ticket, before, actor.user, via)
    if status == Status.RESOLVED:
        _notify("ticket_resolved", ticket)
    return ticket


@transaction.atomic
def ticket_close_own(*, actor: Actor, ticket: Ticket, via: str = Message.Via.PAGE) -> Ticket:
    """The MSME says it has its answer."""
    if not can(actor, "helpdesk.close_own", ticket):
        raise PermissionDenied(_("You cannot close this ticket."))
    return _move(actor=actor, ticket=ticket, status=Status.CLOSED, via=via)


@transaction.atomic
def ticket_assign(*, actor: Actor, ticket: Ticket, assignee: Any, via: str = Message.Via.PAGE) -> Ticket:
    """Give the ticket to one of its queue's agents (None: unassign)."""
    if not _is_agent_for(actor, ticket):
        raise PermissionDenied(_("Only the ticket's agents assign it."))
    if assignee is not None and not routing.is_agent_of(ticket.queue, assignee):
        raise ValidationError({"assignee": [_("Pick an agent of the ticket's queue.")]})
    before = snapshot(ticket)
    ticket.assignee = assignee
    _save(ticket, before, actor.user, via)
    if assignee is not None and assignee != actor.user:
        _notify("ticket_assigned", ticket)
    return ticket


@transaction.atomic
def ticket_auto_assign(*, actor: Actor, ticket: Ticket, via: str = Message.Via.PAGE) -> Ticket:
    if not _is_agent_for(actor, ticket):
        raise PermissionDenied(_("Only the ticket's agents assign it."))
    agent = routing.least_loaded_agent(ticket.queue, language=ticket.language)
    if agent is None:
        raise ValidationError({"assignee": [_("Nobody in this queue speaks the ticket's language.")]})
    return ticket_assign(actor=actor, ticket=ticket, assignee=agent, via=via)


@transaction.atomic
def ticket_transfer(*, actor: Actor, ticket: Ticket, queue: Queue, via: str = Message.Via.PAGE) -> Ticket:
    """Move the ticket to another queue: the agency's, or a division's (which then sees it). The ticket
    keeps its tenant; its timeline and files follow it to the division, or back."""
    if not _is_agent_for(actor, ticket):
        raise PermissionDenied(_("Only the ticket's agents transfer it."))
    if not queue.is_active or (queue.tenant_id is not None and queue.tenant_id != ticket.tenant_id):
        raise ValidationError({"queue": [_("Pick one of the agency's queues or a WIPO division's.")]})
    if queue.pk == ticket.queue_id:
        return ticket
    # Re-routing takes the ticket's own tenant scope: a division's scope may only write what stays its own.
    with tenant_context(ticket.tenant):
        before = snapshot(ticket)
        ticket.queue = queue
        ticket.division = queue.division or None
        if ticket.assignee is not None and not routing.is_agent_of(queue, ticket.assignee):
            ticket.assignee = None
        sla.refresh_due_times(ticket, queue=queue)
        _save(ticket, before, actor.user, via)
        ticket.messages.update(division=ticket.division)
        ticket.attachments.update(division=ticket.division)
        followers.follow(ticket)
        if queue.auto_assign and ticket.assignee is None and not ticket.is_done:
            agent = routing.least_loaded_agent(queue, language=ticket.language)
            if agent is not None:
                before = snapshot(ticket)
                ticket.assignee = agent
                _save(ticket, before, None, Message.Via.SYSTEM)
    _notify("ticket_transferred", ticket)
    return ticket


@transaction.atomic
def ticket_merge(*, actor: Actor, ticket: Ticket, into: Ticket, via: str = Message.Via.PAGE) -> Ticket:
    """Close a duplicate into the ticket that stays; the MSME's later replies are refused on it."""
    if not (_is_agent_for(actor, ticket) and _is_agent_for(actor, into)):
        raise PermissionDenied(_("Only the tickets' agents merge them."))
    if (
        into.pk == ticket.pk
        or into.tenant_id != ticket.tenant_id
        or into.merged_into_id is not None
        or ticket.merged_into_id is not None
        or into.status == Status.CLOSED
    ):
        raise ValidationError({"into": [_("Merge into another open ticket of the same MSME's agency.")]})
    before = snapshot(ticket)
    ticket.merged_into = into
    _save(ticket, before, actor.user, via)
    _move(actor=actor, ticket=ticket, status=Status.CLOSED, via=via)
    _timeline(
        into,
        kind=Message.Kind.CHANGE,
        actor=actor.user,
        changes={"merged": [None, ticket.reference]},
        via=via,
        from_agent=True,
    )
    return ticket


@transaction.atomic
def ticket_link(*, actor: Actor, ticket: Ticket, other: Ticket) -> TicketLink:
    if not (_is_agent_for(actor, ticket) and _is_agent_for(actor, other)):
        raise PermissionDenied(_("Only the tickets' agents link them."))
    if other.pk == ticket.pk or other.tenant_id != ticket.tenant_id:
        raise ValidationError({"other": [_("Link another ticket of the same agency.")]})
    first, second = sorted([ticket, other], key=lambda t: str(t.pk))
    link, created = TicketLink.objects.get_or_create(tenant_id=ticket.tenant_id, ticket=first, other=second)
    if created:
        audit.record(instance=link, action="create", actor=actor.user, label=f"{first.reference} ~ {second.reference}")
    return link


@transaction.atomic
def ticket_rate(*, actor: Actor, ticket: Ticket, rating: str, comment: str = "") -> Ticket:
    """The MSME says whether the answer helped: once, after it is resolved."""
    if not can(actor, "helpdesk.rate", ticket):
        raise PermissionDenied(_("This ticket cannot be rated (it is not resolved, or it was rated already)."))
    _raise(rules.rating_errors(rating=rating, comment=comment))
    # Once, even when two ratings arrive together: only the first update finds it unrated.
    updated = Ticket.objects.filter(pk=ticket.pk, rating="").update(
        rating=rating, rating_comment=comment.strip(), rated_at=timezone.now()
    )
    if not updated:
        raise PermissionDenied(_("This ticket was rated already."))
    ticket.refresh_from_db()
    audit.record(instance=ticket, action="update", actor=actor.user, changes={"rating": [None, rating]})
    return ticket


@transaction.atomic
def tickets_bulk(*, actor: Actor, tickets: Iterable[Ticket], assignee: Any = None, close: bool = False) -> int:
    """Assign or close several tickets; each is checked and recorded as if done one by one."""
    done = 0
    for ticket in tickets:
        if assignee is not None:
            ticket_assign(actor=actor, ticket=ticket, assignee=assignee)
        if close:
            ticket_set_status(actor=actor, ticket=ticket, status=Status.CLOSED)
        done += 1
    return done


def _notify(event: str, ticket: Ticket, message: Message | None = None) -> None:
    from apps.helpdesk import notifications

    notifications.after_commit(event, ticket, message=message)
