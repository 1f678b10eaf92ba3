"""Events' beat jobs (per tenant): the reminder the day before and the feedback request after the event. Each
claims its registrations by stamping them (`claim_unstamped`) and writes their messages to the outbox
(apps.outreach.outbox) in the same transaction, so two runs that overlap write each message once, and a
message the broker or the channel could not take now is sent later by the outbox, never lost with its stamp.
The messages of a registration itself (confirmation, waiting list, ...) go through the outbox as well
(apps.events.services)."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import batched

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from apps.core.claims import claim_unstamped
from apps.events import notifications
from apps.events.models import Event, Registration
from apps.outreach import outbox
from apps.outreach.models import OutboxMessage
from apps.tenants.context import require_active_tenant
from apps.tenants.fanout import for_each_tenant
from apps.tenants.models import Tenant
from apps.tenants.tasks import enqueue_for_tenant, tenant_task

REMINDER_AHEAD = timedelta(hours=24)
# Feedback is asked once the event has ended, while it is fresh: not for events that ended long ago.
FEEDBACK_WITHIN = timedelta(days=7)
# The most registrations one tenant's run claims; the rest go with the next run.
BATCH = 500


@tenant_task(
    name="events.write_messages",
    acks_late=True,
    ignore_result=True,
    commits_as_it_goes="a message to every registration is written a chunk per transaction, so that what is "
    "written stays written",
)
def write_messages(tenant: Tenant, event_id: str, kind: str) -> int:
    """The message of `kind` (the event's change or cancellation) to every registration of a marked event
    (apps.events.services._notify_all), a chunk per transaction; the mark is cleared at the end. Run twice, it
    writes nothing twice (the messages' keys). Returns how many it wrote."""
    with transaction.atomic():
        event = Event.objects.filter(pk=event_id, messages_pending=kind).first()
    if event is None:
        return 0  # done, or replaced by a later mark (a change, then the cancellation)
    registrations = Registration.objects.filter(event=event).exclude(status=Registration.Status.CANCELLED)
    ids = [str(pk) for pk in registrations.order_by("created_at", "pk").values_list("pk", flat=True)]
    written = 0
    for chunk in batched(ids, notifications.CHUNK):
        with transaction.atomic():
            if kind == "updated":
                # Those promoted from the waiting list by the same change were told by their own message.
                promoted = {f"events:promoted:{pk}:{event.sequence}" for pk in chunk}
                told = set(OutboxMessage.objects.filter(key__in=promoted).values_list("key", flat=True))
                chunk = tuple(pk for pk in chunk if f"events:promoted:{pk}:{event.sequence}" not in told)
            queued = notifications.enqueue(kind, chunk, tenant)
            written += queued.queued + queued.skipped
    with transaction.atomic():
        Event.objects.filter(pk=event.pk, messages_pending=kind).update(messages_pending="", messages_pending_at=None)
    return written


def queue_pending_messages(tenant: Tenant) -> int:
    """The outbox sweep's hook: a task for each event whose mark no task has cleared for a while (the broker was
    down at the commit, the worker died); the mark is stamped again, so the next sweep waits for this task."""
    now = timezone.now()
    stale = now - timedelta(seconds=outbox.FANOUT_RETRY_AFTER_SECONDS)
    marked = list(
        Event.objects.exclude(messages_pending="")
        .filter(messages_pending_at__lt=stale)
        .values_list("pk", "messages_pending")[:100]
    )
    for event_id, kind in marked:
        Event.objects.filter(pk=event_id, messages_pending=kind).update(messages_pending_at=now)
        enqueue_for_tenant(write_messages, str(event_id), kind)
    return len(marked)


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
