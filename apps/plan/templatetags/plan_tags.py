"""`{% plan_summary msme [assessments assets] %}`: the first actions of an MSME's plan, for its registry page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import template

from apps.plan.engine import LATEST, action_url
from apps.plan.pages import plan_for_msme

register = template.Library()

SUMMARY_SIZE = 3


@register.inclusion_tag("plan/_plan_summary.html")
def plan_summary(
    msme: Any, assessments: Sequence[Any] | None = None, assets: Iterable[Any] | None = None
) -> dict[str, Any]:
    """The top actions with links to the full plan and its PDF (a constant number of queries). `assessments`
    (the MSME's newest first) and `assets`: what the page has read already, so that the plan does not read them
    again."""
    latest = LATEST if assessments is None else (assessments[0] if assessments else None)
    plan = plan_for_msme(msme, assessment=latest, assets=assets)
    top = [(action, action_url(action)) for action in plan.actions[:SUMMARY_SIZE]]
    return {"msme": msme, "actions": top}
