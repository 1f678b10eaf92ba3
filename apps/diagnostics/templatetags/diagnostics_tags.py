"""`{% msme_assessments msme %}`: the assessments section of an MSME's page (one query);
`{% maturity_origin msme as origin %}`: where the MSME's maturity level comes from (one query)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from apps.diagnostics import selectors

register = template.Library()

TREND_SIZE = 12  # the newest assessments shown in the trend


@register.inclusion_tag("diagnostics/_msme_assessments.html", takes_context=True)
def msme_assessments(context: dict[str, Any], msme: Any) -> dict[str, Any]:
    request = context.get("request")
    recent = list(selectors.assessments_for(msme)[:TREND_SIZE])
    return {
        "msme": msme,
        "latest": recent[0] if recent else None,
        "assessments": recent,
        "request": request,
    }


@register.simple_tag
def maturity_origin(msme: Any) -> str:
    """ "diagnostic" when the level is the latest diagnostic's result, "agency" when agency staff set it by
    judgement (no diagnostic, or a level set after it), "" when the MSME has no level."""
    if not msme.maturity_level:
        return ""
    latest = selectors.latest_assessment(msme)
    if (
        latest is not None
        and latest.level == msme.maturity_level
        and timezone.localdate(latest.created_at) == msme.maturity_assessed_at
    ):
        return "diagnostic"
    return "agency"
