"""Workers on queues of their own: outreach, statistics and e-mail tasks never wait behind each other or behind
the default queue's sweeps, and each queue has a worker service of its own to scale (docker-compose.yml)."""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import transaction

from apps.tenants.context import tenant_context
from portal.celery import app
from tests.tenancy_app.models import Widget
from tests.tenancy_app.tasks import widget_names

ROOT = Path(__file__).resolve().parent.parent
QUEUES = {queue.name for queue in settings.CELERY_TASK_QUEUES}


def _queue_of(task_name: str) -> str:
    route = app.amqp.router.route({}, task_name)
    return route["queue"].name


def _served_queues(command: str) -> set[str] | None:
    """The queues a `celery worker` command line serves (None: it names none, so it serves them all)."""
    for word in shlex.split(command):
        if word.startswith("--queues="):
            return set(word.removeprefix("--queues=").split(","))
    return None


def test_the_queues_are_the_five_the_deployment_scales():
    assert {"celery", "imports", "outreach", "statistics", "email"} == QUEUES
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "celery"


@pytest.mark.parametrize(
    "task_name, queue",
    [
        ("outreach.campaign_plan", "outreach"),
        ("outreach.campaign_send_batches", "outreach"),
        ("outreach.outbox_drain", "outreach"),
        ("events.write_messages", "outreach"),
        ("news.notify_followers", "outreach"),
        ("dashboards.rollup_tenant", "statistics"),
        ("dashboards.rollup_all", "statistics"),
        ("accounts.send_email", "email"),
        ("helpdesk.send_ticket_email", "email"),
        ("reminders.send_pending", "email"),
        # The beat sweeps stay on the default queue: they only look for work and enqueue it.
        ("outreach.sweep", "celery"),
        ("helpdesk.sla_sweep", "celery"),
        ("registry.fail_stale_import_jobs", "celery"),
    ],
)
def test_each_task_is_routed_to_its_queue(task_name, queue):
    assert task_name in app.tasks, f"{task_name} is not a registered task"
    assert _queue_of(task_name) == queue


def test_every_route_names_a_registered_task_and_a_declared_queue():
    # A renamed task would silently fall back to the default queue: each pattern must still match one.
    portal_tasks = [name for name in app.tasks if not name.startswith("celery.")]
    for pattern, options in settings.CELERY_TASK_ROUTES.items():
        assert fnmatch.filter(portal_tasks, pattern), f"the route {pattern!r} matches no task"
        assert options["queue"] in QUEUES, f"the route {pattern!r} names an undeclared queue"
    assert {_queue_of(name) for name in portal_tasks} <= QUEUES


def test_compose_runs_one_worker_service_per_queue():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    served: dict[str, str] = {}
    for name, service in services.items():
        command = service.get("command", "")
        if not isinstance(command, str) or not command.startswith("celery -A portal worker"):
            continue
        queues = _served_queues(command)
        assert queues, f"the {name} service serves every queue: name its own"
        for queue in queues:
            assert queue in QUEUES, f"{name} serves an undeclared queue {queue!r}"
            assert queue not in served, f"{queue!r} is served by both {served[queue]} and {name}"
            served[queue] = name
        assert service["volumes"] == services["web"]["volumes"], f"{name} reads the private uploads"
    assert set(served) == QUEUES, f"no worker service serves {QUEUES - set(served)}"


def test_the_development_workers_serve_every_queue():
    procfile = (ROOT / "Procfile.dev").read_text()
    served: set[str] = set()
    for command in re.findall(r"^\w+: (.*celery -A portal worker.*)$", procfile, re.M):
        served |= _served_queues(command) or QUEUES
    assert served == QUEUES


@pytest.mark.celery_worker
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: real workers on the Redis broker")
@pytest.mark.django_db(transaction=True)
def test_a_busy_queue_does_not_hold_another_and_its_own_worker_runs_it(tenant_a, monkeypatch):
    """A task on the statistics queue waits for a statistics worker; the default queue's worker runs its own
    task meanwhile. Then a worker of the statistics queue alone takes it."""
    import redis
    from celery.contrib.testing.worker import start_worker

    from apps.dashboards.tasks import rollup_tenant

    with transaction.atomic(), tenant_context(tenant_a):
        Widget.objects.create(name="spindle")
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    # A worker started with queues= narrows what the app consumes for good: put it back afterwards.
    monkeypatch.setattr(app.amqp.queues, "_consume_from", app.amqp.queues._consume_from)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("statistics")
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", queues=["celery"]):
        rollup_tenant.delay(tenant_a.pk)
        assert widget_names.delay(tenant_a.pk).get(timeout=30) == ["aa", "spindle"]
        assert broker.llen("statistics") == 1  # still waiting: no worker of its queue runs
    assert not _rolled_up(tenant_a)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", queues=["statistics"]):
        deadline = time.monotonic() + 30
        while not _rolled_up(tenant_a) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert _rolled_up(tenant_a)
    assert broker.llen("statistics") == 0


def _rolled_up(tenant) -> bool:
    from apps.dashboards.models import RollupState

    with transaction.atomic(), tenant_context(tenant):
        return RollupState.objects.exists()
