from celery import shared_task

from apps.registry.importing.files import import_files_purge_expired
from apps.registry.importing.jobs import import_job_run
from apps.registry.models import ImportJob
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant
from apps.tenants.tasks import tenant_task


@tenant_task(name="registry.run_import_job")
def run_import_job(tenant, job_id: str) -> str:
    job = ImportJob.objects.get(pk=job_id)
    return import_job_run(job=job).status


@shared_task(name="registry.purge_expired_import_files")
def purge_expired_import_files() -> int:
    """Daily: every tenant's import files older than IMPORT_FILE_RETENTION_DAYS are deleted."""
    deleted = 0
    for tenant in Tenant.objects.order_by("pk"):
        with tenant_context(tenant):
            deleted += import_files_purge_expired()
    return deleted
