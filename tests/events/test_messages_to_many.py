"""An event's change or cancellation to more registrations than a request writes: the event is marked in the
request's transaction, a task writes the messages after the commit (each once), and the outbox's beat sweep
queues that task again for a mark a down broker left behind."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from apps.events import services, tasks
from apps.events.models import Event, Registration
from apps.outreach import outbox
from apps.outreach import tasks as outreach_tasks
from apps.outreach.models import OutboxMessage
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def few_in_request(monkeypatch):
    monkeypatch.setattr(outbox, "FANOUT_IN_REQUEST", 2)


def _registrations(event: Event, count: int) -> list[Registration]:
    return [RegistrationFactory(event=event, email=f"person{n}@example.org") for n in range(count)]


def _move(world, event: Event) -> Event:
    later = {"starts_at": event.starts_at + timedelta(days=1), "ends_at": event.ends_at + timedelta(days=1)}
    return services.event_update(actor=world.staff, event=event, data=later)


def test_a_change_to_many_is_written_by_a_task_after_the_commit_once_each(
    world, few_in_request, django_capture_on_commit_callbacks
):
    event = world.event()
    _registrations(event, 5)
    RegistrationFactory(event=event, email="gone@example.org", status="cancelled")
    with django_capture_on_commit_callbacks() as callbacks:
        moved = _move(world, event)
        # Nothing rendered in the request: the event is marked, in its transaction.
        assert not OutboxMessage.objects.filter(key__startswith="events:updated:").exists()
        marked = Event.objects.get(pk=event.pk)
        assert marked.messages_pending == "updated" and marked.messages_pending_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()  # the commit: the task is queued (run here, eagerly)
    assert sorted(m.to[0] for m in mail.outbox) == [f"person{n}@example.org" for n in range(5)]
    assert all(f"SEQUENCE:{moved.sequence}" in m.attachments[0][1] for m in mail.outbox)
    assert Event.objects.get(pk=event.pk).messages_pending == ""
    # Run again (a redelivered task): nothing is written twice.
    mail.outbox.clear()
    Event.objects.filter(pk=event.pk).update(messages_pending="updated")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.write_messages.run(world.tenant.pk, str(event.pk), "updated") == 5
    assert mail.outbox == [] and OutboxMessage.objects.filter(key__startswith="events:updated:").count() == 5


def test_a_cancellation_to_many_that_the_broker_refused_is_sent_by_the_beat_sweep(
    world, few_in_request, django_capture_on_commit_callbacks, monkeypatch
):
    event = world.event()
    _registrations(event, 4)

    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused.")

    with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr(tasks.write_messages, "apply_async", refuse)
        services.event_cancel(actor=world.staff, event=event)
    assert mail.outbox == [] and Event.objects.get(pk=event.pk).messages_pending == "event_cancelled"

    def beat() -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            return outreach_tasks.outbox_sweep()

    assert beat()["fanouts"] == 0  # marked a moment ago: its task may still be on its way
    Event.objects.filter(pk=event.pk).update(messages_pending_at=timezone.now() - timedelta(hours=1))
    assert beat()["fanouts"] == 1
    assert beat()["fanouts"] == 0
    assert sorted(m.to[0] for m in mail.outbox) == [f"person{n}@example.org" for n in range(4)]
    assert all("METHOD:CANCEL" in m.attachments[0][1] for m in mail.outbox)
    assert Event.objects.get(pk=event.pk).messages_pending == ""


def test_a_change_to_few_is_still_written_in_the_request(world, django_capture_on_commit_callbacks):
    event = world.event()
    _registrations(event, 3)
    with django_capture_on_commit_callbacks() as callbacks:
        _move(world, event)
        assert OutboxMessage.objects.filter(key__startswith="events:updated:").count() == 3
    assert Event.objects.get(pk=event.pk).messages_pending == ""
    assert len(callbacks) == 1  # the outbox's drain
