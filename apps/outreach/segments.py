"""Segments: a saved filter over the tenant's registry, applied with the registry list's own FilterSet."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.outreach.models import Segment
from apps.registry.models import Msme
from apps.registry.selectors import msme_list


def segment_msmes(segment: Segment | None) -> QuerySet[Msme]:
    """The active tenant's MSMEs the segment selects (every MSME for no segment; none if its filters are invalid)."""
    _filterset, queryset = msme_list(filters=(segment.filters if segment is not None else {}))
    return queryset
