"""Housekeeping: visitors' results that nobody claimed are deleted after a while (they hold no personal
data, but anonymous POSTs would otherwise pile up)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from apps.diagnostics.models import VisitorAssessment


def purge_unclaimed_visitor_assessments(*, older_than_days: int | None = None) -> int:
    """Delete visitors' assessments never claimed and older than the retention; returns how many."""
    days = settings.VISITOR_ASSESSMENT_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = VisitorAssessment.objects.filter(claimed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


@shared_task(name="diagnostics.purge_unclaimed_visitor_assessments")
def purge_unclaimed_visitor_assessments_task() -> int:
    return purge_unclaimed_visitor_assessments()
