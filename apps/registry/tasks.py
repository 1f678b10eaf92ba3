from celery import shared_task
from django.conf import settings
from django.db import transaction

from apps.registry.importing.files import import_files_purge_expired
from apps.registry.importing.jobs import import_job_run, import_jobs_fail_stale
from apps.registry.models import ImportJob
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant
from apps.tenants.rls import apply_scope
from apps.tenants.tasks import tenant_task


# The queue and tighter time limits for small files are given per job when it is sent (import_job_queue);
# these limits hold for a job sent without them. Nobody reads the result.
# Not one transaction: the job saves its progress as batches are written, which its page shows while
# it runs, and a failure must leave the batches already written (the job says so).
@tenant_task(
    commits_as_it_goes="import job: progress and batches are committed as they are written",
    name="registry.run_import_job",
    ignore_result=True,
    soft_time_limit=settings.IMPORT_TIME_LIMIT,
    time_limit=settings.IMPORT_TIME_LIMIT + 60,
)
def run_import_job(tenant, job_id: str) -> str:
    job = ImportJob.objects.get(pk=job_id)
    return import_job_run(job=job).status


@shared_task(name="registry.purge_expired_import_files")
def purge_expired_import_files() -> int:
    """Daily: every tenant's import files older than IMPORT_FILE_RETENTION_DAYS are deleted."""
    deleted = 0
    for tenant in Tenant.objects.order_by("pk"):
        # One transaction per tenant: the scope is set at its start, and one tenant's failure
        # does not undo another's purge.
        with transaction.atomic(), tenant_context(tenant):
            apply_scope()
            deleted += import_files_purge_expired()
    return deleted


@shared_task(name="registry.fail_stale_import_jobs", ignore_result=True)
def fail_stale_import_jobs() -> int:
    return import_jobs_fail_stale()
