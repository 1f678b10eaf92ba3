"""Demo statistics for `seed_demo`: the summary tables counted from everything the other steps made."""

from __future__ import annotations

from apps.core.demo import DemoRun
from apps.dashboards import rollups
from apps.tenants.fanout import for_each_tenant


def seed_demo(run: DemoRun) -> None:
    outcomes = for_each_tenant(rollups.rebuild, reason="demo data: count the demo MSMEs for the dashboards")
    counted = sum(outcome.result.msmes_read for outcome in outcomes.values() if outcome.ok)
    run.say(f"Statistics: {counted} MSMEs counted in {len(outcomes)} tenants.")
