"""The campaign list's filters (apps.core.lists.list_page)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.filters import ListFilterSet
from apps.outreach.models import Campaign


class CampaignFilterSet(ListFilterSet):
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Campaign.Status.choices, distinct=False)
    q = django_filters.CharFilter(label=_("Name contains"), method="filter_name", max_length=100)

    class Meta:
        model = Campaign
        fields = ["status", "q"]

    def filter_name(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(name__icontains=value) if value else queryset
