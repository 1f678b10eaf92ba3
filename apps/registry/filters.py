"""One FilterSet for the registry list page, its CSV export and the API list."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.filters import ListFilterSet
from apps.core.forms import BootstrapFormMixin
from apps.registry.models import IsicCode, MaturityLevel, Msme
from apps.registry.sizing import SizeClass
from apps.tenants.models import OutreachChannel

SECTION_CHOICES = [(chr(c), chr(c)) for c in range(ord("A"), ord("U") + 1)]


class FilterForm(BootstrapFormMixin, forms.Form):
    pass


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting with the id as the last key, so that pages never repeat or skip a row."""

    def filter(self, qs: QuerySet[Msme], value: list[str] | None) -> QuerySet[Msme]:
        ordered = super().filter(qs, value)
        if value:
            ordered = ordered.order_by(*ordered.query.order_by, "id")
        return ordered


class StrictBooleanSelect(forms.NullBooleanSelect):
    """Django's select reads any spelling it does not know as "any"; pass the raw value on, so that the
    field can refuse it."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class StrictNullBooleanField(forms.NullBooleanField):
    widget = StrictBooleanSelect
    accepted = {"", "unknown", "true", "false", "1", "0"}

    def to_python(self, value: Any) -> bool | None:
        if isinstance(value, str):
            if value.lower() not in self.accepted:
                raise forms.ValidationError(_("Give true or false."), code="invalid")
            value = value.lower()
        return super().to_python(value)


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that answers an error (the API: 400) for `?exports=maybe` instead of ignoring it."""

    field_class = StrictNullBooleanField


class MsmeFilterSet(ListFilterSet):
    # distinct=False: every filter is on the MSME's own columns (no join can repeat a row), and a DISTINCT
    # makes PostgreSQL read and sort every matching row before the page's LIMIT (40 ms instead of 2 ms).
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    size_class = django_filters.MultipleChoiceFilter(label=_("Size class"), choices=SizeClass.choices, distinct=False)
    sector_section = django_filters.MultipleChoiceFilter(
        label=_("ISIC section"), choices=SECTION_CHOICES, distinct=False
    )
    sector_isic = django_filters.CharFilter(label=_("ISIC code"), method="filter_isic")
    region = django_filters.CharFilter(label=_("Region code"), field_name="region", lookup_expr="iexact")
    maturity_level = django_filters.MultipleChoiceFilter(
        label=_("IP maturity level"), choices=MaturityLevel.choices, distinct=False
    )
    maturity_unknown = StrictBooleanFilter(
        label=_("Maturity not assessed"), field_name="maturity_level", lookup_expr="isnull"
    )
    verification = django_filters.ChoiceFilter(label=_("Verification"), choices=Msme.Verification.choices)
    consent_outreach = StrictBooleanFilter(label=_("Consents to outreach"))
    is_university_spinoff = StrictBooleanFilter(label=_("University spin-off"))
    is_informal = StrictBooleanFilter(label=_("Informal economy"))
    exports = StrictBooleanFilter(label=_("Exporter"))
    preferred_channel = django_filters.ChoiceFilter(label=_("Preferred channel"), choices=OutreachChannel.choices)
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("registration_number", "registration_number"),
            ("employees", "employees"),
            ("annual_turnover_eur", "annual_turnover_eur"),
            ("maturity_level", "maturity_level"),
            ("created_at", "created_at"),
        ),
        field_labels={
            "name": _("Name"),
            "registration_number": _("Registration number"),
            "employees": _("Employees"),
            "annual_turnover_eur": _("Turnover"),
            "maturity_level": _("Maturity level"),
            "created_at": _("Registered"),
        },
    )

    class Meta:
        model = Msme
        fields: list[str] = []
        form = FilterForm

    def filter_search(self, queryset: QuerySet[Msme], name: str, value: str) -> QuerySet[Msme]:
        value = value.strip()
        if not value:
            return queryset
        # Exact registration numbers (as typed or in capitals) use the unique index; names use the
        # trigram index on PostgreSQL (migration 0003).
        numbers = {value, value.upper()}
        return queryset.filter(Q(name__icontains=value) | Q(registration_number__in=numbers))

    def filter_isic(self, queryset: QuerySet[Msme], name: str, value: str) -> QuerySet[Msme]:
        code = value.strip().upper()
        if not code:
            return queryset
        if code.isalpha():
            return queryset.filter(sector_section=code)
        return (
            queryset.filter(sector_isic__code__startswith=code)
            if IsicCode.objects.filter(code=code).exists()
            else queryset.none()
        )
