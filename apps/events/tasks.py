"""Events' jobs: the messages of a registration (sent after its transaction commits), the reminder the day
before and the feedback request after the event (beat, per tenant). Each beat job claims its registrations by
stamping them (`claim_unstamped`), so two runs that overlap send each message once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from apps.core.claims import claim_unstamped
from apps.events import notifications
from apps.events.models import Event, Registration
from apps.tenants.context import require_active_tenant, tenant_context
from apps.tenants.fanout import for_each_tenant
from apps.tenants.models import Tenant
from apps.tenants.tasks import send_now, tenant_task

logger = logging.getLogger(__name__)

REMINDER_AHEAD = timedelta(hours=24)
# Feedback is asked once the event has ended, while it is fresh: not for events that ended long ago.
FEEDBACK_WITHIN = timedelta(days=7)
# The most registrations one tenant's run claims; the rest go with the next run.
BATCH = 500
# The stamp by which each beat job claims its registrations, by the kind of message it sends.
CLAIM_STAMPS = {"reminder": "reminded_at", "feedback": "feedback_requested_at"}


def _load(ids: list[str]) -> list[Registration]:
    return list(
        Registration.objects.filter(pk__in=ids).select_related("event", "msme", "user").order_by("created_at", "id")
    )


# Acknowledged when a worker takes it (not `acks_late`): nothing records which of a batch's messages went
# out, so a batch redelivered after a worker died mid-way would send them all again. A batch cut short is
# not finished instead (at most once).
@tenant_task(name="events.send_registration_messages", acks_late=False)
def send_registration_messages(tenant: Tenant, kind: str, ids: list[str]) -> int:
    """The messages of `kind` to these registrations; ones cancelled since are left out (an event's
    cancellation notice goes to all it names)."""
    registrations = _load(ids[:BATCH])
    if kind != "event_cancelled":
        registrations = [r for r in registrations if r.status != Registration.Status.CANCELLED]
    outcome = notifications.send(kind, registrations, tenant)
    stamp = CLAIM_STAMPS.get(kind)
    if stamp and outcome.retry:
        # The channel could not take these now (e.g. a 4xx from the mail server): the beat job claimed them by
        # this stamp, so clearing it lets its next run (hourly, while the event is still due) try again.
        Registration.objects.filter(pk__in=[r.pk for r in outcome.retry]).update(**{stamp: None})
    return outcome.sent


def enqueue_messages(kind: str, ids: list[str]) -> None:
    """Send the messages of `kind` to these registrations once the active tenant's transaction commits."""
    tenant = require_active_tenant()
    transaction.on_commit(lambda: _enqueue_now(tenant, kind, ids))


def _enqueue_now(tenant: Tenant, kind: str, ids: list[str]) -> None:
    """Queue the task. When the broker cannot take it, a beat job's claim is released, so its next run queues
    the message again; the other messages (confirmation, waiting list, seat freed, change, cancellation) have
    no record to resend from and are only logged (by `send_now`)."""

    def release_claims() -> None:
        stamp = CLAIM_STAMPS.get(kind)
        if stamp:
            with transaction.atomic(), tenant_context(tenant):  # after the commit: a transaction of its own
                Registration.objects.filter(pk__in=ids).update(**{stamp: None})

    send_now(send_registration_messages, (tenant.pk, kind, ids), on_refused=release_claims)


def remind_tenant(now: datetime | None = None) -> int:
    """The active tenant's confirmed registrations for events starting within a day, each claimed once."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_AHEAD,
    ).order_by("event__starts_at", "id")
    claimed = claim_unstamped(due, stamp_field="reminded_at", now=now, limit=BATCH)
    ids = [str(row.pk) for row in claimed]
    if ids:
        enqueue_messages("reminder", ids)
    return len(ids)


def request_feedback_tenant(now: datetime | None = None) -> int:
    """The active tenant's confirmed registrations of events that ended within the week, not marked
    absent: each asked for feedback once."""
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            event__status=Event.Status.PUBLISHED,
            event__ends_at__lte=now,
            event__ends_at__gt=now - FEEDBACK_WITHIN,
        )
        .exclude(attended=Registration.Attended.NO)
        .order_by("event__ends_at", "id")
    )
    claimed = claim_unstamped(due, stamp_field="feedback_requested_at", now=now, limit=BATCH)
    ids = [str(row.pk) for row in claimed]
    if ids:
        enqueue_messages("feedback", ids)
    return len(ids)


@shared_task(name="events.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Hourly (beat): the reminder the day before each event, to each confirmed registration once."""
    outcomes = for_each_tenant(lambda tenant: remind_tenant(), reason="events: reminders the day before")
    return sum(outcome.result for outcome in outcomes.values() if outcome.ok)


@shared_task(name="events.request_feedback", ignore_result=True)
def request_feedback() -> int:
    """Hourly (beat): a feedback request after each event, to each confirmed registration once."""
    outcomes = for_each_tenant(lambda tenant: request_feedback_tenant(), reason="events: feedback requests")
    return sum(outcome.result for outcome in outcomes.values() if outcome.ok)
