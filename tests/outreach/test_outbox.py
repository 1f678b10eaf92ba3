"""The outbox: one row per key, written in the caller's transaction, sent once after the commit, by the beat
sweep when the broker did not take the kick, once after a worker died mid-batch, again after a temporary
failure (backoff) and failed with its reason after the last attempt."""

from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from apps.outreach import channels, outbox, queue, tasks
from apps.outreach.channels import Outcome, SendResult
from apps.outreach.models import OutboxMessage
from apps.tenants.context import tenant_context

pytestmark = pytest.mark.django_db

ICS = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.OUTREACH_FILE_DIR = str(tmp_path / "outreach")
    settings.OUTREACH_RATE_LIMITS = {"email": 0, "sms": 0, "whatsapp": 0}


def _sms_lines() -> list[dict]:
    path = channels.FileChannel("sms").path()
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def email(key="test:1", to="amina@example.org", **fields) -> outbox.Message:
    return outbox.Message(
        **{"key": key, "channel": "email", "address": to, "subject": "Hello", "body": "Text.", **fields}
    )


def sms(key="test:sms:1", to="+254700000001") -> outbox.Message:
    return outbox.Message(key=key, channel="sms", address=to, body="Short text.")


def _rows(tenant) -> list[OutboxMessage]:
    with tenant_context(tenant), transaction.atomic():
        return list(OutboxMessage.objects.order_by("key"))


def _beat(capture) -> dict:
    with capture(execute=True):
        return tasks.outbox_sweep()


def test_a_message_enqueued_twice_is_one_row_sent_once(tenant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, tenant_context(tenant_a):
        with transaction.atomic():
            outbox.enqueue([email(subject="First")])
        with transaction.atomic():
            outbox.enqueue([email(subject="Second")])  # the same key: the first row stays as it is
    assert len(callbacks) == 2  # a drain queued after each commit; the second finds nothing to do
    [row] = _rows(tenant_a)
    assert (row.key, row.status, row.subject, row.attempts) == ("test:1", "sent", "First", 1)
    [message] = mail.outbox
    assert message.subject == "First" and message.to == ["amina@example.org"]
    assert message.extra_headers[channels.REFERENCE_HEADER] == str(row.pk)


def test_the_same_key_in_two_tenants_is_two_messages(tenant_a, tenant_b, django_capture_on_commit_callbacks):
    for tenant in (tenant_a, tenant_b):
        with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant), transaction.atomic():
            outbox.enqueue([email(to=f"someone@{tenant.slug}.example.org")])
    assert sorted(m.to[0] for m in mail.outbox) == ["someone@aa.example.org", "someone@bb.example.org"]
    assert [row.status for row in _rows(tenant_a)] == ["sent"]


def test_a_transaction_rolled_back_leaves_no_message(tenant_a, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        tenant_context(tenant_a),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue([email()])
        raise RuntimeError("the caller's write failed")
    assert callbacks == [] and mail.outbox == [] and _rows(tenant_a) == []


def test_a_kick_the_broker_refused_is_sent_once_by_the_beat_sweep(tenant_a, django_capture_on_commit_callbacks, caplog):
    down = OperationalError("Error 111 connecting to localhost:6379. Connection refused.")
    with (
        mock.patch.object(outbox.outbox_drain, "apply_async", side_effect=down),
        django_capture_on_commit_callbacks(execute=True),
        tenant_context(tenant_a),
        transaction.atomic(),
    ):
        outbox.enqueue([email(), sms()])
    assert "outreach.outbox_drain could not be queued" in caplog.text
    assert [row.status for row in _rows(tenant_a)] == ["queued", "queued"]
    assert mail.outbox == [] and _sms_lines() == []
    assert _beat(django_capture_on_commit_callbacks) == {"requeued": 0, "drains": 1, "fanouts": 0}
    assert _beat(django_capture_on_commit_callbacks) == {"requeued": 0, "drains": 0, "fanouts": 0}
    assert [row.status for row in _rows(tenant_a)] == ["sent", "sent"]
    assert len(mail.outbox) == 1 and [line["to"] for line in _sms_lines()] == ["+254700000001"]


@pytest.mark.parametrize("channel", ["sms", "email"])
def test_a_row_a_dead_worker_left_sending_is_requeued_and_not_sent_twice(
    tenant_a, settings, channel, django_capture_on_commit_callbacks
):
    # The SMS file backend and Django's in-memory mail backend both tell what they sent.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with mock.patch.object(outbox.outbox_drain, "apply_async"), tenant_context(tenant_a), transaction.atomic():
        outbox.enqueue([sms("a", "+254700000001"), sms("b", "+254700000002")] if channel == "sms" else [email("a")])
    with tenant_context(tenant_a):
        # A worker claims the rows and sends them, then dies before it marks them.
        claimed = list(queue.claim_due(OutboxMessage.objects.all(), size=10, now=timezone.now()))
        channels.send_batch(channel, [outbox._outgoing(row) for row in claimed])
        with transaction.atomic():
            assert {row.status for row in OutboxMessage.objects.all()} == {"sending"}
            assert outbox.requeue_stale() == 0  # not stale yet
            # Later than the stale window, the sweep puts them back in the queue and a drain takes them again.
            later = timezone.now() + timedelta(seconds=settings.OUTREACH_STALE_SENDING_SECONDS + 1)
            with mock.patch("django.utils.timezone.now", return_value=later):
                assert outbox.requeue_stale() == len(claimed)
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        assert outbox.drain() is False
    assert {(row.status, row.attempts) for row in _rows(tenant_a)} == {("sent", 2)}
    written = [line["to"] for line in _sms_lines()] if channel == "sms" else [m.to[0] for m in mail.outbox]
    assert len(written) == len(claimed) == len(set(written))


def test_a_slow_worker_whose_rows_were_taken_back_neither_sends_nor_marks_them(tenant_a, monkeypatch):
    with mock.patch.object(outbox.outbox_drain, "apply_async"), tenant_context(tenant_a), transaction.atomic():
        outbox.enqueue([sms()])
    with tenant_context(tenant_a):
        slow = list(queue.claim_due(OutboxMessage.objects.all(), size=10, now=timezone.now() - timedelta(hours=1)))
        with transaction.atomic():
            assert outbox.requeue_stale() == 1
        fast = list(queue.claim_due(OutboxMessage.objects.all(), size=10, now=timezone.now()))
        assert outbox.send_claimed(slow) == queue.BatchResult()  # its token is stale: nothing sent
        assert _sms_lines() == []
        assert outbox.send_claimed(fast).sent == 1
    assert len(_sms_lines()) == 1


def test_a_temporary_failure_is_retried_with_backoff_then_failed_with_its_reason(
    tenant_a, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.OUTREACH_MAX_ATTEMPTS = 3
    answers = []

    def busy(channel, messages):
        answers.append(len(messages))
        return [SendResult(Outcome.RETRY, "451 4.7.1 try again later")] * len(messages)

    monkeypatch.setattr(outbox, "send_batch", busy)
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a), transaction.atomic():
        outbox.enqueue([email()])
    waits = []
    for _attempt in range(2):
        [row] = _rows(tenant_a)
        assert row.status == "queued" and row.last_error == "451 4.7.1 try again later"
        waits.append(round((row.next_attempt_at - timezone.now()).total_seconds() / 60))
        assert _beat(django_capture_on_commit_callbacks)["drains"] == 0  # not due before its backoff
        with tenant_context(tenant_a), transaction.atomic():
            OutboxMessage.objects.update(next_attempt_at=timezone.now())
        _beat(django_capture_on_commit_callbacks)
    assert waits == [1, 4]  # backoff: one minute, then four
    [row] = _rows(tenant_a)
    assert (row.status, row.attempts, row.last_error) == ("failed", 3, "451 4.7.1 try again later")
    assert row.next_attempt_at is None and answers == [1, 1, 1]
    assert _beat(django_capture_on_commit_callbacks)["drains"] == 0  # failed for good: never tried again


def test_a_backend_that_raises_gets_one_blind_retry_then_fails(tenant_a, monkeypatch):
    def broken(channel, messages):
        raise ConnectionResetError("the provider hung up")

    monkeypatch.setattr(outbox, "send_batch", broken)
    monkeypatch.setattr(queue, "tells_what_it_sent", lambda channel: False)
    with mock.patch.object(outbox.outbox_drain, "apply_async"), tenant_context(tenant_a), transaction.atomic():
        outbox.enqueue([email()])
    with tenant_context(tenant_a):
        assert outbox.drain() is False
        with transaction.atomic():
            OutboxMessage.objects.update(next_attempt_at=None)
        assert outbox.drain() is False
    [row] = _rows(tenant_a)
    assert row.status == "failed" and "the provider hung up" in row.last_error


def test_skipped_messages_are_recorded_with_their_reason_and_queue_nothing(
    tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, tenant_context(tenant_a), transaction.atomic():
        outbox.enqueue([outbox.skipped("test:nobody", "no address on the channel", channel="sms")])
    [row] = _rows(tenant_a)
    assert (row.status, row.skip_reason, row.attempts) == ("skipped", "no address on the channel", 0)
    assert callbacks == []


def test_an_attachment_is_kept_and_sent_and_a_large_one_refused(tenant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a), transaction.atomic():
        outbox.enqueue([email(attachments=(("event.ics", ICS, "text/calendar; method=PUBLISH"),))])
        with pytest.raises(ValueError, match="attachments over"):
            outbox.enqueue(
                [email("test:2", attachments=(("big.bin", b"x" * (outbox.MAX_ATTACHMENT_BYTES + 1), "a/b"),))]
            )
    [message] = mail.outbox
    [(name, content, mimetype)] = message.attachments
    assert name == "event.ics" and mimetype.startswith("text/calendar")
    assert (content.encode() if isinstance(content, str) else content) == ICS


@pytest.mark.parametrize(
    "bad",
    [
        outbox.Message(key="test:post", channel="post", address="Box 1"),
        outbox.Message(key="test:empty", channel="email", address=""),
        outbox.Message(key="", channel="email", address="a@example.org"),
    ],
)
def test_a_message_that_cannot_be_sent_is_refused_when_written(tenant_a, bad):
    with tenant_context(tenant_a), transaction.atomic(), pytest.raises(ValueError):
        outbox.enqueue([bad])


def test_withdrawing_skips_the_queued_messages_of_a_key_prefix(tenant_a):
    with mock.patch.object(outbox.outbox_drain, "apply_async"), tenant_context(tenant_a), transaction.atomic():
        outbox.enqueue([email("events:confirmed:1:0"), email("events:confirmed:12:0"), email("news:notice:1:1")])
        assert outbox.withdraw(["events:confirmed:1:"], "cancelled") == 1
    assert [(row.key, row.status) for row in _rows(tenant_a)] == [
        ("events:confirmed:12:0", "queued"),
        ("events:confirmed:1:0", "skipped"),
        ("news:notice:1:1", "queued"),
    ]
