"""Demo statistics for `seed_demo`: the summary tables counted from everything the other steps made."""

from __future__ import annotations

from apps.core.demo import DemoRun
from apps.dashboards import rollups
from apps.dashboards.models import RollupState
from apps.registry.models import Msme
from apps.tenants.fanout import for_each_tenant
from apps.tenants.models import Tenant


def count_tenant(tenant: Tenant) -> rollups.RollupResult | None:
    """The active tenant counted in full if it never was; once counted, again only when an MSME changed since
    (the incremental count), else not at all: a run that made nothing writes nothing, not even the day's
    snapshot. None: left as it was (the nightly rollup counts the rest)."""
    state = RollupState.objects.first()
    if state is None:
        return rollups.rebuild(tenant)
    if Msme.objects.filter(updated_at__gte=state.msmes_changed_since).exists():
        return rollups.refresh(tenant)
    return None


def seed_demo(run: DemoRun) -> None:
    outcomes = for_each_tenant(count_tenant, reason="demo data: count the demo MSMEs for the dashboards")
    results = [outcome.result for outcome in outcomes.values() if outcome.ok and outcome.result is not None]
    counted = sum(result.msmes_read for result in results)
    unchanged = sum(1 for outcome in outcomes.values() if outcome.ok and outcome.result is None)
    run.say(
        f"Statistics: {counted} MSMEs counted in {len(results)} tenants."
        + (f" {unchanged} tenants unchanged since their last count." if unchanged else "")
    )
