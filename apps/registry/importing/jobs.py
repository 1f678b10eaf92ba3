"""Import jobs: the upload page and the API store the file, then a Celery task runs the import.

A job must always end as done or failed, so that its page stops polling: a file the broker cannot take
fails at once, a task over its time limit fails with that reason, and a beat sweep fails jobs left
queued or running (a lost message, a killed worker).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.registry.importing import undo
from apps.registry.importing.reader import FileRejected, unpacked_size
from apps.registry.importing.service import ImportResult, msme_import
from apps.registry.models import ImportJob
from apps.tenants.context import tenant_context, unscoped
from apps.tenants.models import Tenant
from apps.tenants.tasks import send_now

logger = logging.getLogger(__name__)

IMPORTS_QUEUE = "imports"
MESSAGE_LENGTH = 2000


@transaction.atomic
def import_job_create(
    *, tenant: Tenant, upload: UploadedFile, on_duplicate: str, dry_run: bool, actor: Any
) -> ImportJob:
    """Store the upload and queue its import after commit (a job the broker refuses is failed at once)."""
    small = unpacked_size(upload, upload.name) <= settings.IMPORT_SMALL_FILE_MB * 1024 * 1024
    job = ImportJob.objects.create(
        tenant=tenant,
        file_name=upload.name[:255],
        file=upload,
        on_duplicate=on_duplicate,
        dry_run=dry_run,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: import_job_enqueue(job=job, small=small))
    return job


def import_job_queue(*, small: bool) -> dict[str, Any]:
    """Where a job runs: small files (by what they unpack to, for an XLSX) on the default queue, where they
    never wait behind a big file; big ones on the imports queue. Each with its time limits: at the soft one
    the job fails with the reason, the hard one (a minute later) kills the task."""
    if small:
        soft = settings.IMPORT_SMALL_TIME_LIMIT
        return {"soft_time_limit": soft, "time_limit": soft + 60}
    soft = settings.IMPORT_TIME_LIMIT
    return {"queue": IMPORTS_QUEUE, "soft_time_limit": soft, "time_limit": soft + 60}


def import_job_enqueue(*, job: ImportJob, small: bool) -> None:
    """Send the job to its queue; when the broker cannot take it, fail the job with the reason, at once."""
    from apps.registry.tasks import run_import_job  # tasks.py imports this module

    options = import_job_queue(small=small)

    def fail_job() -> None:
        with transaction.atomic(), tenant_context(job.tenant):  # after the request's commit: a transaction of its own
            ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
                status=ImportJob.Status.FAILED,
                message=_("The import could not be started: the task queue is unavailable. Try again in a while."),
                finished_at=timezone.now(),
            )

    send_now(run_import_job, (job.tenant_id, str(job.pk)), on_refused=fail_job, **options)


def import_undo_options() -> dict[str, Any]:
    """Where an undo runs: on the imports queue, as a big file's import, with the same time limits."""
    soft = settings.IMPORT_TIME_LIMIT
    return {"queue": IMPORTS_QUEUE, "soft_time_limit": soft, "time_limit": soft + 60}


def import_undo_enqueue(*, job: ImportJob, actor_id: str | None) -> bool:
    """Send the job's queued undo; when the broker cannot take it, fail the undo with the reason, at once
    (nothing has been removed)."""
    from apps.registry.tasks import undo_import_job  # tasks.py imports this module

    def fail_undo() -> None:
        with transaction.atomic(), tenant_context(job.tenant):  # after the request's commit: a transaction of its own
            ImportJob.objects.filter(pk=job.pk, undo_status=ImportJob.UndoStatus.QUEUED).update(
                undo_status=ImportJob.UndoStatus.FAILED,
                undo_message=_(
                    "The undo could not be started: the task queue is unavailable. Nothing was removed; "
                    "try again in a while."
                ),
            )

    return send_now(
        undo_import_job, (job.tenant_id, str(job.pk), actor_id), on_refused=fail_undo, **import_undo_options()
    )


def import_undo_stopped(exc: BaseException) -> str | None:
    """The reason an undo task fails with when `exc` stopped it (None: an unexpected error)."""
    if isinstance(exc, SoftTimeLimitExceeded):
        return _(
            "The undo was stopped after %(minutes)d minutes, its time limit. The MSMEs removed so far are "
            "counted; undo the import again to finish."
        ) % {"minutes": max(1, round(settings.IMPORT_TIME_LIMIT / 60))}
    return None


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Run a queued job in the active tenant, saving progress as batches complete."""
    if job.status != ImportJob.Status.QUEUED:
        return job  # already run, or failed by the sweep: a late or repeated message does nothing
    job.status, job.started_at = ImportJob.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])

    def progress(rows: int, result: ImportResult) -> None:
        _copy_counts(job, result)
        job.rows_processed = rows
        job.save(update_fields=["rows_processed", "created", "updated", "skipped", "failed"])

    try:
        with job.file.open("rb") as stream:
            result = msme_import(
                tenant=job.tenant,
                stream=stream,
                file_name=job.file_name,
                on_duplicate=job.on_duplicate,
                dry_run=job.dry_run,
                actor=job.created_by,
                progress=progress,
                job=job,
            )
    except FileRejected as exc:
        job.status, job.message = ImportJob.Status.FAILED, str(exc)[:MESSAGE_LENGTH]
    except SoftTimeLimitExceeded:
        job.status = ImportJob.Status.FAILED
        job.message = _(
            "The import was stopped after %(minutes)d minutes, its time limit. The counts show what was stored; "
            "split the file and import the parts."
        ) % {"minutes": max(1, round(_time_limit(job) / 60))}
    except Exception:
        # Never leave the job "running" (its page would poll for ever); batches already written stay.
        logger.exception("Import job %s stopped on an unexpected error", job.pk)
        job.status = ImportJob.Status.FAILED
        job.message = _(
            "The import stopped on an unexpected error. The counts show what was stored; "
            "import the file again to finish."
        )
    else:
        _copy_counts(job, result)
        job.rows_processed = job.rows_total = result.rows
        job.errors = [error.as_dict() for error in result.errors]
        job.errors_omitted = result.errors_omitted
        job.status = ImportJob.Status.DONE
        job.message = result.summary()
    job.finished_at = timezone.now()
    job.save()
    return job


def _time_limit(job: ImportJob) -> int:
    try:
        with job.file.open("rb") as stream:
            small = unpacked_size(stream, job.file_name) <= settings.IMPORT_SMALL_FILE_MB * 1024 * 1024
    except (OSError, ValueError):  # the file is gone: say the longer limit
        small = False
    return import_job_queue(small=small)["soft_time_limit"]


def _copy_counts(job: ImportJob, result: ImportResult) -> None:
    job.created, job.updated, job.skipped, job.failed = result.created, result.updated, result.skipped, result.failed


def _stale_bounds(now: datetime) -> tuple[datetime, datetime]:
    """(queued before, started before): a job older than these cannot be waiting or running any more."""
    queued = now - timedelta(minutes=settings.IMPORT_QUEUED_TIMEOUT_MINUTES)
    # The hard time limit of the longest job has passed (and a margin): its worker was killed or lost.
    started = now - timedelta(seconds=settings.IMPORT_TIME_LIMIT + 60 + 5 * 60)
    return queued, started


def _stale() -> Q:
    queued, started = _stale_bounds(timezone.now())
    return Q(status=ImportJob.Status.QUEUED, created_at__lt=queued) | Q(
        Q(started_at__lt=started) | Q(started_at__isnull=True, created_at__lt=started), status=ImportJob.Status.RUNNING
    )


def import_job_polls(*, job: ImportJob) -> bool:
    """Whether the job's page keeps polling: only while the job can still make progress."""
    if job.status not in {ImportJob.Status.QUEUED, ImportJob.Status.RUNNING}:
        return False
    return not ImportJob.objects.filter(_stale(), pk=job.pk).exists()


def import_undo_polls(*, job: ImportJob) -> bool:
    """Whether the job's page keeps polling for its undo: only while the undo can still make progress."""
    return undo.undo_in_progress(job)


def import_undos_fail_stale() -> int:
    """Fail, in every tenant, the undos left queued or running beyond any bound; returns how many. Whole batches
    removed stay (each committed with its events); undoing again finishes the rest."""
    with (
        transaction.atomic(),
        unscoped("beat: failing import undos stuck in the queue or on a lost worker, in every tenant"),
    ):
        return ImportJob.objects.filter(undo.undo_stale_q()).update(
            undo_status=ImportJob.UndoStatus.FAILED,
            undo_message=_(
                "The undo did not finish: it waited too long for a worker, or its worker stopped. The MSMEs "
                "removed so far are counted; undo the import again to finish."
            ),
        )


def import_jobs_fail_stale() -> int:
    """Fail, in every tenant, the jobs left queued or running beyond any bound; returns how many."""
    with (
        transaction.atomic(),
        unscoped("beat: failing import jobs stuck in the queue or on a lost worker, in every tenant"),
    ):
        return ImportJob.objects.filter(_stale()).update(
            status=ImportJob.Status.FAILED,
            message=_(
                "The import did not finish: it waited too long for a worker, or its worker stopped. "
                "The counts show what was stored; import the file again."
            ),
            finished_at=timezone.now(),
        )
