from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.guidance.calculators import fees, routes
from apps.guidance.calculators.office_days import office_choices
from apps.guidance.calculators.pct import input_errors

ISO_DATE = ["%Y-%m-%d"]


class PctDeadlinesForm(forms.Form):
    priority_date = forms.DateField(
        label=_("Priority date"),
        input_formats=ISO_DATE,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        # The browser's date picker shows the date in the user's own format: no format in the help text.
        help_text=_("The filing date of the earliest application whose priority is claimed."),
        error_messages={"invalid": _("Enter a real date, as YYYY-MM-DD.")},
    )
    search_report_date = forms.DateField(
        label=_("International search report transmitted on (optional)"),
        required=False,
        input_formats=ISO_DATE,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=_(
            "The date the international search report and written opinion were sent to you; it can make the "
            "Chapter II demand due later."
        ),
        error_messages={"invalid": _("Enter a real date, as YYYY-MM-DD.")},
    )
    office = forms.ChoiceField(
        label=_("Office (optional)"),
        required=False,
        choices=(),
        help_text=_(
            "The country of the office where the limit is met: a limit that ends on a day it is closed moves to "
            "its next working day."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("No office: the dates as counted")), *office_choices()]
        self.fields["office"].widget.attrs["class"] = "form-select"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        priority_date = cleaned.get("priority_date")
        if priority_date is not None:
            errors = input_errors(priority_date=priority_date, search_report_date=cleaned.get("search_report_date"))
            for field, message in errors.items():
                self.add_error(field, message)
        return cleaned


# --- Fee calculators ----------------------------------------------------------------------------

NUMBER = {"class": "form-control", "inputmode": "numeric"}


def _count(label: str, *, min_value: int = 0, max_value: int = fees.MAX_COUNT, required: bool = True, **kwargs: Any):
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=max_value,
        required=required,
        widget=forms.NumberInput(attrs={**NUMBER, "min": min_value, **({"max": max_value} if max_value else {})}),
        **kwargs,
    )


class PctFeesForm(forms.Form):
    sheets = _count(
        _("Number of sheets"),
        min_value=1,
        help_text=_("All sheets of the application: request, description, claims, abstract and drawings."),
    )
    efiling = forms.ChoiceField(
        label=_("Filing format"),
        choices=[
            ("none", _("On paper")),
            ("pdf", _("Electronic, request not character-coded (e.g. PDF)")),
            ("xml", _("Electronic, request character-coded (e.g. XML)")),
            ("character_coded", _("Electronic, request and body character-coded")),
        ],
        initial="none",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reduction = forms.ChoiceField(
        label=_("Fee reduction"),
        choices=[
            ("none", _("None")),
            ("natural_person_eligible_state", _("Natural person from an eligible State (90 per cent off)")),
            ("ldc", _("Applicant from a least developed country (90 per cent off)")),
        ],
        initial="none",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    receiving_office = forms.ChoiceField(
        label=_("Receiving Office"),
        required=False,
        choices=(),
        initial=fees.DEFAULT_RECEIVING_OFFICE,
        help_text=_("The Office you file the international application with; its transmittal fee is added."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    isa = forms.ChoiceField(
        label=_("International Searching Authority"),
        required=False,
        choices=(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    field_order = ["receiving_office", "isa", "sheets", "efiling", "reduction"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("receiving_office"):
            # A link without an Office (as before the field existed) is priced, and shown, as filed with the IB.
            self.data = self.data.copy()
            self.data["receiving_office"] = fees.DEFAULT_RECEIVING_OFFICE
        offices = sorted(fees.receiving_offices(), key=lambda office: str(_(office["name"])).casefold())
        self.fields["receiving_office"].choices = [
            (office["code"], fees.receiving_office_label(office)) for office in offices
        ]
        self.fields["receiving_office"].error_messages["invalid_choice"] = _(
            "Unknown receiving Office: %(value)s. Choose one from the list."
        )
        self.fields["isa"].choices = [("", _("Not chosen: leave the search fee out")), *fees.isa_choices()]
        self.fields["isa"].error_messages["invalid_choice"] = _(
            "Unknown International Searching Authority: %(value)s. Choose one from the list."
        )
        office = fees.find_receiving_office(str(self.data.get("receiving_office") or fees.DEFAULT_RECEIVING_OFFICE))
        if office is None:
            self.fields["isa"].help_text = _("Each receiving Office accepts only some Authorities.")
        elif office["isas"] is None:
            self.fields["isa"].help_text = _(
                "The International Bureau accepts the Authorities competent for the applicant's State (see the "
                "Office's Annex C in the PCT Applicant's Guide). Its search fee is added."
            )
        else:
            self.fields["isa"].help_text = _("%(office)s accepts: %(codes)s.") % {
                "office": fees.receiving_office_label(office),
                "codes": ", ".join(office["isas"]),
            }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["receiving_office"] = cleaned.get("receiving_office") or fees.DEFAULT_RECEIVING_OFFICE
        if "receiving_office" not in self.errors and "isa" not in self.errors:
            errors = fees.pct_office_errors(receiving_office=cleaned["receiving_office"], isa=cleaned.get("isa"))
            for field, message in errors.items():
                self.add_error(field, message)
        return cleaned


class MadridFeesForm(forms.Form):
    colour = forms.BooleanField(
        label=_("The mark is in colour"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    classes = _count(_("Number of classes"), min_value=1, max_value=fees.MAX_CLASSES)
    designations = forms.MultipleChoiceField(
        label=_("Designated offices with an individual fee"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    complementary_designations = _count(
        _("Other designated parties (no individual fee)"),
        required=False,
        help_text=_("Each takes the complementary fee."),
    )
    ldc = forms.BooleanField(
        label=_("The country of origin is a least developed country"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = fees.madrid_office_codes()
        self.fields["designations"].choices = [
            (office["code"], f"{office['code']} - {_(office['name'])}") for office in fees.madrid_offices()
        ]
        self.fields["designations"].error_messages["invalid_choice"] = (
            _("Unknown office: %(value)s. Supported offices: ") + ", ".join(codes) + "."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["complementary_designations"] = cleaned.get("complementary_designations") or 0
        if not self.errors and not cleaned.get("designations") and not cleaned["complementary_designations"]:
            self.add_error("designations", _("Designate at least one party."))
        return cleaned


class HagueFeesForm(forms.Form):
    designs = _count(_("Number of designs"), min_value=1, max_value=100)
    reproductions = _count(_("Number of reproductions"))
    extra_pages = _count(
        _("Pages of reproductions beyond the first"),
        required=False,
        help_text=_("Paper filing only; leave empty when filing online."),
    )
    level_1 = _count(_("Designated parties at level one"), required=False)
    level_2 = _count(_("Designated parties at level two"), required=False)
    level_3 = _count(_("Designated parties at level three"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("extra_pages", "level_1", "level_2", "level_3"):
            cleaned[name] = cleaned.get(name) or 0
        return cleaned


# --- Route comparison ---------------------------------------------------------------------------


class RouteComparisonForm(forms.Form):
    """A GET form: the right, the countries, and the counts the chosen right needs (the others are ignored)."""

    right = forms.ChoiceField(
        label=_("What do you want to protect?"),
        choices=[(right, label) for right, label in routes.RIGHT_LABELS.items()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=[],
        help_text=_("Only countries with documented figures are listed. Hold Ctrl (or Cmd) to choose several."),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 8}),
    )
    classes = _count(
        _("Number of classes"),
        min_value=1,
        max_value=fees.MAX_CLASSES,
        required=False,
        initial=1,
        help_text=_("Leave empty for one class."),
    )
    colour = forms.BooleanField(
        label=_("The mark is in colour"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    designs = _count(_("Number of designs"), min_value=1, max_value=100, required=False, initial=1)
    reproductions = _count(
        _("Number of reproductions"),
        required=False,
        help_text=_("Leave empty for one reproduction per design."),
    )
    sheets = _count(
        _("Number of sheets"), min_value=1, required=False, initial=30, help_text=_("Leave empty for 30 sheets.")
    )
    efiling = forms.ChoiceField(
        label=_("Filing format"),
        choices=PctFeesForm.base_fields["efiling"].choices,
        initial="none",
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = routes.route_country_codes()
        self.fields["countries"].choices = [(code, f"{code} - {_(name)}") for code, name in routes.route_countries()]
        self.fields["countries"].error_messages["invalid_choice"] = (
            _("Unknown or undocumented country code: %(value)s. Documented codes: ") + ", ".join(codes) + "."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Fields left empty take the defaults the calculators use.
        for name, default in (("classes", 1), ("designs", 1), ("sheets", 30)):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = default
        cleaned["efiling"] = cleaned.get("efiling") or "none"
        return cleaned
