"""The action plan shown with a diagnostic result: registered with apps.diagnostics.plan in PlanConfig.ready().

The diagnostic sits below the plan (it may not import it), so its result pages ask the provider that
this app registers for the actions.
"""

from __future__ import annotations

from typing import Any

from apps.plan.engine import (
    PlanContext,
    action_as_dict,
    assets_from_answers,
    build_plan,
    context_for_msme,
    signals_from,
)


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
