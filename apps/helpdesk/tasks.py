from __future__ import annotations

from celery import shared_task

from apps.helpdesk.counselling import (
    remind_tenant,
    send_session_reminder,  # noqa: F401  (the worker registers it from here)
)
from apps.helpdesk.notifications import send_ticket_email  # noqa: F401  (the worker registers it from here)
from apps.helpdesk.sla_jobs import sweep_tenant
from apps.tenants.fanout import for_each_tenant


@shared_task(name="helpdesk.sla_sweep", ignore_result=True)
def sla_sweep() -> dict[str, int]:
    """Every few minutes (beat): warnings before and escalations after the tickets' due times."""
    outcomes = for_each_tenant(lambda tenant: sweep_tenant(), reason="helpdesk SLA warnings and escalations")
    totals = {"warned": 0, "escalated": 0}
    for outcome in outcomes.values():
        if outcome.ok:
            totals["warned"] += outcome.result.warned
            totals["escalated"] += outcome.result.escalated
    return totals


@shared_task(name="helpdesk.counselling_reminders", ignore_result=True)
def counselling_reminders() -> int:
    """Every 15 minutes (beat): a reminder to the member and the agent of each session starting within a day."""
    outcomes = for_each_tenant(lambda tenant: remind_tenant(), reason="helpdesk counselling session reminders")
    return sum(outcome.result for outcome in outcomes.values() if outcome.ok)
