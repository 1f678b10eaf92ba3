"""Diagnostic reads (the action plan imports `latest_assessment`)."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core import policies
from apps.diagnostics.models import Assessment
from apps.registry.models import Msme
from apps.tenants.scope import Actor


def assessments_for(msme: Msme) -> QuerySet[Assessment]:
    """The MSME's assessments, newest first, with who recorded them."""
    return Assessment.objects.filter(msme=msme).select_related("recorded_by").order_by("-created_at", "-id")


def latest_assessment(msme: Msme) -> Assessment | None:
    """The MSME's newest assessment (it sets the maturity level), or None when never assessed."""
    return Assessment.objects.filter(msme=msme).order_by("-created_at", "-id").first()


def tenant_assessments(*, msme_id: str | None = None) -> QuerySet[Assessment]:
    """The active tenant's assessments, newest first; one MSME's when `msme_id` is given."""
    queryset = Assessment.objects.select_related("msme", "recorded_by").order_by("-created_at", "-id")
    return queryset.filter(msme_id=msme_id) if msme_id else queryset


def assessments_visible(actor: Actor, *, msme_id: str | None = None) -> QuerySet[Assessment]:
    """The stored assessments the actor may read (the rows of `diagnostics.view_assessment`)."""
    return policies.rows(actor, "diagnostics.view_assessment", tenant_assessments(msme_id=msme_id))
