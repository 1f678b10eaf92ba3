"""The tickets' SLA: targets by queue, tier and priority, and due times counted in the queue's business
hours (its time zone, skipping its country's public holidays), paused while waiting on the customer."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils.dateparse import parse_datetime

from apps.helpdesk.models import Priority, Queue, SlaTarget, Ticket, Tier
from apps.helpdesk.sla_clock import BusinessHours, due_at

# Business minutes (first response, resolution) when neither the queue nor the platform set a target.
# An eight-hour working day: first-time users hear back within a day, offices and frequent filers faster.
DEFAULT_TARGETS: dict[tuple[str, str], tuple[int, int]] = {}
_BASE = {
    Priority.URGENT: (60, 480),
    Priority.HIGH: (240, 1440),
    Priority.NORMAL: (480, 2400),
    Priority.LOW: (960, 4800),
}
_FACTOR = {Tier.FIRST_TIME: 1.0, Tier.EXPERIENCED: 1.0, Tier.FREQUENT_FILER: 0.5, Tier.IP_OFFICE: 0.5}
for _tier, _factor in _FACTOR.items():
    for _priority, (_response, _resolution) in _BASE.items():
        DEFAULT_TARGETS[(_tier.value, _priority.value)] = (int(_response * _factor), int(_resolution * _factor))


def business_hours(queue: Queue) -> BusinessHours:
    return BusinessHours.weekdays(
        queue.time_zone, queue.opens_at, queue.closes_at, country=queue.country, days=queue.work_days
    )


def targets_for(queue: Queue, *, tier: str, priority: str) -> tuple[timedelta, timedelta]:
    """The queue's own target, else the platform's, else the built-in one."""
    targets = {
        target.queue_id: target
        for target in SlaTarget.objects.filter(tier=tier, priority=priority).filter(
            Q(queue=queue) | Q(queue__isnull=True)
        )
    }
    target = targets.get(queue.pk) or targets.get(None)
    if target is not None:
        return timedelta(minutes=target.first_response_minutes), timedelta(minutes=target.resolution_minutes)
    response, resolution = DEFAULT_TARGETS[(tier, priority)]
    return timedelta(minutes=response), timedelta(minutes=resolution)


def _pauses(ticket: Ticket) -> list[tuple[datetime, datetime | None]]:
    return [(parse_datetime(start), parse_datetime(end) if end else None) for start, end in ticket.sla_pauses]


def open_pause(ticket: Ticket, now: datetime) -> None:
    if not ticket.is_paused:
        ticket.sla_pauses = [*ticket.sla_pauses, [now.isoformat(), None]]


def close_pause(ticket: Ticket, now: datetime) -> None:
    if ticket.is_paused:
        ticket.sla_pauses = [*ticket.sla_pauses[:-1], [ticket.sla_pauses[-1][0], now.isoformat()]]


def refresh_due_times(ticket: Ticket, *, queue: Queue | None = None) -> None:
    """Set the ticket's pending due times from its queue, tier, priority and pauses; none while paused.

    A met target keeps the due time it had (a first answer keeps its first-response due time, a resolved
    ticket its resolution due time), so that SLA compliance can be measured afterwards. A ticket resolved
    straight from waiting on the customer had none (the clock was stopped): it gets the one its pauses give,
    for the same reason."""
    queue = queue or ticket.queue
    response, resolution = targets_for(queue, tier=ticket.tier, priority=ticket.priority)
    hours = business_hours(queue)
    pauses = _pauses(ticket)
    start = ticket.created_at
    if ticket.first_responded_at is None and not ticket.is_done:
        due = due_at(start, response, hours, pauses)
        if due != ticket.first_response_due:
            # A new due time (a pause, a transfer, a new priority) is warned of and escalated afresh.
            ticket.response_warned_at = ticket.response_breached_at = None
        ticket.first_response_due = due
    if not ticket.is_done or ticket.resolution_due is None:
        due = due_at(start, resolution, hours, pauses)
        if due != ticket.resolution_due:
            ticket.resolution_warned_at = ticket.resolution_breached_at = None
        ticket.resolution_due = due
    ticket.next_due_at = ticket.next_due
