"""A real Celery worker SIGKILLed in the middle of a tenant's statistics rollup (PostgreSQL and Redis): the run is
one transaction, so the summary tables keep the last counts whole (nothing half-moved), and the next run, by a
new worker, counts each changed MSME once: the tables are exactly those a full run makes."""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from apps.dashboards import rollups, tasks
from apps.dashboards.models import MsmeFact, RollupState
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from portal.celery import app
from tests.dashboards.test_rollups import current_tables, full_tables
from tests.outreach.workers import Worker, bulk_msmes

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL: a real worker in its own process",
    ),
]
MSMES = 30_000  # a refresh of this many changed MSMEs takes seconds: the kill lands inside it
WAIT_SECONDS = 300


@pytest.fixture
def eager_off(monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", False)


def _rollup_in_flight() -> bool:
    """Whether another session of the test database is inside a transaction that touched the rollup tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND xact_start IS NOT NULL AND query ILIKE %s",
            ["%dashboards_%"],
        )
        return cursor.fetchone()[0] > 0


def _other_sessions_in_transaction() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND xact_start IS NOT NULL"
        )
        return cursor.fetchone()[0]


def _last_run(tenant):
    with tenant_context(tenant), transaction.atomic():
        return RollupState.objects.get().last_run_at


def _wait(predicate, what: str, every: float = 0.05) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not predicate():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(every)


def test_a_rollup_whose_worker_is_killed_leaves_the_last_counts_and_the_next_run_counts_once(
    tenant_a, tmp_path, eager_off
):
    with tenant_context(tenant_a), transaction.atomic():
        bulk_msmes(MSMES)
        rollups.rebuild(tenant_a)
    counted = current_tables(tenant_a)
    first_run = _last_run(tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        # Every MSME changes size: the incremental run moves each from "micro" to "small".
        Msme.objects.update(employees=30, size_class="small", updated_at=timezone.now())
    expected = full_tables(tenant_a)
    assert expected != counted

    worker = Worker(tmp_path / "mail", tmp_path / "files").start()
    try:
        tasks.rollup_tenant.delay(tenant_a.pk)
        _wait(_rollup_in_flight, "the rollup to start")
        worker.kill()
    finally:
        worker.stop()
    # PostgreSQL rolls the dead worker's transaction back once it notices the client is gone.
    _wait(lambda: _other_sessions_in_transaction() == 0, "the killed run's transaction to end", every=0.2)
    assert _last_run(tenant_a) == first_run, "the run finished before the worker was killed"
    assert current_tables(tenant_a) == counted  # the last counts, whole: nothing half-moved

    worker = Worker(tmp_path / "mail", tmp_path / "files").start()
    try:
        tasks.rollup_tenant.delay(tenant_a.pk)  # the next run (beat's, or "Update now")
        _wait(lambda: _last_run(tenant_a) != first_run, "the next run", every=0.5)
    finally:
        worker.stop()
    assert current_tables(tenant_a) == expected  # each MSME moved once
    with tenant_context(tenant_a), transaction.atomic():
        assert MsmeFact.objects.count() == MSMES
