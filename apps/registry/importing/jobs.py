"""Import jobs: the upload page and the API store the file, then a Celery task runs the import."""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.registry.importing.reader import FileRejected
from apps.registry.importing.service import ImportResult, msme_import
from apps.registry.models import ImportJob
from apps.tenants.models import Tenant

logger = logging.getLogger(__name__)


@transaction.atomic
def import_job_create(
    *, tenant: Tenant, upload: UploadedFile, on_duplicate: str, dry_run: bool, actor: Any
) -> ImportJob:
    """Store the upload and queue its import after commit."""
    from apps.registry.tasks import run_import_job
    from apps.tenants.tasks import enqueue_for_tenant

    job = ImportJob.objects.create(
        tenant=tenant,
        file_name=upload.name[:255],
        file=upload,
        on_duplicate=on_duplicate,
        dry_run=dry_run,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    enqueue_for_tenant(run_import_job, str(job.pk))
    return job


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Run a queued job in the active tenant, saving progress as batches complete."""
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])

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
            )
    except FileRejected as exc:
        job.status, job.message = ImportJob.Status.FAILED, str(exc)
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
        job.status = ImportJob.Status.DONE
        job.message = result.summary()
    job.finished_at = timezone.now()
    job.save()
    return job


def _copy_counts(job: ImportJob, result: ImportResult) -> None:
    job.created, job.updated, job.skipped, job.failed = result.created, result.updated, result.skipped, result.failed
