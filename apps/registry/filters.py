"""One FilterSet for the registry list page, its CSV export and the API list."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from apps.core.filters import ListFilterSet
from apps.core.forms import BootstrapFormMixin
from apps.registry import rules
from apps.registry.isic import SECTION_TITLES
from apps.registry.models import IsicCode, MaturityLevel, Msme
from apps.registry.sizing import SizeClass
from apps.tenants.context import get_active_tenant
from apps.tenants.models import OutreachChannel

# "A · Agriculture, forestry and fishing": the section's letter and its title in the user's language.
SECTION_CHOICES = [(code, format_lazy("{} · {}", code, title)) for code, title in SECTION_TITLES.items()]

# A search term shorter than this is refused: a part of a name or number so short matches much of the registry,
# and no index helps find it (a trigram index needs three characters).
SEARCH_MIN_LENGTH = 3


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


def _search_help() -> str:
    return ngettext(
        "Part of the name or of the registration number, at least %(count)d character.",
        "Part of the name or of the registration number, at least %(count)d characters.",
        SEARCH_MIN_LENGTH,
    ) % {"count": SEARCH_MIN_LENGTH}


class RegionField(forms.CharField):
    """A region of the active tenant's country, by its ISO 3166-2 code or its name (apps.registry.rules.
    region_search), cleaned to its code. Read when the form is cleaned, so that one field serves every tenant
    (apps.core.filters shares it between forms)."""

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        tenant = get_active_tenant()
        if tenant is None:  # no tenant, no MSME listed: the code as given
            return value.upper()
        code, error = rules.region_search(value, country=tenant.country, language=get_language() or "en")
        if error:
            raise forms.ValidationError(error, code="invalid")
        return code or ""


class RegionFilter(django_filters.CharFilter):
    field_class = RegionField


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that answers an error (the API: 400) for `?exports=maybe` instead of ignoring it."""

    field_class = StrictNullBooleanField


class MsmeFilterSet(ListFilterSet):
    # distinct=False: every filter is on the MSME's own columns (no join can repeat a row), and a DISTINCT
    # makes PostgreSQL read and sort every matching row before the page's LIMIT (40 ms instead of 2 ms).
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        min_length=SEARCH_MIN_LENGTH,
        help_text=lazy(_search_help, str)(),
        error_messages={
            "min_length": ngettext_lazy(
                "Type at least %(limit_value)d character to search: a shorter term would match too much.",
                "Type at least %(limit_value)d characters to search: a shorter term would match too much.",
                "limit_value",
            )
        },
    )
    size_class = django_filters.MultipleChoiceFilter(label=_("Size class"), choices=SizeClass.choices, distinct=False)
    sector_section = django_filters.MultipleChoiceFilter(
        label=_("ISIC section"), choices=SECTION_CHOICES, distinct=False
    )
    sector_isic = django_filters.CharFilter(label=_("ISIC code"), method="filter_isic")
    # The region's code or name; the page offers the tenant's country's regions by name (templates/registry).
    region = RegionFilter(label=_("Region"), field_name="region")
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
        # A part of the name or of the registration number, in any case (the form refuses a term shorter than
        # SEARCH_MIN_LENGTH): on PostgreSQL each through its trigram index (migrations 0003 and 0013).
        return queryset.filter(Q(name__icontains=value) | Q(registration_number__icontains=value))

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
