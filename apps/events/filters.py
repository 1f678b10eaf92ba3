"""The filters of the events list (page and API)."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.filters import ListFilterSet
from apps.events.models import Event
from apps.registry.filters import FilterForm

UPCOMING, PAST = "upcoming", "past"


class EventFilterSet(ListFilterSet):
    when = django_filters.ChoiceFilter(
        label=_("When"),
        method="filter_when",
        choices=[(UPCOMING, _("Upcoming")), (PAST, _("Past"))],
        empty_label=_("Upcoming and past"),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Event.Kind.choices, empty_label=_("Any kind"))
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=settings.LANGUAGES, empty_label=_("Any language")
    )
    online = django_filters.ChoiceFilter(
        label=_("Where"),
        method="filter_online",
        choices=[("yes", _("Online")), ("no", _("At a place"))],
        empty_label=_("Online or at a place"),
    )

    class Meta:
        model = Event
        fields: list[str] = []
        form = FilterForm

    def filter_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == PAST:
            return queryset.filter(ends_at__lte=now).order_by("-starts_at", "-id")
        return queryset.filter(ends_at__gt=now)

    def filter_online(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.exclude(online_url="") if value == "yes" else queryset.filter(online_url="")
