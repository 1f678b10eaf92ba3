"""`{% msme_assessments msme %}`: the assessments section of an MSME's page (one query);
`{% maturity_origin msme as origin %}`: where the MSME's maturity level comes from (one query).

A page that shows both (and the plan, which starts from the latest assessment) reads the assessments once with
`{% recent_assessments msme as recent %}` and gives them to each: `{% msme_assessments msme recent %}`,
`{% maturity_origin msme recent as origin %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from apps.diagnostics import selectors
from apps.diagnostics.models import Assessment

register = template.Library()

TREND_SIZE = 12  # the newest assessments shown in the trend


@register.simple_tag
def recent_assessments(msme: Any) -> list[Assessment]:
    """The MSME's newest assessments (those the trend shows), newest first."""
    return list(selectors.assessments_for(msme)[:TREND_SIZE])


@register.inclusion_tag("diagnostics/_msme_assessments.html", takes_context=True)
def msme_assessments(context: dict[str, Any], msme: Any, recent: list[Assessment] | None = None) -> dict[str, Any]:
    request = context.get("request")
    if recent is None:
        recent = recent_assessments(msme)
    return {
        "msme": msme,
        "latest": recent[0] if recent else None,
        "assessments": recent,
        "request": request,
    }


@register.simple_tag
def maturity_origin(msme: Any, recent: list[Assessment] | None = None) -> str:
    """ "diagnostic" when the level is the latest diagnostic's result, "agency" when agency staff set it by
    judgement (no diagnostic, or a level set after it), "" when the MSME has no level. `recent`: the MSME's
    assessments newest first, when the page has read them."""
    if not msme.maturity_level:
        return ""
    latest = selectors.latest_assessment(msme) if recent is None else next(iter(recent), None)
    if (
        latest is not None
        and latest.level == msme.maturity_level
        and timezone.localdate(latest.created_at) == msme.maturity_assessed_at
    ):
        return "diagnostic"
    return "agency"
