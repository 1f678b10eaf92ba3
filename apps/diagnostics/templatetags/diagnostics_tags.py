"""`{% msme_assessments msme %}`: the assessments section of an MSME's page (one query)."""

from __future__ import annotations

from typing import Any

from django import template

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
