"""Redis down in the middle of a campaign (PostgreSQL and redis-server): a real worker whose broker and cache are
a throwaway Redis sends a campaign; Redis is killed mid-way. While it is down the campaign's pages answer and
/healthz says `degraded`, never a 500; once it is back (empty, on the same port) the worker reconnects, the
beat's sweep restarts the campaign's chain and it finishes with exactly one delivery and one message written
per consenting MSME."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

import portal.settings.base as base_settings
from apps.core.roles import Role
from apps.outreach import services, tasks
from apps.outreach.models import Campaign, Delivery
from apps.tenants.context import tenant_context
from apps.tenants.tasks import send_now
from portal.celery import app
from tests.factories import user_with_role
from tests.outreach.campaign_helpers import campaign_with_messages
from tests.outreach.workers import Worker, bulk_msmes, written_references
from tests.redis_server import ThrowawayRedis, skip_without_redis_server

skip_without_redis_server()

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    # redis-server is required under CI (skip_without_redis_server); the SQLite run of CI skips it.
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="needs a PostgreSQL DATABASE_URL: a real worker in a process of its own shares the database",
    ),
]
RECIPIENTS = 3000
WAIT_SECONDS = 90


@pytest.fixture
def redis_for_everything() -> Iterator[ThrowawayRedis]:
    """A throwaway Redis as this process's cache and broker (the worker is given it too)."""
    server = ThrowawayRedis()
    server.start()
    broker_url = app.conf.broker_url
    app.conf.broker_url = server.url
    app.conf.task_always_eager = False
    try:
        with override_settings(CACHES={"default": base_settings.redis_cache(server.url)}, REDIS_URL=server.url):
            yield server
    finally:
        app.conf.task_always_eager = True
        app.conf.broker_url = broker_url
        server.stop()


def _sent(tenant, campaign) -> tuple[str, int]:
    with tenant_context(tenant), transaction.atomic():
        status = Campaign.objects.get(pk=campaign.pk).status
        return status, Delivery.objects.filter(campaign=campaign, status="sent").count()


def _wait(predicate, *, every: float = 0.1, then=None) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        if then is not None:
            then()
        time.sleep(every)


def _beat_sweep() -> None:
    # What the beat does every minute: queue the sweep on the broker, for a worker to run.
    assert send_now(tasks.sweep)


def test_sending_stops_while_redis_is_down_the_pages_answer_and_it_resumes_once_redis_is_back(
    tenant_a, tmp_path, redis_for_everything
):
    server = redis_for_everything
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with tenant_context(tenant_a), transaction.atomic():
        consenting = bulk_msmes(RECIPIENTS, prefix="Outage")
        campaign = campaign_with_messages()
    staff = Client(raise_request_exception=False)
    staff.force_login(user_with_role(Role.AGENCY_STAFF, tenant_a))
    pages = [reverse("outreach:index"), reverse("outreach:campaign_detail", args=[campaign.pk])]
    # Each sending task hands on to the next after a second (a minute in production), so that a hand-off
    # falls in the outage.
    worker_env = {"REDIS_URL": server.url, "OUTREACH_SEND_SECONDS": "1", "OUTREACH_STALE_SENDING_SECONDS": "2"}
    worker = Worker(mail_dir, tmp_path / "files", log=tmp_path / "worker.log", **worker_env).start()
    try:
        with tenant_context(tenant_a), transaction.atomic():
            assert services.campaign_send(campaign=Campaign.objects.get(pk=campaign.pk), actor=None)
        _wait(lambda: _sent(tenant_a, campaign)[1] >= 300, every=0.05)

        server.stop()

        # Sending stops: the task in hand ends and cannot queue the next one.
        time.sleep(3)
        status, stalled = _sent(tenant_a, campaign)
        assert status == "sending" and stalled < consenting, "the campaign finished before Redis went down"
        time.sleep(2)
        assert _sent(tenant_a, campaign) == ("sending", stalled)
        started = time.monotonic()
        for page in pages:
            assert staff.get(page).status_code == 200, page
        health = Client(raise_request_exception=False).get("/healthz")
        assert health.status_code == 503
        assert {key: health.json()[key] for key in ("status", "cache", "broker", "database")} == {
            "status": "degraded",
            "cache": "error",
            "broker": "error",
            "database": "ok",
        }
        assert time.monotonic() - started < 15, "pages hang while Redis is down"

        server.start()  # empty, on the same port: the queue and the campaign's chain key are gone

        _wait(lambda: _sent(tenant_a, campaign)[0] == "sent", every=2, then=_beat_sweep)
    finally:
        worker.stop()
    with tenant_context(tenant_a), transaction.atomic():
        rows = list(Delivery.objects.filter(campaign=campaign).values_list("pk", "status"))
    assert len(rows) == RECIPIENTS
    sent = {str(pk) for pk, status in rows if status == "sent"}
    assert len(sent) == consenting
    written = written_references(mail_dir)
    assert set(written) == sent
    assert max(written.values()) == 1, [ref for ref, n in written.items() if n > 1][:5]
    assert all(staff.get(page).status_code == 200 for page in pages)
    assert Client().get("/healthz").json()["status"] == "ok"
