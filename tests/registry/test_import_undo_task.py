"""Undoing a big import: past IMPORT_UNDO_IN_REQUEST_MAX_ROWS a task removes the MSMEs, a batch per transaction,
and the job's page shows the undo queued, running, then done or failed with the reason. A second undo while one
is under way is refused; a run stopped half-way is finished by undoing again, which removes only what is left;
a broker that is down fails the undo at once with nothing removed."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from apps.core.roles import Role
from apps.registry import services
from apps.registry.models import ImportJob, Msme
from apps.registry.tasks import fail_stale_import_jobs, undo_import_job
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from portal.celery import app as celery_app
from tests.registry.factories import IpAssetFactory, MsmeFactory
from tests.registry.test_import_tools import _imported, _numbers

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(client, login_as, tenant_a):
    return login_as(Role.AGENCY_STAFF, tenant_a)


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(services, "UNDO_BATCH", 2)


def _undo(client, job, **extra):
    return client.post(reverse("registry:import-undo", args=[job.pk]), {"confirm": "yes", **extra})


def _job(tenant, job) -> ImportJob:
    with tenant_context(tenant):
        return ImportJob.objects.get(pk=job.pk)


def _page(client, job) -> str:
    return client.get(reverse("registry:import-job", args=[job.pk])).content.decode()


def _said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@override_settings(IMPORT_UNDO_IN_REQUEST_MAX_ROWS=3)
def test_an_import_up_to_the_threshold_is_undone_in_the_request(
    client, agency, tenant_a, django_capture_on_commit_callbacks
):
    job = _imported(tenant_a, 3)
    with django_capture_on_commit_callbacks() as callbacks:
        response = _undo(client, job)
    assert callbacks == []  # nothing sent to a worker
    assert response.status_code == 302 and _said(response) == ["The import was undone: 3 MSMEs were removed."]
    assert _numbers(tenant_a) == set()
    job = _job(tenant_a, job)
    assert (job.undo_status, job.removed, job.undone_by) == ("done", 3, agency)


@override_settings(IMPORT_UNDO_IN_REQUEST_MAX_ROWS=2)
def test_a_bigger_import_is_undone_by_a_task_in_batches_and_the_page_shows_it(
    client, agency, tenant_a, django_capture_on_commit_callbacks, small_batches
):
    job = _imported(tenant_a, 5)
    with tenant_context(tenant_a):
        IpAssetFactory(msme=Msme.objects.get(registration_number="R2"))  # kept: it has an asset now
        MsmeFactory(registration_number="OTHER")  # not the import's
    with django_capture_on_commit_callbacks() as callbacks:
        response = _undo(client, job)
    assert response.status_code == 302 and response["Location"] == reverse("registry:import-job", args=[job.pk])
    assert len(callbacks) == 1  # the task, sent once the request commits
    assert _job(tenant_a, job).undo_status == "queued"
    assert _numbers(tenant_a) == {"R1", "R2", "R3", "R4", "R5", "OTHER"}  # nothing removed in the request

    page = _page(client, job)
    assert 'id="import-undo-progress"' in page and "The undo is queued" in page
    assert 'hx-trigger="every 1s"' in page  # polled as a running import is
    assert "Reload this page to see the progress." in page  # and without JavaScript, on reload
    assert reverse("registry:import-undo", args=[job.pk]) not in page  # no second undo offered

    # a second undo while the first is under way is refused, the confirmation too
    for data in ({"confirm": "yes"}, {}):
        with django_capture_on_commit_callbacks() as again:
            response = client.post(reverse("registry:import-undo", args=[job.pk]), data)
        assert again == [] and response.status_code == 302
        assert set(_said(response)) == {
            "This import is already being undone. Wait until it is done: its page shows the progress."
        }

    callbacks[0]()  # the worker runs it (tests run tasks in-process)
    job = _job(tenant_a, job)
    assert (job.undo_status, job.removed, job.undone_by, job.undone_at is not None) == ("done", 4, agency, True)
    assert _numbers(tenant_a) == {"R2", "OTHER"}
    page = _page(client, job)
    assert "hx-get" not in page and 'id="import-undo-progress"' not in page
    assert "Undone by" in page and "4 MSMEs were removed" in page and "Has IP assets" in page

    with tenant_context(tenant_a):
        deleted = AuditEvent.objects.filter(action="delete", object_type="registry.msme")
        assert sorted(event.changes["registration_number"] for event in deleted) == ["R1", "R3", "R4", "R5"]
        assert {(event.actor_id, event.channel) for event in deleted} == {(agency.pk, "task")}
        queued, finished = AuditEvent.objects.filter(action="update", object_id=job.pk).order_by("at")
    assert (queued.actor_id, queued.channel, queued.changes["undo_status"]) == (agency.pk, "page", ["", "queued"])
    assert (finished.actor_id, finished.channel) == (agency.pk, "task")
    assert finished.changes["undo_status"] == ["queued", "done"] and finished.changes["removed"] == [0, 4]


class Killed(BaseException):
    """A worker killed mid-run: no handler of the task's runs."""


@override_settings(IMPORT_UNDO_IN_REQUEST_MAX_ROWS=1)
def test_an_undo_stopped_half_way_is_finished_by_undoing_again_and_a_repeat_does_nothing(
    client, agency, tenant_a, django_capture_on_commit_callbacks, small_batches, monkeypatch
):
    job = _imported(tenant_a, 6)
    with tenant_context(tenant_a):
        MsmeFactory(registration_number="OTHER")
    with django_capture_on_commit_callbacks():  # queued, not run
        _undo(client, job)
    remove, calls = services._undo_remove, []

    def killed_after_one_batch(ids, **kwargs):
        calls.append(ids)
        if len(calls) > 1:
            raise Killed
        return remove(ids, **kwargs)

    monkeypatch.setattr(services, "_undo_remove", killed_after_one_batch)
    with pytest.raises(Killed):
        undo_import_job(tenant_a.pk, str(job.pk), str(agency.pk))
    monkeypatch.setattr(services, "_undo_remove", remove)
    job = _job(tenant_a, job)
    assert (job.undo_status, job.removed) == ("running", 2)  # the first batch committed, whole
    left = _numbers(tenant_a)
    assert len(left) == 5 and "OTHER" in left

    # the same message again (a redelivery) finds the undo no longer queued: nothing happens
    assert undo_import_job(tenant_a.pk, str(job.pk), str(agency.pk)) == "running"
    assert len(_numbers(tenant_a)) == 5
    assert _said(_undo(client, job)) == [
        "This import is already being undone. Wait until it is done: its page shows the progress."
    ]

    # once it cannot be running any more (its hard time limit passed), it may be asked again
    with tenant_context(tenant_a):
        ImportJob.objects.filter(pk=job.pk).update(undo_started_at=timezone.now() - timedelta(hours=2))
    page = _page(client, job)
    assert "hx-get" not in page and "has not progressed for too long" in page
    assert reverse("registry:import-undo", args=[job.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        _undo(client, job)
    job = _job(tenant_a, job)
    assert (job.undo_status, job.removed) == ("done", 6)
    assert _numbers(tenant_a) == {"OTHER"}  # only the import's, each once
    with tenant_context(tenant_a):
        deleted = AuditEvent.objects.filter(action="delete", object_type="registry.msme")
        assert sorted(event.changes["registration_number"] for event in deleted) == [f"R{n}" for n in range(1, 7)]

    # and a run of an undo already done removes nothing more
    with tenant_context(tenant_a):
        ImportJob.objects.filter(pk=job.pk).update(undo_status="queued")
    assert undo_import_job(tenant_a.pk, str(job.pk), None) == "done"
    assert _job(tenant_a, job).removed == 6 and _numbers(tenant_a) == {"OTHER"}


@override_settings(IMPORT_UNDO_IN_REQUEST_MAX_ROWS=1)
def test_an_undo_over_its_time_limit_fails_with_the_reason(
    client, agency, tenant_a, django_capture_on_commit_callbacks, small_batches, monkeypatch
):
    job = _imported(tenant_a, 4)
    remove = services._undo_remove

    def slow(ids, **kwargs):
        if _numbers(tenant_a) != {"R1", "R2", "R3", "R4"}:
            raise SoftTimeLimitExceeded()
        return remove(ids, **kwargs)

    monkeypatch.setattr(services, "_undo_remove", slow)
    with django_capture_on_commit_callbacks(execute=True):
        _undo(client, job)
    job = _job(tenant_a, job)
    assert (job.undo_status, job.removed) == ("failed", 2)
    assert "stopped after 15 minutes, its time limit" in job.undo_message
    page = _page(client, job)
    assert "hx-get" not in page and "its time limit" in page and "2 MSMEs have been removed" in page
    monkeypatch.setattr(services, "_undo_remove", remove)
    with django_capture_on_commit_callbacks(execute=True):
        _undo(client, job)
    assert (_job(tenant_a, job).undo_status, _numbers(tenant_a)) == ("done", set())


@pytest.fixture
def broker_down(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_write_url", None)
    monkeypatch.setitem(celery_app.conf, "result_backend", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)


@override_settings(IMPORT_UNDO_IN_REQUEST_MAX_ROWS=1)
def test_with_the_broker_down_the_undo_fails_at_once_and_removes_nothing(
    client, agency, tenant_a, django_capture_on_commit_callbacks, broker_down
):
    job = _imported(tenant_a, 3)
    _page(client, job)  # the first request of a process loads the page's modules
    start = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = _undo(client, job)
    assert time.monotonic() - start < 4
    assert response.status_code == 302
    job = _job(tenant_a, job)
    assert job.undo_status == "failed" and "task queue is unavailable" in job.undo_message
    assert (job.removed, job.undone_at, _numbers(tenant_a)) == (0, None, {"R1", "R2", "R3"})
    page = _page(client, job)
    assert "hx-get" not in page and "task queue is unavailable" in page
    assert reverse("registry:import-undo", args=[job.pk]) in page  # it may be tried again


@override_settings(IMPORT_UNDO_IN_REQUEST_MAX_ROWS=1)
def test_another_agencys_import_is_404_and_a_member_is_refused(
    client, login_as, tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    theirs, ours = _imported(tenant_b, 3), _imported(tenant_a, 3, prefix="A")
    login_as(Role.AGENCY_STAFF, tenant_a)
    with django_capture_on_commit_callbacks() as callbacks:
        assert _undo(client, theirs).status_code == 404
    assert callbacks == [] and _job(tenant_b, theirs).undo_status == ""
    with pytest.raises(ImportJob.DoesNotExist):  # the task, in our tenant, finds no such job either
        undo_import_job(tenant_a.pk, str(theirs.pk), None)
    assert _numbers(tenant_b) == {"R1", "R2", "R3"}
    login_as(Role.MSME_MEMBER, tenant_a)
    assert _undo(client, ours).status_code == 403
    assert _job(tenant_a, ours).undo_status == ""


def test_the_sweep_fails_undos_left_queued_or_running(client, agency, tenant_a):
    now = timezone.now()
    with tenant_context(tenant_a):
        lost = _imported(tenant_a, 1, prefix="L")
        dead = _imported(tenant_a, 1, prefix="D")
        fresh = _imported(tenant_a, 1, prefix="F")
        ImportJob.objects.filter(pk=lost.pk).update(undo_status="queued", undo_requested_at=now - timedelta(hours=2))
        ImportJob.objects.filter(pk=dead.pk).update(undo_status="running", undo_started_at=now - timedelta(hours=1))
        ImportJob.objects.filter(pk=fresh.pk).update(undo_status="running", undo_started_at=now)
    assert 'hx-trigger="every 1s"' in _page(client, fresh)
    assert "has not progressed for too long" in _page(client, lost)
    assert fail_stale_import_jobs() == 2
    with tenant_context(tenant_a):
        statuses = dict(ImportJob.objects.values_list("pk", "undo_status"))
    assert statuses == {lost.pk: "failed", dead.pk: "failed", fresh.pk: "running"}
    assert "its worker stopped" in _page(client, dead)


@pytest.mark.celery_worker
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: a real worker on the Redis broker")
@pytest.mark.django_db(transaction=True)
@override_settings(IMPORT_UNDO_IN_REQUEST_MAX_ROWS=1)
def test_a_worker_of_the_imports_queue_undoes_a_big_import(client, login_as, tenant_a, monkeypatch):
    from celery.contrib.testing.worker import start_worker

    with transaction.atomic():
        agency = login_as(Role.AGENCY_STAFF, tenant_a)
        job = _imported(tenant_a, 3)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_app.amqp.queues, "_consume_from", celery_app.amqp.queues._consume_from)
    with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING", queues=["imports"]):
        assert _undo(client, job).status_code == 302
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with transaction.atomic():
                current = _job(tenant_a, job)
            if current.undo_status not in {"queued", "running"}:
                break
            time.sleep(0.2)
    assert (current.undo_status, current.removed, current.undone_by_id) == ("done", 3, agency.pk)
    with transaction.atomic():
        assert _numbers(tenant_a) == set()
