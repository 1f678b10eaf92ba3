"""The rollups' Celery tasks: every tenant at night (beat), one tenant when its agency asks from the page."""

from __future__ import annotations

from celery import shared_task

from apps.dashboards import rollups
from apps.tenants.fanout import for_each_tenant
from apps.tenants.models import Tenant
from apps.tenants.tasks import tenant_task


@shared_task(name="dashboards.rollup_all", ignore_result=True)
def rollup_all(full: bool = False) -> dict[str, int]:
    """Nightly (beat): each tenant's statistics counted again, by what changed (in full with `full`).

    Returns {slug: MSMEs counted again}; a tenant that fails is logged and rolled back, the others run.
    """
    count = rollups.rebuild if full else rollups.refresh
    outcomes = for_each_tenant(count, reason="statistics: count each tenant's MSMEs into the summary tables")
    return {slug: outcome.result.msmes_read for slug, outcome in outcomes.items() if outcome.ok}


@tenant_task(name="dashboards.rollup_tenant", ignore_result=True)
def rollup_tenant(tenant: Tenant) -> int:
    """One tenant's statistics brought up to date (the dashboard's "Update now")."""
    return rollups.refresh(tenant).msmes_read
