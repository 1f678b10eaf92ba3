"""The action plan of a result, from apps.guidance.plan (the rules are the guidance app's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apps.guidance.plan import AssetFacts, PlanContext, action_as_dict, build_plan, context_for_msme, signals_from

# The rights an answer says the business holds (PlanContext.declared_assets), so that the plan does not
# tell a business with a registered trademark to register one: a visitor has no register, and a new
# member's register is often still empty. (question, answer) -> (type, status)
ASSETS_FROM_ANSWERS = {
    ("trademark", "applied"): ("trademark", "pending"),
    ("trademark", "registered"): ("trademark", "registered"),
    ("design", "applied"): ("industrial_design", "pending"),
    ("design", "registered"): ("industrial_design", "registered"),
    ("patent", "filed"): ("patent", "pending"),
    ("patent", "granted"): ("patent", "registered"),
}


def assets_from_answers(answers: Mapping[str, Any]) -> tuple[AssetFacts, ...]:
    found = (
        ASSETS_FROM_ANSWERS.get((question, answer)) for question, answer in answers.items() if isinstance(answer, str)
    )
    return tuple(AssetFacts(asset_type=kind, jurisdiction="", status=status) for kind, status in filter(None, found))


def actions_for_assessment(assessment: Any) -> list[dict[str, Any]]:
    """The plan of an MSME's assessment: its profile, assets and this assessment (needs its tenant active)."""
    return [action_as_dict(action) for action in build_plan(context_for_msme(assessment.msme, assessment=assessment))]


def actions_for_visitor(result: Any) -> list[dict[str, Any]]:
    """The plan of a visitor's result: only what the answers tell (no profile, no register)."""
    context = PlanContext(
        level=result.level,
        area_scores=dict(result.area_scores or {}),
        signals=signals_from(result.signals),
        declared_assets=assets_from_answers(result.answers or {}),
        has_register=False,
    )
    return [action_as_dict(action) for action in build_plan(context)]
