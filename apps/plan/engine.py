"""The tailored action plan: build a PlanContext for an MSME, run the rules, serialise the actions.

ctx = context_for_msme(msme)            # profile, tenant country, IP assets, latest assessment
actions = build_plan(ctx)               # ordered list of rules.Action
data = [action_as_dict(a) for a in actions]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from apps.diagnostics.selectors import latest_assessment
from apps.plan.context import AssetFacts, PlanContext, Signal
from apps.plan.rules import Action, build_plan
from apps.registry.selectors import msme_assets

__all__ = [
    "Action",
    "AssetFacts",
    "PlanContext",
    "Signal",
    "action_as_dict",
    "action_url",
    "assets_from_answers",
    "build_plan",
    "context_for_msme",
    "signals_from",
]


def signals_from(values: Any) -> frozenset[Signal]:
    """Signals from stored values (an assessment's JSON list); unknown values are skipped, not fatal."""
    found = set()
    for value in values or ():
        try:
            found.add(Signal(value))
        except ValueError:
            continue
    return frozenset(found)


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


def asset_facts(asset: Any) -> AssetFacts:
    """What the rules need of one `apps.registry.models.IpAsset`."""
    return AssetFacts(
        asset_type=asset.asset_type,
        jurisdiction=asset.jurisdiction or "",
        status=asset.status,
        title=asset.title,
        priority_date=asset.priority_date,
        filing_date=asset.filing_date,
        grant_date=asset.grant_date,
        expiry_date=asset.expiry_date,
        classes=asset.classes,
        pk=asset.pk,
    )


# `context_for_msme`'s default assessment: the MSME's latest, read then (None says the MSME has none).
LATEST = object()


def context_for_msme(
    msme: Any, *, assessment: Any = LATEST, assets: Iterable[Any] | None = None, today: date | None = None
) -> PlanContext:
    """The PlanContext of `msme`: its profile, its tenant's country, its IP assets and its latest assessment.

    `assessment`: the assessment to plan from (e.g. one just recorded, or the latest one a page has read
    already); by default the MSME's latest one. Without any (None), the level recorded in the registry by the
    agency is used, if any. `assets`: the MSME's IP assets when the caller has read them. Three queries at most
    (assessment, assets, tenant unless already loaded), one fewer for each given; needs the MSME's tenant to be
    active.
    """
    if assessment is LATEST:
        assessment = latest_assessment(msme)
    if assessment is not None:
        level, area_scores, signals = assessment.level, dict(assessment.area_scores or {}), assessment.signals
        declared = assets_from_answers(assessment.answers or {})
    else:
        level, area_scores, signals, declared = msme.maturity_level, {}, (), ()
    return PlanContext(
        level=level,
        area_scores=area_scores,
        signals=signals_from(signals),
        country=msme.tenant.country or None,
        sector_isic=msme.sector_isic_id or msme.sector_section or "",
        size_class=msme.size_class or "",
        is_university_spinoff=msme.is_university_spinoff,
        is_informal=msme.is_informal,
        exports=msme.exports,
        assets=tuple(asset_facts(asset) for asset in (msme_assets(msme=msme) if assets is None else assets)),
        declared_assets=declared,
        today=today or timezone.localdate(),
    )


def action_url(action: Action) -> str:
    """Where an action's link goes: its page, its topic's guidance page, or the guidance index."""
    if action.url_name:
        return reverse(action.url_name)
    if action.topic:
        return reverse("guidance:topic", kwargs={"slug": action.topic})
    return reverse("guidance:index")


def action_as_dict(action: Action) -> dict[str, Any]:
    """A JSON-ready dict of one action."""
    return {
        "key": action.key,
        "title": str(action.title),
        "why": str(action.why),
        "topic": action.topic,
        "topic_url": action_url(action),
        "cost": str(action.cost),
        "deadline": action.deadline.isoformat() if action.deadline else None,
        "deadline_label": str(action.deadline_label),
    }
