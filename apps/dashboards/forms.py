"""The agency dashboard's filters: a period of registration, a region, a sector, a size class."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin
from apps.registry.filters import SECTION_CHOICES
from apps.registry.rules import subdivisions
from apps.registry.sizing import SizeClass

MONTH_FORMAT = "%Y-%m"


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format=MONTH_FORMAT)


class MonthField(forms.DateField):
    """A month as the browser's month picker sends it (2026-03), kept as its first day."""

    widget = MonthInput
    input_formats = [MONTH_FORMAT]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}


class AgencyFilterForm(BootstrapFormMixin, forms.Form):
    registered_from = MonthField(label=_("Registered from"), required=False)
    registered_to = MonthField(label=_("Registered up to"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    sector = forms.ChoiceField(label=_("ISIC section"), required=False, choices=[("", _("All")), *SECTION_CHOICES])
    size = forms.ChoiceField(label=_("Size class"), required=False, choices=[("", _("All")), *SizeClass.choices])

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All")), *subdivisions(country)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("registered_from"), data.get("registered_to")
        if start and end and start > end:
            self.add_error("registered_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters as the summary tables' lookups."""
        data = self.cleaned_data
        lookups: dict[str, Any] = {}
        if data.get("registered_from"):
            lookups["registered_month__gte"] = data["registered_from"]
        if data.get("registered_to"):
            lookups["registered_month__lte"] = data["registered_to"]
        for name, column in (("region", "region"), ("sector", "sector_section"), ("size", "size_class")):
            if data.get(name):
                lookups[column] = data[name]
        return lookups


def month_start(day: date) -> date:
    return day.replace(day=1)
