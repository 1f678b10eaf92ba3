"""`{% audit_history obj %}`: the history section of a tenant-owned object's page, the same on every page."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Paginator
from django.db import models

from apps.tenants.audit import created_by_batch_id, history_for

register = template.Library()

PAGE_SIZE = 20
PAGE_PARAM = "history"


@register.inclusion_tag("audit/history.html", takes_context=True)
def audit_history(context: template.Context, obj: models.Model, self_label: str = "") -> dict[str, Any]:
    """The events of `obj` (and of its children: an MSME's IP assets), newest first, 20 a page (?history=).

    `self_label` names `obj` itself in the list (default: its model's name); a child is named by its model
    and its own name; the event of the import that created `obj` reads "created by import of ...". Two
    queries, however many events: the count and the page."""
    request = context.get("request")
    page = Paginator(history_for(obj), PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM) if request else None)
    return {
        "history": page,
        "obj": obj,
        "created_by_batch": created_by_batch_id(obj),
        "self_label": self_label or obj._meta.verbose_name,
        "page_param": PAGE_PARAM,
    }
