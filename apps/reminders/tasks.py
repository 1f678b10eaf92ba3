"""The reminder job's tasks: the daily plan (beat), the sending (per tenant) and a sweep for retries (beat)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from apps.reminders.jobs import PlanResult, has_due, plan_tenant, send_due
from apps.tenants.fanout import for_each_tenant
from apps.tenants.models import Tenant
from apps.tenants.tasks import enqueue_for_tenant, tenant_task


@tenant_task(
    name="reminders.send_pending",
    ignore_result=True,
    acks_late=True,
    commits_as_it_goes="reminders: each batch is claimed, sent and marked in transactions of its own, so that "
    "a crash never sends a reminder twice",
)
def send_pending(tenant: Tenant) -> int:
    """Send the tenant's reminders that are due (queued by the daily plan and the retry sweep)."""
    return send_due(tenant).sent


def _plan_and_queue(tenant: Tenant) -> PlanResult:
    result = plan_tenant(tenant, today=timezone.localdate())
    enqueue_for_tenant(send_pending)  # once the plan commits
    return result


@shared_task(name="reminders.daily", ignore_result=True)
def daily_reminders() -> dict[str, int]:
    """Daily (beat): every tenant's deadline reminders that are due today, planned and queued for sending."""
    outcomes = for_each_tenant(_plan_and_queue, reason="IP deadline reminders: plan the day's reminders")
    return {slug: outcome.result.planned for slug, outcome in outcomes.items() if outcome.ok}


def _queue_if_due(tenant: Tenant) -> bool:
    if not has_due():
        return False
    enqueue_for_tenant(send_pending)
    return True


@shared_task(name="reminders.send_retries", ignore_result=True)
def send_retries() -> int:
    """Every half hour (beat): tenants with reminders waiting for another try get a sending run."""
    outcomes = for_each_tenant(_queue_if_due, reason="IP deadline reminders: retry temporary failures")
    return sum(1 for outcome in outcomes.values() if outcome.ok and outcome.result)
