from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin
from apps.registry import rules, services
from apps.registry.importing import columns
from apps.registry.importing.reader import upload_size_error
from apps.registry.models import ImportJob, IpAsset, IsicCode, MaturityLevel, Msme
from apps.registry.rules import ASSET_DATE_FIELDS
from apps.registry.validators import validate_assessment_date
from apps.tenants.models import Tenant


# The lists are built once per process (the regions per country and language): pycountry is walked in full to
# make them.
@cache
def region_choices(country: str, language: str) -> list[tuple[str, str]]:
    """The country's regions by name in `language` (apps.registry.rules.region_names), stored as their codes."""
    return [("", "—"), *rules.region_names(country, language)]


@cache
def language_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((code, f"{name} ({code})") for code, name in rules.languages())]


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
    # Chosen from a list (or typed, for a country without known regions), but checked by the registry's rule
    # (clean()), so that a bad value reads as on every path.
    region = forms.CharField(label=_("Region"), required=False, widget=forms.Select)
    preferred_language = forms.CharField(label=_("Preferred language"), required=False, widget=forms.Select)

    class Meta:
        model = Msme
        # The editable profile is exactly what an import file can carry.
        fields = list(columns.ALL)

    def __init__(self, *args: Any, tenant: Tenant, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        self.actor = actor  # who fills the form in: the wording of a registration number clash depends on it
        self._offer_regions(tenant.country)
        self.fields["preferred_language"].widget.choices = language_choices()

    def _offer_regions(self, country: str) -> None:
        """The region as a select of the country's regions named in the user's language, whose values are the
        stored ISO 3166-2 codes; a text input for a country of which none are known."""
        field = self.fields["region"]
        choices = region_choices(country, get_language() or settings.LANGUAGE_CODE)
        if len(choices) == 1:
            field.widget = forms.TextInput(attrs={"class": "form-control"})
            return
        current = self["region"].value()
        if current and current not in dict(choices):  # a value of none of them (a bad one posted), shown as given
            choices = [choices[0], (current, current), *choices[1:]]
        field.widget.choices = choices

    def clean_registration_number(self) -> str:
        number = self.cleaned_data["registration_number"].strip()
        error = services.registration_number_error(
            tenant=self.tenant, number=number, msme=self.instance, actor=self.actor
        )
        if error:
            raise forms.ValidationError(error)
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        known = {name: data[name] for name in rules.MSME_FIELDS if name in data}
        data.update(rules.msme_normalised(known, country=self.tenant.country))
        for name, messages in rules.msme_errors(known, country=self.tenant.country).items():
            for message in messages:
                self.add_error(name, message)
        return data

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

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data.update(rules.asset_normalised({k: v for k, v in data.items() if k == "jurisdiction"}))
        for name, messages in rules.asset_errors(data).items():
            for message in messages:
                self.add_error(name, message)
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
