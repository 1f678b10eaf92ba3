"""Events' beat jobs (per tenant): the reminder the day before and the feedback request after the event. Each
claims its registrations by stamping them (`claim_unstamped`) and writes their messages to the outbox
(apps.outreach.outbox) in the same transaction, so two runs that overlap write each message once, and a
message the broker or the channel could not take now is sent later by the outbox, never lost with its stamp.
The messages of a registration itself (confirmation, waiting list, ...) go through the outbox as well
(apps.events.services)."""

from __future__ import annotations

from datetime import datetime, timedelta

from celery import shared_task
from django.utils import timezone

from apps.core.claims import claim_unstamped
from apps.events import notifications
from apps.events.models import Event, Registration
from apps.tenants.context import require_active_tenant
from apps.tenants.fanout import for_each_tenant
from apps.tenants.models import Tenant
from apps.tenants.tasks import tenant_task

REMINDER_AHEAD = timedelta(hours=24)
# Feedback is asked once the event has ended, while it is fresh: not for events that ended long ago.
FEEDBACK_WITHIN = timedelta(days=7)
# The most registrations one tenant's run claims; the rest go with the next run.
BATCH = 500


# The task that sent a registration's messages before the outbox: one still in the queue at the deploy writes
# them to the outbox instead (under their keys, so a message already written is not written twice). To be
# removed once no queue can hold one.
@tenant_task(name="events.send_registration_messages", acks_late=False)
def send_registration_messages(tenant: Tenant, kind: str, ids: list[str]) -> int:
    return notifications.enqueue(kind, ids[:BATCH], tenant).queued


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
        notifications.enqueue("reminder", ids, require_active_tenant())
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
        notifications.enqueue("feedback", ids, require_active_tenant())
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
