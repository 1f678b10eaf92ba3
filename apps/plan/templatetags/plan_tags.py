"""`{% plan_summary msme %}`: the first actions of an MSME's plan, for its registry page."""

from __future__ import annotations

from typing import Any

from django import template

from apps.plan.engine import action_url
from apps.plan.pages import plan_for_msme

register = template.Library()

SUMMARY_SIZE = 3


@register.inclusion_tag("plan/_plan_summary.html")
def plan_summary(msme: Any) -> dict[str, Any]:
    """The top actions with links to the full plan and its PDF (a constant number of queries)."""
    plan = plan_for_msme(msme)
    top = [(action, action_url(action)) for action in plan.actions[:SUMMARY_SIZE]]
    return {"msme": msme, "actions": top}
