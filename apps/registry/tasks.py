from apps.registry.importing.jobs import import_job_run
from apps.registry.models import ImportJob
from apps.tenants.tasks import tenant_task


@tenant_task(name="registry.run_import_job")
def run_import_job(tenant, job_id: str) -> str:
    job = ImportJob.objects.get(pk=job_id)
    return import_job_run(job=job).status
