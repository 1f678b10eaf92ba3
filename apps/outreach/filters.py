"""What a segment can select on: the registry list's FilterSet, and what only outreach asks of an MSME.

`SegmentFilterSet` subclasses the registry's `MsmeFilterSet` (size class, sector, region, maturity level,
verification, consent and the other flags, the stored channel, the search) and adds:

- `language` and `channel`: the language and channel a campaign uses for the MSME, its own choice or else its
  agency's (apps.outreach.recipients), so that "Arabic speakers" includes the MSMEs that stated no language
  in an Arabic-speaking agency. A language is any the registry accepts (Swahili too): a campaign may have a
  message in it (an MSME whose language has none gets the campaign's fallback);
- `interest`: the topics of interest. Nothing stores an MSME's interests as such; the diagnostic keeps, with
  each assessment, the signals its answers imply (sells abroad, has inventions, a brand, designs, green
  technology, a dispute...), which are what the action plan picks its guidance topics from. The plan itself
  is computed, never stored. So an interest is a signal of the MSME's latest assessment;
- `asset_type` and `has_assets`: the IP assets it holds (filed, registered or in use: not an idea, nor a
  lapsed, expired or refused right);
- `diagnostic_taken`: whether it has taken the diagnostic at all.

The MSME's own columns are filtered without DISTINCT (no join repeats a row); what hangs off the MSME
(assessments, assets) is an EXISTS subquery, never a join.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from apps.diagnostics.models import Assessment
from apps.diagnostics.vocabulary import Signal
from apps.outreach.languages import language_choices
from apps.outreach.recipients import tenant_language
from apps.registry import rules as registry_rules
from apps.registry.filters import MsmeFilterSet, StrictBooleanFilter
from apps.registry.models import IpAsset, Msme
from apps.tenants.context import get_active_tenant
from apps.tenants.models import OutreachChannel

# The statuses of a right the MSME holds: filed, granted, or used without registration.
HELD_STATUSES = (IpAsset.Status.PENDING, IpAsset.Status.REGISTERED, IpAsset.Status.IN_USE)

INTEREST_CHOICES = [
    (Signal.EXPORTS.value, _("Selling abroad")),
    (Signal.HAS_INVENTIONS.value, _("Inventions")),
    (Signal.SHORT_LIFE_CYCLE.value, _("Products with a short life cycle")),
    (Signal.VALUABLE_KNOW_HOW.value, _("Know-how and trade secrets")),
    (Signal.CREATIVE_SECTOR.value, _("Creative works and software")),
    (Signal.HAS_BRAND.value, _("Brands")),
    (Signal.HAS_DESIGNS.value, _("Designs")),
    (Signal.LICENCES_CONTRACTS.value, _("Licences and contracts")),
    (Signal.GREEN_TECHNOLOGY.value, _("Green technology")),
    (Signal.NTD_RESEARCH.value, _("Research on neglected diseases")),
    (Signal.UNDER_RESOURCED_INVENTOR.value, _("Help with patent costs")),
    (Signal.NEEDS_SEARCH.value, _("Prior-art searches")),
    (Signal.DISPUTE.value, _("Disputes")),
]


class LanguageSelectMultiple(forms.SelectMultiple):
    """A list box, not a check box per language: the registry accepts some 180 (includes/filter_field.html)."""


def _has_signal(signal: str) -> Q:
    if connection.features.supports_json_field_contains:
        return Q(signals__contains=[signal])
    # SQLite has no JSON containment: the stored list's text holds the value in quotes (values have none).
    return Q(signals_text__contains=f'"{signal}"')


class SegmentFilterSet(MsmeFilterSet):
    # Any language an MSME may prefer: a campaign may have a message in each.
    language = django_filters.MultipleChoiceFilter(
        label=_("Language"), choices=language_choices, method="filter_language", widget=LanguageSelectMultiple
    )
    channel = django_filters.MultipleChoiceFilter(
        label=_("Channel"), choices=OutreachChannel.choices, method="filter_channel"
    )
    interest = django_filters.MultipleChoiceFilter(
        label=_("Topics of interest"), choices=INTEREST_CHOICES, method="filter_interest"
    )
    asset_type = django_filters.MultipleChoiceFilter(
        label=_("Holds an IP asset of type"), choices=IpAsset.Type.choices, method="filter_asset_type"
    )
    has_assets = StrictBooleanFilter(label=_("Holds any IP asset"), method="filter_has_assets")
    diagnostic_taken = StrictBooleanFilter(label=_("Took the diagnostic"), method="filter_diagnostic_taken")

    class Meta(MsmeFilterSet.Meta):
        pass

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A list, in the request's language: a form field cannot count the choices a callable gives.
        self.filters["language"].extra["choices"] = language_choices()

    # The MSME's own columns, with its agency's default where it stated none (as recipients.py decides).
    def filter_language(self, queryset: QuerySet[Msme], name: str, value: Iterable[str]) -> QuerySet[Msme]:
        values = set(value)
        if not values:
            return queryset
        condition = Q(preferred_language__in=values)
        tenant = get_active_tenant()
        if tenant is not None and tenant_language(tenant) in values:
            condition |= ~Q(preferred_language__in=sorted(registry_rules.LANGUAGES))
        return queryset.filter(condition)

    def filter_channel(self, queryset: QuerySet[Msme], name: str, value: Iterable[str]) -> QuerySet[Msme]:
        values = set(value)
        if not values:
            return queryset
        condition = Q(preferred_channel__in=values)
        tenant = get_active_tenant()
        channels = (tenant.outreach_channels or []) if tenant is not None else []
        default = channels[0] if channels else OutreachChannel.EMAIL.value
        if default in values:
            condition |= Q(preferred_channel="")
        return queryset.filter(condition)

    # What hangs off the MSME: EXISTS subqueries, so that no row is repeated and no DISTINCT is needed.
    def filter_interest(self, queryset: QuerySet[Msme], name: str, value: Iterable[str]) -> QuerySet[Msme]:
        values = sorted(set(value))
        if not values:
            return queryset
        # "An assessment of the MSME with the signal, and none after it": PostgreSQL reads the assessments with
        # the signal once and hash-joins them (0.2 s for 100,000 MSMEs and 30,000 assessments), where "the
        # latest one has it" makes it look up each MSME's latest assessment in turn.
        later = Assessment.objects.filter(msme=OuterRef("msme")).filter(
            Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id"))
        )
        assessments = Assessment.objects.filter(msme=OuterRef("pk"))
        if not connection.features.supports_json_field_contains:
            assessments = assessments.annotate(signals_text=Cast("signals", CharField()))
        any_signal = Q()
        for signal in values:
            any_signal |= _has_signal(signal)
        return queryset.filter(Exists(assessments.filter(any_signal).filter(~Exists(later))))

    def filter_asset_type(self, queryset: QuerySet[Msme], name: str, value: Iterable[str]) -> QuerySet[Msme]:
        values = set(value)
        if not values:
            return queryset
        return queryset.filter(Exists(self._held_assets().filter(asset_type__in=values)))

    def filter_has_assets(self, queryset: QuerySet[Msme], name: str, value: bool | None) -> QuerySet[Msme]:
        if value is None:
            return queryset
        held = Exists(self._held_assets())
        return queryset.filter(held if value else ~held)

    def filter_diagnostic_taken(self, queryset: QuerySet[Msme], name: str, value: bool | None) -> QuerySet[Msme]:
        if value is None:
            return queryset
        taken = Exists(Assessment.objects.filter(msme=OuterRef("pk")))
        return queryset.filter(taken if value else ~taken)

    @staticmethod
    def _held_assets() -> QuerySet[IpAsset]:
        return IpAsset.objects.filter(msme=OuterRef("pk"), status__in=HELD_STATUSES)


def filter_names() -> frozenset[str]:
    """The names a segment's stored filters may use (every filter but the list's sort order)."""
    return frozenset(name for name in SegmentFilterSet.base_filters if name != "ordering")


def as_query_data(filters: dict[str, Any]) -> Any:
    """Stored filters ({name: [values]}, or a single value) as the query data a FilterSet reads."""
    return MultiValueDict(
        {name: [str(v) for v in (values if isinstance(values, list) else [values])] for name, values in filters.items()}
    )
