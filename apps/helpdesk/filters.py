"""The filters of an agent's ticket list (page and API)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.helpdesk.models import ACTIVE_STATUSES, Priority, Status, Ticket, Tier
from apps.registry.filters import FilterForm


class TicketFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Status.choices, distinct=False)
    priority = django_filters.MultipleChoiceFilter(label=_("Priority"), choices=Priority.choices, distinct=False)
    tier = django_filters.MultipleChoiceFilter(label=_("Service tier"), choices=Tier.choices, distinct=False)
    topic = django_filters.CharFilter(label=_("Topic"), max_length=60)
    # A whole number a bigint holds: a larger one would fail the query (a 500) instead of the form (a 400).
    queue = django_filters.NumberFilter(
        label=_("Queue"), field_name="queue_id", min_value=1, max_value=2**63 - 1, decimal_places=0
    )
    due = django_filters.ChoiceFilter(
        label=_("Due"),
        method="filter_due",
        choices=[("soon", _("Due soon")), ("breached", _("Breached"))],
    )
    assigned = django_filters.ChoiceFilter(
        label=_("Assigned"),
        method="filter_assigned",
        choices=[("me", _("To me")), ("none", _("Unassigned"))],
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)

    class Meta:
        model = Ticket
        fields: list[str] = []
        form = FilterForm

    def filter_due(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """By the nearest due time still to meet (`next_due_at`): met targets and finished tickets have none."""
        now = timezone.now()
        active = queryset.filter(status__in=ACTIVE_STATUSES)
        if value == "breached":
            return active.filter(next_due_at__lte=now)
        soon = now + timedelta(minutes=settings.HELPDESK_SLA_WARNING_MINUTES * 4)
        return active.filter(next_due_at__gt=now, next_due_at__lte=soon)

    def filter_assigned(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        user = getattr(self.request, "user", None)
        return queryset.filter(assignee_id=getattr(user, "pk", None))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__iexact=value) | Q(subject__icontains=value) | Q(msme_name__icontains=value))


def filterset_for(data: Any, queryset: QuerySet, request: Any = None) -> TicketFilterSet:
    return TicketFilterSet(data or {}, queryset=queryset, request=request)
