"""A real Celery worker SIGKILLed in the middle of a 100,000-row import (PostgreSQL and Redis): the batches it
committed stay, and each is whole; the job, whose message the dead worker had taken, is failed by the beat sweep
instead of polling for ever; importing the file again (skipping what is stored) finishes it. Each row is stored
exactly once.

Tasks are acknowledged when a worker takes them (no acks_late): a killed import is not run again by itself, and
`import_job_run` refuses a job that is no longer queued, so a redelivered message could never import twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from apps.registry.importing.jobs import import_job_create, import_jobs_fail_stale
from apps.registry.models import ImportJob, Msme
from apps.tenants.context import tenant_context
from apps.tenants.files import PrivateFileSystemStorage
from portal.celery import app
from tests.outreach.workers import Worker

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL: a real worker in its own process",
    ),
]
ROWS = 100_000  # four batches of the PostgreSQL path (SQL_BATCH_SIZE)
SMALL_FILE_MB = "10"  # the file goes to the default queue, the one the test's worker takes
WAIT_SECONDS = 300


class ImportWorker(Worker):
    """A worker that reads uploads from `media` on disk (the test settings keep them in memory, per process)."""

    def __init__(self, tmp_path: Path, media: Path) -> None:
        super().__init__(
            tmp_path / "mail",
            tmp_path / "files",
            PRIVATE_MEDIA_ROOT=str(media),
            IMPORT_SMALL_FILE_MB=SMALL_FILE_MB,
        )

    def start(self) -> ImportWorker:
        code = (
            "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings.test');"
            "from django.conf import settings;"
            "settings.STORAGES = {**settings.STORAGES, 'private': {"
            "'BACKEND': 'apps.tenants.files.PrivateFileSystemStorage',"
            "'OPTIONS': {'location': os.environ['PRIVATE_MEDIA_ROOT'], 'base_url': None}}};"
            "from tests.outreach.worker_process import main; main()"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            env=self.env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self


@pytest.fixture
def media(tmp_path, monkeypatch, settings):
    media = tmp_path / "private"
    monkeypatch.setattr(ImportJob._meta.get_field("file"), "storage", PrivateFileSystemStorage(location=media))
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    settings.IMPORT_SMALL_FILE_MB = float(SMALL_FILE_MB)
    return media


def _csv() -> bytes:
    lines = ["name,registration_number,sector_isic,employees"]
    lines += [f"Killed Import {n:06d},KILL-{n:06d},1392,4" for n in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


def _queue(tenant, content: bytes) -> ImportJob:
    with tenant_context(tenant), transaction.atomic():  # sent to the broker when this commits
        return import_job_create(
            tenant=tenant,
            upload=SimpleUploadedFile("many.csv", content, content_type="text/csv"),
            on_duplicate=ImportJob.OnDuplicate.SKIP,
            dry_run=False,
            actor=None,
        )


def _job(tenant, pk) -> ImportJob:
    with tenant_context(tenant), transaction.atomic():
        return ImportJob.objects.get(pk=pk)


def _stored(tenant) -> int:
    with tenant_context(tenant), transaction.atomic():
        return Msme.objects.filter(registration_number__startswith="KILL-").count()


def _wait(predicate, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not predicate():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)


def test_an_import_whose_worker_is_killed_is_failed_and_finished_by_importing_again(tenant_a, tmp_path, media):
    content = _csv()
    worker = ImportWorker(tmp_path, media).start()
    try:
        first = _queue(tenant_a, content)
        _wait(lambda: _job(tenant_a, first.pk).rows_processed > 0, "the first batch")
        worker.kill()
    finally:
        worker.stop()
    killed = _job(tenant_a, first.pk)
    stored = _stored(tenant_a)
    assert killed.status == ImportJob.Status.RUNNING and 0 < stored < ROWS, (killed.status, stored)
    # Whole batches only, and the job's counts say what is stored (progress is saved with each batch).
    assert stored % 25_000 == 0 and killed.created == stored, (stored, killed.created)

    # A new worker does not run the lost message again; the job stays as the dead worker left it ...
    worker = ImportWorker(tmp_path, media).start()
    try:
        time.sleep(3)
        assert _job(tenant_a, first.pk).status == ImportJob.Status.RUNNING and _stored(tenant_a) == stored
        # ... until the beat sweep, once the longest time limit has passed, fails it with the reason.
        later = timezone.now() + timedelta(seconds=settings.IMPORT_TIME_LIMIT + 60 + 5 * 60 + 1)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timezone, "now", lambda: later)
            assert import_jobs_fail_stale() == 1
        failed = _job(tenant_a, first.pk)
        assert failed.status == ImportJob.Status.FAILED and "import the file again" in failed.message

        # Importing the same file again, skipping the rows stored, finishes it.
        second = _queue(tenant_a, content)
        _wait(lambda: _job(tenant_a, second.pk).status in {"done", "failed"}, "the second import to end")
    finally:
        worker.stop()
    done = _job(tenant_a, second.pk)
    assert done.status == ImportJob.Status.DONE, done.message
    assert (done.created, done.skipped, done.failed) == (ROWS - stored, stored, 0)
    with tenant_context(tenant_a), transaction.atomic():
        rows = Msme.objects.filter(registration_number__startswith="KILL-")
        assert rows.count() == ROWS
        assert not rows.values("registration_number").annotate(n=Count("id")).filter(n__gt=1).exists()
