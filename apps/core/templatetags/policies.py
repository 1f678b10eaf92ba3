"""`{% load policies %}{% can "registry.verify_msme" msme as may_verify %}`: a rule asked in a template."""

from __future__ import annotations

from typing import Any

from django import template

from apps.core import policies

register = template.Library()

_NO_OBJECT = object()


@register.simple_tag(takes_context=True)
def can(context: template.Context, name: str, obj: Any = _NO_OBJECT) -> bool:
    """The rule asked about `obj`, or with no object when none is given. A variable that is not in the
    context (rendered as "") is not "no object": the answer is then no, never the page-level yes."""
    if obj is _NO_OBJECT:
        obj = None
    elif obj is None or obj == "":
        return False
    return policies.can(policies.actor_of(context.get("request")), name, obj)
