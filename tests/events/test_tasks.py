"""The reminder the day before and the feedback request after the event: each sent once, even when two runs
overlap; on the MSME's channel and in its language; skipped when there is no address."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from apps.core.claims import claim_unstamped
from apps.events import notifications, tasks
from apps.events.models import Registration
from apps.outreach import outbox
from apps.outreach import tasks as outreach_tasks
from apps.outreach.channels import Outcome, SendResult
from apps.outreach.models import OutboxMessage
from tests.factories import MsmeFactory, RegistrationFactory


def test_the_reminder_goes_once_the_day_before(world, django_capture_on_commit_callbacks):
    tomorrow = world.event(in_days=0.5)
    later = world.event(in_days=3)
    due = RegistrationFactory(event=tomorrow, msme=world.msme, email="amina@example.org")
    RegistrationFactory(event=later, msme=world.other_msme)
    RegistrationFactory(event=tomorrow, status="waiting")
    RegistrationFactory(event=tomorrow, status="cancelled")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_tenant() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_tenant() == 0  # the next run finds it stamped
    [message] = mail.outbox
    assert message.to == ["amina@example.org"] and message.subject.startswith("Reminder:")
    due.refresh_from_db()
    assert due.reminded_at is not None


def test_two_overlapping_runs_claim_each_registration_once(world):
    event = world.event(in_days=0.5)
    for _ in range(3):
        RegistrationFactory(event=event)
    now = timezone.now()
    candidates = Registration.objects.filter(event=event)
    first = claim_unstamped(candidates, stamp_field="reminded_at", now=now, limit=10)
    second = claim_unstamped(candidates, stamp_field="reminded_at", now=now + timedelta(seconds=1), limit=10)
    assert len(first) == 3 and second == []


def test_the_reminder_is_in_the_msme_s_language_and_on_its_channel(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    event = world.event(in_days=0.5)
    languages = []
    real_text = notifications.message_text

    def text(kind, registration):
        languages.append(translation.get_language())
        return real_text(kind, registration)

    monkeypatch.setattr(notifications, "message_text", text)
    texting = MsmeFactory(preferred_channel="sms", preferred_language="fr", phone="+254 700 000 001")
    RegistrationFactory(event=event, msme=texting)
    path = Path(settings.OUTREACH_FILE_DIR) / "sms.jsonl"
    before = path.read_text().count("\n") if path.exists() else 0
    with django_capture_on_commit_callbacks(execute=True):
        tasks.remind_tenant()
    lines = path.read_text().splitlines()[before:]
    [record] = [json.loads(line) for line in lines]
    assert record["to"] == "+254700000001"
    assert event.title in record["body"]
    assert languages == ["fr"]
    assert not mail.outbox


def test_no_address_on_the_channel_is_skipped(world, django_capture_on_commit_callbacks):
    event = world.event(in_days=0.5)
    RegistrationFactory(event=event, msme=MsmeFactory(preferred_channel="post"))
    RegistrationFactory(event=event, msme=MsmeFactory(email="", preferred_channel="email"), email="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert tasks.remind_tenant() == 2  # both claimed; neither reachable
    assert not mail.outbox and not callbacks  # nothing to send: no drain queued
    reasons = sorted(OutboxMessage.objects.values_list("status", "skip_reason"))
    assert reasons == [
        ("skipped", "no address on the channel"),
        ("skipped", "prefers a channel the portal does not send on"),
    ]


def test_feedback_is_asked_once_after_the_event_with_a_signed_link(client, world, django_capture_on_commit_callbacks):
    ended = world.event(in_days=-1)
    attended = RegistrationFactory(event=ended, attended="yes", email="kofi@example.org")
    RegistrationFactory(event=ended, attended="no")
    RegistrationFactory(event=world.event(in_days=-30))  # too long ago
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_feedback_tenant() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_feedback_tenant() == 0
    [message] = mail.outbox
    assert message.to == ["kofi@example.org"]
    link = next(line for line in message.body.splitlines() if "/events/feedback/" in line)
    path = link[link.index("/events/feedback/") :]
    response = client.get(path)
    assert response.status_code == 200
    attended.refresh_from_db()
    assert attended.feedback_requested_at is not None


def test_the_beat_jobs_run_in_every_tenant(world, django_capture_on_commit_callbacks):
    RegistrationFactory(event=world.event(in_days=0.5))
    assert tasks.send_reminders() >= 1


def _beat(capture) -> dict:
    """A run of the outbox's beat sweep (what sends the messages a drain did not)."""
    with capture(execute=True):
        return outreach_tasks.outbox_sweep()


@pytest.mark.parametrize(
    ("job", "in_days", "stamp"),
    [(tasks.remind_tenant, 0.5, "reminded_at"), (tasks.request_feedback_tenant, -1, "feedback_requested_at")],
)
def test_a_message_the_channel_could_not_take_now_is_tried_again_by_the_outbox(
    world, django_capture_on_commit_callbacks, monkeypatch, job, in_days, stamp
):
    event = world.event(in_days=in_days)
    later = RegistrationFactory(event=event, email="later@example.org")
    done = RegistrationFactory(event=event, email="done@example.org")
    refused = RegistrationFactory(event=event, email="refused@example.org")

    def send_batch(channel, messages):
        outcomes = {"later@example.org": Outcome.RETRY, "refused@example.org": Outcome.FAILED}
        return [SendResult(outcomes.get(message.to, Outcome.SENT), "554 no") for message in messages]

    with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr(outbox, "send_batch", send_batch)
        assert job() == 3
    for registration in (later, done, refused):
        registration.refresh_from_db()
        assert getattr(registration, stamp) is not None  # claimed once: the outbox retries, not the job
    rows = {row.address: row for row in OutboxMessage.objects.all()}
    assert {address: row.status for address, row in rows.items()} == {
        "later@example.org": "queued",
        "done@example.org": "sent",
        "refused@example.org": "failed",
    }
    assert rows["later@example.org"].next_attempt_at > timezone.now()  # after its backoff
    with django_capture_on_commit_callbacks(execute=True):
        assert job() == 0
    assert _beat(django_capture_on_commit_callbacks)["drains"] == 0  # not due yet
    OutboxMessage.objects.filter(address="later@example.org").update(next_attempt_at=timezone.now())
    _beat(django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [["later@example.org"]]
    assert OutboxMessage.objects.get(address="later@example.org").status == "sent"


def test_a_reminder_the_broker_could_not_take_is_sent_by_the_outbox_later(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    registration = RegistrationFactory(event=world.event(in_days=0.5), email="amina@example.org")

    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused.")

    with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr(outbox.outbox_drain, "apply_async", refuse)
        assert tasks.remind_tenant() == 1
    registration.refresh_from_db()
    assert registration.reminded_at is not None and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_tenant() == 0  # claimed: its message waits in the outbox
    assert _beat(django_capture_on_commit_callbacks)["drains"] == 1
    assert _beat(django_capture_on_commit_callbacks)["drains"] == 0
    [message] = mail.outbox
    assert message.to == ["amina@example.org"]


def test_a_task_of_the_old_name_queued_before_the_outbox_writes_its_messages_there_once(
    world, django_capture_on_commit_callbacks
):
    # A task queued by the code before the outbox, delivered after the deploy (run here as a worker would: the
    # task takes the tenant's id and opens its own tenant context).
    registration = RegistrationFactory(event=world.event(), msme=world.msme, email="amina@example.org")
    args = (world.tenant.pk, "confirmed", [str(registration.pk)])
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_registration_messages.run(*args) == 1
        tasks.send_registration_messages.run(*args)  # redelivered: the same key, no second message
    assert OutboxMessage.objects.filter(key__startswith=f"events:confirmed:{registration.pk}:").count() == 1
    [message] = [m for m in mail.outbox if m.to == ["amina@example.org"]]
    assert message.subject.startswith("Registered")
