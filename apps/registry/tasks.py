from celery import shared_task
from django.conf import settings

from apps.registry import services
from apps.registry.importing.files import import_files_purge_expired
from apps.registry.importing.jobs import (
    import_job_run,
    import_jobs_fail_stale,
    import_undo_stopped,
    import_undos_fail_stale,
)
from apps.registry.models import ImportJob
from apps.tenants.fanout import for_each_tenant
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


# An undo too big for a request (services.import_undo_queue); sent to the imports queue with its time limits
# (import_undo_options). Not one transaction: each batch commits, so that the job's page shows the progress
# and a stopped run leaves whole batches, which the next run passes over.
@tenant_task(
    commits_as_it_goes="import undo: each batch of removed MSMEs is committed with its events and the count",
    name="registry.undo_import_job",
    ignore_result=True,
    soft_time_limit=settings.IMPORT_TIME_LIMIT,
    time_limit=settings.IMPORT_TIME_LIMIT + 60,
)
def undo_import_job(tenant, job_id: str, actor_id: str | None = None) -> str:
    return services.import_undo_run(job_id=job_id, actor_id=actor_id, on_stop=import_undo_stopped).undo_status


@shared_task(name="registry.purge_expired_import_files")
def purge_expired_import_files() -> int:
    """Daily: every tenant's import files older than IMPORT_FILE_RETENTION_DAYS are deleted; returns how many.

    Inactive tenants too: a deactivated agency's uploads hold personal data just the same. A tenant that
    fails is rolled back and tried again the next day (a file already gone from storage is no error).
    """
    outcomes = for_each_tenant(
        lambda tenant: import_files_purge_expired(), reason="purge expired import files", active_only=False
    )
    return sum(outcome.result for outcome in outcomes.values() if outcome.ok)


@shared_task(name="registry.fail_stale_import_jobs", ignore_result=True)
def fail_stale_import_jobs() -> int:
    """Fail the import jobs, and the undos, left queued or running beyond any bound; returns how many."""
    return import_jobs_fail_stale() + import_undos_fail_stale()
