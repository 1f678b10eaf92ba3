from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import pycountry
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin
from apps.registry import services
from apps.registry.importing import columns
from apps.registry.importing.reader import upload_size_error
from apps.registry.models import ImportJob, IpAsset, IsicCode, MaturityLevel, Msme
from apps.registry.validators import validate_assessment_date
from apps.tenants.models import Tenant


# Both lists are built once per process: pycountry is walked in full to make them.
@cache
def region_choices(country: str) -> list[tuple[str, str]]:
    subdivisions = sorted(pycountry.subdivisions.get(country_code=country) or [], key=lambda s: s.name)
    return [("", "—"), *((s.code, s.name) for s in subdivisions)]


@cache
def language_choices() -> list[tuple[str, str]]:
    languages = sorted((lang for lang in pycountry.languages if hasattr(lang, "alpha_2")), key=lambda lang: lang.name)
    return [("", "—"), *((lang.alpha_2, f"{lang.name} ({lang.alpha_2})") for lang in languages)]


class IsicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: IsicCode) -> str:
        indent = {"section": "", "division": "· ", "group": "·· ", "class": "··· "}[obj.level]
        return f"{indent}{obj.code} {obj.title}"


class MsmeForm(BootstrapFormMixin, forms.ModelForm):
    sector_isic = IsicChoiceField(
        queryset=IsicCode.objects.all(),
        label=_("ISIC Rev.4 sector"),
        help_text=_("The section, or better the class, of the main activity."),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), required=False)

    class Meta:
        model = Msme
        # The editable profile is exactly what an import file can carry.
        fields = list(columns.ALL)

    def __init__(self, *args: Any, tenant: Tenant, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        self.actor = actor  # who fills the form in: the wording of a registration number clash depends on it
        self.fields["region"].choices = region_choices(tenant.country)
        self.fields["preferred_language"].choices = language_choices()

    def clean_registration_number(self) -> str:
        number = self.cleaned_data["registration_number"].strip()
        error = services.registration_number_error(
            tenant=self.tenant, number=number, msme=self.instance, actor=self.actor
        )
        if error:
            raise forms.ValidationError(error)
        return number

    def clean_founded_year(self) -> int | None:
        year = self.cleaned_data.get("founded_year")
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("The founding year cannot be in the future."))
        if year is not None and year < 1800:
            raise forms.ValidationError(_("The founding year is implausibly early."))
        return year

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ChooseAgencyForm(BootstrapFormMixin, forms.Form):
    tenant = forms.ModelChoiceField(
        queryset=Tenant.objects.filter(is_active=True), label=_("Your country's agency"), empty_label=None
    )


class MaturityForm(BootstrapFormMixin, forms.Form):
    maturity_level = forms.TypedChoiceField(
        label=_("IP maturity level"),
        choices=[("", "—"), *MaturityLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    maturity_assessed_at = forms.DateField(
        label=_("Assessed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_assessment_date],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("maturity_level")
            and not data.get("maturity_assessed_at")
            and not self.has_error("maturity_assessed_at")
        ):
            data["maturity_assessed_at"] = timezone.localdate()
        return data


# Renewals and annuities are counted from these dates decades ahead: a year like 9999 would overflow.
ASSET_DATE_FIELDS = ("priority_date", "filing_date", "grant_date", "expiry_date")
ASSET_DATES_FROM, ASSET_DATES_UNTIL = date(1900, 1, 1), date(2199, 12, 31)


class IpAssetForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = IpAsset
        fields = [
            "asset_type",
            "jurisdiction",
            "title",
            "status",
            "application_number",
            "registration_number",
            "priority_date",
            "filing_date",
            "grant_date",
            "expiry_date",
            "classes",
            "owner",
            "custodian",
            "storage_location",
            "notes",
        ]
        widgets = {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in ASSET_DATE_FIELDS}

    def clean_jurisdiction(self) -> str:
        value = self.cleaned_data["jurisdiction"].strip().upper()
        systems = {"PCT", "MADRID", "HAGUE", "EM", "EP", "OAPI", "ARIPO", "WO"}
        if value not in systems and pycountry.countries.get(alpha_2=value) is None:
            raise forms.ValidationError(
                _("Use a two-letter country code (e.g. KE) or an international system: %(systems)s.")
                % {"systems": ", ".join(sorted(systems))}
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("asset_type") == IpAsset.Type.TRADE_SECRET:
            for name in ("application_number", "registration_number", "notes"):
                if data.get(name):
                    self.add_error(
                        name,
                        _(
                            "A trade secret is recorded by its label, custodian and location only: "
                            "never write the secret (or where to find its content) here."
                        ),
                    )
        for name in ASSET_DATE_FIELDS:
            if data.get(name) and not ASSET_DATES_FROM <= data[name] <= ASSET_DATES_UNTIL:
                self.add_error(
                    name,
                    _("Enter a date between %(start)s and %(end)s.")
                    % {"start": ASSET_DATES_FROM.year, "end": ASSET_DATES_UNTIL.year},
                )  # add_error also takes the date out of cleaned_data, so the checks below skip it
        order = [
            ("priority_date", "filing_date"),
            ("filing_date", "grant_date"),
            ("grant_date", "expiry_date"),
            ("filing_date", "expiry_date"),
        ]
        for earlier, later in order:
            if data.get(earlier) and data.get(later) and data[earlier] > data[later]:
                self.add_error(
                    later,
                    _("%(later)s cannot be before %(earlier)s.")
                    % {"later": self.fields[later].label, "earlier": self.fields[earlier].label},
                )
        return data


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"), help_text=_("With a header row; the columns are listed on this page.")
    )
    on_duplicate = forms.ChoiceField(
        label=_("When a registration number is already stored"),
        choices=ImportJob.OnDuplicate.choices,
        initial=ImportJob.OnDuplicate.SKIP,
        widget=forms.RadioSelect,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if too_large := upload_size_error(upload.size):
            raise forms.ValidationError(too_large, code="too_large")
        return upload
