"""Reliability with real workers in processes of their own (PostgreSQL and Redis): a worker SIGKILLed in the
middle of a 10,000-recipient campaign and started again, and the same campaign sent twice at once by two
workers: each consented MSME has exactly one delivery, and exactly one message is written for it; and a worker
SIGKILLed while it drains the outbox: each message written once."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from apps.outreach import outbox, services, tasks
from apps.outreach.models import Campaign, Delivery, OutboxMessage
from apps.outreach.sending import campaign_plan, campaign_send_batches
from apps.tenants.context import tenant_context
from portal.celery import app
from tests.outreach.campaign_helpers import campaign_with_messages
from tests.outreach.workers import Worker, bulk_msmes, written_references

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL: real workers in their own processes",
    ),
]
RECIPIENTS = 10_000
WAIT_SECONDS = 600


def _counts(tenant, campaign) -> tuple[str, int, int]:
    with tenant_context(tenant), transaction.atomic():
        status = Campaign.objects.get(pk=campaign.pk).status
        sent = Delivery.objects.filter(campaign=campaign, status="sent").count()
        total = Delivery.objects.filter(campaign=campaign).count()
    return status, sent, total


def _wait(predicate, *, sweep: bool = False, every: float = 2) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        if sweep:
            tasks.sweep.delay()
        time.sleep(every)


# Before killing a worker mid-run the test looks often: at one look every two seconds, a fast worker could send
# everything between two looks and leave nothing to recover.
KILL_LOOK_EVERY = 0.05


def _check_exactly_once(tenant, campaign, consenting: int, mail_dir: Path) -> None:
    with tenant_context(tenant), transaction.atomic():
        rows = list(Delivery.objects.filter(campaign=campaign).values_list("pk", "status"))
    assert len(rows) == RECIPIENTS  # one row per MSME
    sent = {str(pk) for pk, status in rows if status == "sent"}
    assert len(sent) == consenting
    written = written_references(mail_dir)
    assert set(written) == sent
    assert max(written.values()) == 1, [ref for ref, n in written.items() if n > 1][:5]


@pytest.fixture
def eager_off():
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_a_worker_killed_mid_campaign_and_started_again_sends_each_message_exactly_once(tenant_a, tmp_path, eager_off):
    mail_dir, file_dir = tmp_path / "mail", tmp_path / "files"
    mail_dir.mkdir()
    with tenant_context(tenant_a), transaction.atomic():
        consenting = bulk_msmes(RECIPIENTS)
        campaign = campaign_with_messages()
    worker = Worker(mail_dir, file_dir).start()
    try:
        with tenant_context(tenant_a), transaction.atomic():
            stored = Campaign.objects.get(pk=campaign.pk)
            assert services.campaign_send(campaign=stored, actor=None), (stored.status, Campaign.objects.count())
        _wait(lambda: _counts(tenant_a, campaign)[1] >= 2000, every=KILL_LOOK_EVERY)
        worker.kill()
        status, sent, _total = _counts(tenant_a, campaign)
        assert status == "sending" and sent < consenting, "the worker finished before it was killed"
        worker = Worker(mail_dir, file_dir).start()
        time.sleep(2)  # past OUTREACH_STALE_SENDING_SECONDS: the killed worker's rows are stale
        _wait(lambda: _counts(tenant_a, campaign)[0] == "sent", sweep=True)
    finally:
        worker.stop()
    _check_exactly_once(tenant_a, campaign, consenting, mail_dir)


def test_the_same_campaign_sent_twice_at_once_by_two_workers_sends_each_message_once(tenant_a, tmp_path, eager_off):
    mail_dir, file_dir = tmp_path / "mail", tmp_path / "files"
    mail_dir.mkdir()
    with tenant_context(tenant_a), transaction.atomic():
        consenting = bulk_msmes(RECIPIENTS)
        campaign = campaign_with_messages()
    workers = [Worker(mail_dir, file_dir).start(), Worker(mail_dir, file_dir).start()]
    try:
        started = []

        def click() -> None:
            with tenant_context(tenant_a), transaction.atomic():
                started.append(services.campaign_send(campaign=Campaign.objects.get(pk=campaign.pk), actor=None))
            connection.close()

        clicks = [threading.Thread(target=click) for _ in range(2)]
        for thread in clicks:
            thread.start()
        for thread in clicks:
            thread.join()
        assert sorted(started) == [False, True]
        # Both workers plan and send it at once: extra planning and sending tasks for the same campaign.
        _wait(lambda: _counts(tenant_a, campaign)[2] > 0)
        for _ in range(2):
            campaign_plan.delay(tenant_a.pk, str(campaign.pk))
            campaign_send_batches.delay(tenant_a.pk, str(campaign.pk))
        _wait(lambda: _counts(tenant_a, campaign)[0] == "sent", sweep=True)
    finally:
        for worker in workers:
            worker.stop()
    _check_exactly_once(tenant_a, campaign, consenting, mail_dir)


OUTBOX_MESSAGES = 3000


def _outbox_counts(tenant) -> tuple[int, int]:
    with tenant_context(tenant), transaction.atomic():
        return OutboxMessage.objects.filter(status="sent").count(), OutboxMessage.objects.count()


def test_a_worker_killed_while_draining_the_outbox_sends_each_message_exactly_once(tenant_a, tmp_path, eager_off):
    mail_dir, file_dir = tmp_path / "mail", tmp_path / "files"
    mail_dir.mkdir()
    worker = Worker(mail_dir, file_dir).start()
    try:
        with tenant_context(tenant_a), transaction.atomic():
            outbox.enqueue(
                outbox.Message(
                    key=f"test:{n}", channel="email", address=f"p{n:05d}@example.org", subject="Hi", body="."
                )
                for n in range(OUTBOX_MESSAGES)
            )  # the drain is queued on commit
        _wait(lambda: _outbox_counts(tenant_a)[0] >= 500, every=KILL_LOOK_EVERY)
        worker.kill()
        assert _outbox_counts(tenant_a)[0] < OUTBOX_MESSAGES, "the worker finished before it was killed"
        worker = Worker(mail_dir, file_dir).start()
        time.sleep(2)  # past OUTREACH_STALE_SENDING_SECONDS: the killed worker's rows are stale
        deadline = time.monotonic() + WAIT_SECONDS
        while _outbox_counts(tenant_a)[0] < OUTBOX_MESSAGES:
            assert time.monotonic() < deadline, "timed out"
            tasks.outbox_sweep.delay()
            time.sleep(2)
    finally:
        worker.stop()
    with tenant_context(tenant_a), transaction.atomic():
        sent = {str(pk) for pk in OutboxMessage.objects.filter(status="sent").values_list("pk", flat=True)}
    assert len(sent) == OUTBOX_MESSAGES
    written = written_references(mail_dir)
    assert set(written) == sent
    assert max(written.values()) == 1, [ref for ref, n in written.items() if n > 1][:5]
