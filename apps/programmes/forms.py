"""The programmes' forms: a request form per programme, the ADR clause generator and fee estimate, the IAP
eligibility check and the directories' filters. They parse the request; the rules and services say what is
valid, and the API validates with the same request forms."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.countries import country_choices
from apps.core.forms import BootstrapFormMixin
from apps.programmes import adr_clauses, adr_fees, iap, rules
from apps.programmes.catalogue import ADR, IAP, RESEARCH, TISC, Programme
from apps.programmes.models import (
    Course,
    DiseaseArea,
    GreenCategory,
    GreenNeed,
    GreenOffer,
    GreenStage,
    GreenTechnology,
    Intermediary,
    Mentor,
    MentoringArea,
    PartnershipOffer,
    ResearchResource,
    Stage,
    Tisc,
    TiscService,
)
from apps.registry.models import IpAsset, IsicCode

BLANK = [("", "---------")]


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors on the form: by field where the form has it, else for the whole form."""
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


class RequestForm(BootstrapFormMixin, forms.Form):
    """What every request asks (what for, and a description), and the programme's own details."""

    programme: ClassVar[Programme]
    detail_fields: ClassVar[tuple[str, ...]] = ()

    kind = forms.ChoiceField(label=_("What do you ask for?"))
    description = forms.CharField(
        label=_("Describe what you need"),
        max_length=rules.DESCRIPTION_MAX,
        widget=forms.Textarea({"rows": 5}),
        help_text=_("What it is about, what you have already done, and by when you need an answer."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = self.programme.kinds
        if len(self.programme.kinds) == 1:
            self.fields["kind"].initial = self.programme.kinds[0][0]
        # The details come before the description, in the order the class names them.
        self.order_fields(["kind", *self.detail_fields, "description"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            errors = rules.request_errors(
                programme=self.programme,
                kind=data.get("kind", ""),
                description=data.get("description", ""),
                details=self.details(),
            )
            for name, problems in errors.items():
                self.add_error(name if name in self.fields else None, problems)
        return data

    def _display(self, name: str) -> str:
        value = self.cleaned_data.get(name)
        field = self.fields[name]
        if value in (None, ""):
            return ""
        if isinstance(field, forms.BooleanField):
            return str(_("Yes") if value else _("No"))
        if isinstance(field, forms.ChoiceField):
            return str(dict(field.choices).get(value, value))
        return str(value)

    def details(self) -> dict[str, str]:
        """The programme's details as sent: {field: value} (the value, not its label)."""
        found = {}
        for name in self.detail_fields:
            value = self.cleaned_data.get(name)
            if isinstance(value, Tisc):
                value = value.pk
            found[name] = "" if value in (None, "") else str(value)
        return found

    def detail_lines(self) -> list[tuple[str, str]]:
        """The details as the agents read them: (label, value shown)."""
        return [(str(self.fields[name].label), self._display(name)) for name in self.detail_fields]

    def shown_details(self, details: dict[str, str]) -> list[tuple[str, str]]:
        """A request's stored details as a page shows them, in the active language: (label, value shown)."""
        shown = []
        for name in self.detail_fields:
            value = details.get(name, "")
            field = self.fields[name]
            if not value or isinstance(field, forms.ModelChoiceField):
                continue
            if isinstance(field, forms.BooleanField):
                value = str(_("Yes") if value == "True" else _("No"))
            elif isinstance(field, forms.ChoiceField):
                value = str(dict(field.choices).get(value, value))
            shown.append((str(field.label), value))
        return shown


class TiscRequestForm(RequestForm):
    programme = TISC
    detail_fields = ("tisc", "technology", "keywords")

    tisc = forms.ModelChoiceField(
        label=_("TISC"),
        queryset=Tisc.objects.none(),
        required=False,
        empty_label=_("The nearest TISC"),
        help_text=_("Leave it to us and the TISC nearest to you answers."),
    )
    technology = forms.CharField(
        label=_("Field of technology"), max_length=rules.DETAIL_MAX, help_text=_("For example: solar drying of food.")
    )
    keywords = forms.CharField(
        label=_("Keywords"), max_length=rules.DETAIL_MAX, required=False, help_text=_("Words a search should use.")
    )

    def __init__(self, *args: Any, country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tisc"].queryset = Tisc.objects.filter(country=country, is_active=True).order_by("city", "name")

    def _display(self, name: str) -> str:
        if name == "tisc":
            return ""  # the service names the TISC on the ticket's first line
        return super()._display(name)


ADR_SUBJECTS = [
    ("patent", _("Patent or technology")),
    ("trademark", _("Trademark or domain name")),
    ("copyright", _("Copyright")),
    ("design", _("Industrial design")),
    ("ict", _("Software or ICT")),
    ("commercial", _("Another commercial contract")),
]


class AdrRequestForm(RequestForm):
    programme = ADR
    detail_fields = ("subject", "other_party", "other_party_country", "amount", "has_clause", "language")

    subject = forms.ChoiceField(label=_("What is the dispute about?"), choices=ADR_SUBJECTS)
    other_party = forms.CharField(label=_("The other party"), max_length=rules.DETAIL_MAX)
    other_party_country = forms.ChoiceField(label=_("The other party's country"))
    amount = forms.DecimalField(
        label=_("Amount in dispute (USD)"),
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=2,
        help_text=_("Leave it empty when the dispute is not about money."),
    )
    has_clause = forms.BooleanField(
        label=_("Our contract has a WIPO mediation or arbitration clause"),
        required=False,
    )
    language = forms.ChoiceField(label=_("Language of the procedure"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other_party_country"].choices = BLANK + country_choices()


class ResearchRequestForm(RequestForm):
    programme = RESEARCH
    detail_fields = ("disease_area", "resource", "organisation_kind")

    disease_area = forms.ChoiceField(label=_("Disease area"), choices=DiseaseArea.choices)
    resource = forms.ChoiceField(label=_("What is needed or offered"), choices=ResearchResource.choices)
    organisation_kind = forms.CharField(
        label=_("What your organisation does"),
        max_length=rules.DETAIL_MAX,
        help_text=_("For example: a diagnostics start-up with a laboratory."),
    )


IAP_STAGES = [
    ("idea", _("An idea, not yet built")),
    ("prototype", _("A working prototype")),
    ("product", _("A product on sale")),
]


class IapRequestForm(RequestForm):
    programme = IAP
    detail_fields = ("country", "field", "invention_stage", "limited_means")

    country = forms.ChoiceField(label=_("Where do you want to file?"))
    field = forms.CharField(label=_("Field of technology"), max_length=rules.DETAIL_MAX)
    invention_stage = forms.ChoiceField(label=_("How far is the invention?"), choices=IAP_STAGES)
    limited_means = forms.BooleanField(
        label=_("My income is within the programme's limits for my country"),
        help_text=_("The programme is for inventors and small businesses with limited financial means."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = BLANK + iap.country_choices()


REQUEST_FORMS: dict[str, type[RequestForm]] = {
    form.programme.slug: form for form in (TiscRequestForm, AdrRequestForm, ResearchRequestForm, IapRequestForm)
}


class StageForm(BootstrapFormMixin, forms.Form):
    """The staff move a request: its new stage and what came of it."""

    stage = forms.ChoiceField(label=_("Stage"))
    outcome = forms.CharField(
        label=_("Outcome, for the MSME"),
        required=False,
        max_length=rules.OUTCOME_MAX,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Sent to the MSME as a reply on its ticket, with the new stage."),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s, Stage(s).label) for s in programme.stages if s != Stage.WITHDRAWN]


class TiscFilterForm(BootstrapFormMixin, forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False, choices=BLANK + list(TiscService.choices))
    q = forms.CharField(label=_("Name or city"), required=False, max_length=100)

    def __init__(self, *args: Any, countries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = BLANK + countries


class ResearchFilterForm(BootstrapFormMixin, forms.Form):
    disease_area = forms.ChoiceField(label=_("Disease area"), required=False, choices=BLANK + DiseaseArea.choices)
    offers = forms.ChoiceField(label=_("Shares"), required=False, choices=BLANK + ResearchResource.choices)


class ClauseForm(BootstrapFormMixin, forms.Form):
    """The model-clause generator's choices (a GET form); what is left empty keeps WIPO's bracket."""

    procedure = forms.ChoiceField(label=_("Procedure"), choices=list(adr_clauses.PROCEDURES.items()))
    place = forms.CharField(
        label=_("Place of mediation or arbitration"),
        required=False,
        max_length=100,
        help_text=_("A city and country, for example: Nairobi, Kenya."),
    )
    language = forms.CharField(label=_("Language of the procedure"), required=False, max_length=50)
    arbitrators = forms.TypedChoiceField(
        label=_("Number of arbitrators"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Leave open")), (1, _("A sole arbitrator")), (3, _("Three arbitrators"))],
        help_text=_("Arbitration only; expedited arbitration always has a sole arbitrator."),
    )
    law = forms.CharField(
        label=_("Law that applies"), required=False, max_length=100, help_text=_("Arbitration only: a country.")
    )
    days = forms.TypedChoiceField(
        label=_("Days of mediation before arbitration"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Leave open")), *[(d, str(d)) for d in adr_clauses.SETTLEMENT_DAYS]],
    )
    subject = forms.CharField(
        label=_("What the expert decides"),
        required=False,
        max_length=200,
        help_text=_("Expert determination only: for example, the royalties due under the licence."),
    )
    binding = forms.BooleanField(label=_("The expert's determination is binding"), required=False, initial=True)

    def choices(self) -> adr_clauses.ClauseChoices:
        data = self.cleaned_data
        return adr_clauses.ClauseChoices(
            procedure=data["procedure"],
            place=data["place"],
            language=data["language"],
            arbitrators=data["arbitrators"],
            law=data["law"],
            days=data["days"],
            subject=data["subject"],
            binding=data["binding"],
        )


class AdrFeesForm(BootstrapFormMixin, forms.Form):
    procedure = forms.ChoiceField(
        label=_("Procedure"),
        choices=[
            ("mediation", _("Mediation")),
            ("arbitration", _("Arbitration")),
            ("expedited_arbitration", _("Expedited arbitration")),
            ("expert_determination", _("Expert determination")),
            ("udrp", _("Domain name dispute (UDRP)")),
        ],
    )
    amount = forms.DecimalField(
        label=_("Amount in dispute (USD)"),
        required=False,
        min_value=0,
        max_value=adr_fees.MAX_AMOUNT,
        max_digits=16,
        decimal_places=2,
        help_text=_("Mediation and arbitration."),
    )
    domains = forms.IntegerField(
        label=_("Domain names"), required=False, min_value=1, max_value=adr_fees.MAX_DOMAINS, help_text=_("UDRP only.")
    )
    panelists = forms.TypedChoiceField(
        label=_("Panelists"),
        required=False,
        coerce=int,
        empty_value=1,
        choices=[(1, _("One")), (3, _("Three"))],
        help_text=_("UDRP only."),
    )
    reduction = forms.BooleanField(
        label=_("We use the PCT, Madrid or Hague system"),
        required=False,
        help_text=_("Parties who use them get a reduction of the Center's administration fee of 25%."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("procedure") in adr_fees.NEEDS_AMOUNT
            and data.get("amount") is None
            and "amount" not in self.errors
        ):
            self.add_error("amount", _("Give the amount in dispute: the fees depend on it."))
        if data.get("procedure") == "udrp" and data.get("domains") is None and "domains" not in self.errors:
            self.add_error("domains", _("Give the number of domain names."))
        return data

    def calculate(self) -> adr_fees.AdrFeeResult:
        data = self.cleaned_data
        return adr_fees.adr_fees(
            procedure=data["procedure"],
            amount=data["amount"],
            domains=data["domains"] or 1,
            panelists=data["panelists"] or 1,
            reduction=data["reduction"],
        )


class IapEligibilityForm(BootstrapFormMixin, forms.Form):
    country = forms.ChoiceField(label=_("Country where you live"))
    resident = forms.BooleanField(label=_("I live in this country"), required=False)
    income_within = forms.BooleanField(label=_("My income is under the country's threshold"), required=False)
    has_invention = forms.BooleanField(label=_("I have an invention"), required=False)
    knows_patents = forms.BooleanField(
        label=_("I completed the programme's online training module, or filed a patent application"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = BLANK + country_choices()


# --- WIPO GREEN -----------------------------------------------------------------------------------

# The register's kinds of IP that protect a technology: ticked for the MSME when it lists one.
TECHNOLOGY_ASSET_TYPES = ("patent", "utility_model", "trade_secret", "industrial_design")
# A field guessed from the MSME's ISIC section, for its first listing.
CATEGORY_BY_SECTION = {"A": "agriculture", "D": "energy", "E": "waste", "F": "building", "H": "transport"}


class CountriesField(forms.MultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": 6})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=country_choices, **kwargs)


class GreenTechnologyForm(BootstrapFormMixin, forms.Form):
    """A green technology in under ten fields, filled in from the MSME's profile and IP register."""

    title = forms.CharField(label=_("Title"), max_length=rules.TITLE_MAX)
    category = forms.ChoiceField(label=_("Field"), choices=GreenCategory.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=rules.DESCRIPTION_MAX,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("What it does, for whom, and what makes it better."),
    )
    stage = forms.ChoiceField(label=_("Development stage"), choices=GreenStage.choices)
    offers = forms.MultipleChoiceField(
        label=_("What you offer"), choices=GreenOffer.choices, widget=forms.CheckboxSelectMultiple
    )
    assets = forms.ModelMultipleChoiceField(
        label=_("IP that protects it"),
        queryset=IpAsset.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From your IP asset register."),
    )
    countries = CountriesField(
        label=_("Countries where it is offered"), required=False, help_text=_("None: every country.")
    )
    keywords = forms.CharField(
        label=_("Keywords"), max_length=rules.KEYWORDS_MAX, required=False, help_text=_("For example: solar, drying.")
    )

    def __init__(self, *args: Any, msme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assets = IpAsset.objects.filter(msme=msme).order_by("asset_type", "title")
        self.fields["assets"].queryset = assets
        self.fields["assets"].label_from_instance = lambda a: (
            f"{a.get_asset_type_display()}: {a.title} ({a.jurisdiction})"
        )
        if not self.is_bound:
            self.initial.setdefault("assets", [a.pk for a in assets if a.asset_type in TECHNOLOGY_ASSET_TYPES])
            self.initial.setdefault("countries", [msme.tenant.country] if msme.tenant.country else [])
            self.initial.setdefault("category", CATEGORY_BY_SECTION.get(msme.sector_section, ""))

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = ("title", "category", "description", "stage", "offers", "countries", "keywords")
        return {name: data[name] for name in fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            for name, problems in rules.green_errors(self.values(), technology=True).items():
                self.add_error(name if name in self.fields else None, problems)
        return data


class GreenNeedForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("What you need"), max_length=rules.TITLE_MAX)
    category = forms.ChoiceField(label=_("Field"), choices=GreenCategory.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=rules.DESCRIPTION_MAX,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("The problem to solve, where, and at what scale."),
    )
    min_stage = forms.ChoiceField(label=_("At least at stage"), choices=GreenStage.choices, initial=GreenStage.PILOT)
    countries = CountriesField(label=_("Countries where it is needed"), required=False)
    keywords = forms.CharField(label=_("Keywords"), max_length=rules.KEYWORDS_MAX, required=False)

    def __init__(self, *args: Any, msme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("countries", [msme.tenant.country] if msme.tenant.country else [])
            self.initial.setdefault("category", CATEGORY_BY_SECTION.get(msme.sector_section, ""))

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "category", "description", "min_stage", "countries", "keywords")}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            for name, problems in rules.green_errors(self.values(), technology=False).items():
                self.add_error(name if name in self.fields else None, problems)
        return data


class InterestForm(BootstrapFormMixin, forms.Form):
    need = forms.ModelChoiceField(
        label=_("For your need"), queryset=GreenNeed.objects.none(), required=False, empty_label=_("None")
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=rules.MESSAGE_MAX,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Your contact details are shown to them only if they accept."),
    )

    def __init__(self, *args: Any, msme_ids: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = GreenNeed.objects.filter(msme_id__in=msme_ids).order_by("-created_at")


class OfferForm(BootstrapFormMixin, forms.Form):
    technology = forms.ModelChoiceField(label=_("Your technology"), queryset=GreenTechnology.objects.none())
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=rules.MESSAGE_MAX,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("They see your contact details if they accept; you see theirs then."),
    )

    def __init__(self, *args: Any, msme_ids: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technology"].queryset = GreenTechnology.objects.filter(msme_id__in=msme_ids).order_by("title")


class GreenFilterForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Field"), required=False, choices=BLANK + list(GreenCategory.choices))
    country = forms.ChoiceField(label=_("Country"), required=False)
    q = forms.CharField(label=_("Words"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = BLANK + country_choices()


class CourseFilterForm(BootstrapFormMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False, choices=BLANK + list(settings.LANGUAGES))
    level = forms.ChoiceField(label=_("Level"), required=False, choices=BLANK + list(Course.Level.choices))


# --- Mentoring ------------------------------------------------------------------------------------


class MentoringRequestForm(BootstrapFormMixin, forms.Form):
    area = forms.ChoiceField(label=_("What do you want help with?"), choices=MentoringArea.choices)
    mentor = forms.ModelChoiceField(
        label=_("Mentor"), queryset=Mentor.objects.none(), required=False, empty_label=_("The agency chooses")
    )
    description = forms.CharField(
        label=_("Describe what you need"),
        max_length=rules.MENTORING_DESCRIPTION_MAX,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Your business, your IP, and the decision you face."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Mentor.objects.filter(is_active=True).order_by("name")


class MentorForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    areas = forms.MultipleChoiceField(
        label=_("Areas"), choices=MentoringArea.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    bio = forms.CharField(
        label=_("Experience"), max_length=rules.MENTOR_BIO_MAX, required=False, widget=forms.Textarea({"rows": 3})
    )


class AssignMentorForm(BootstrapFormMixin, forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Mentor.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Mentor.objects.filter(is_active=True).order_by("name")


# --- Intermediaries and partnerships --------------------------------------------------------------


def section_choices() -> list[tuple[str, str]]:
    sections = IsicCode.objects.filter(level=IsicCode.Level.SECTION).order_by("code").values_list("code", "title")
    return [(code, f"{code}: {title}") for code, title in sections]


class SectorsField(forms.MultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": 5})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=section_choices, **kwargs)


class IntermediaryForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Intermediary.Kind.choices)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    region = forms.CharField(label=_("Region (ISO 3166-2)"), max_length=10, required=False)
    sectors = SectorsField(label=_("Sectors"), required=False, help_text=_("None: every sector."))
    description = forms.CharField(
        label=_("What it does for MSMEs"),
        max_length=rules.DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    is_listed = forms.BooleanField(label=_("Listed in the public directory"), required=False, initial=True)


class PartnershipOfferForm(BootstrapFormMixin, forms.Form):
    company = forms.CharField(label=_("Company"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnershipOffer.Kind.choices)
    description = forms.CharField(
        label=_("What is offered"),
        max_length=3000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("To whom, for what, and what the company expects in return."),
    )
    sectors = SectorsField(label=_("Sectors"), required=False, help_text=_("None: every sector."))
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    is_open = forms.BooleanField(label=_("Open to requests"), required=False, initial=True)


class IntroductionForm(BootstrapFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Your message to the company"), max_length=rules.MESSAGE_MAX, widget=forms.Textarea({"rows": 3})
    )
    consent = forms.BooleanField(
        label=_("I agree that the agency shares my business's contact with this company"), required=False
    )


class DecisionForm(BootstrapFormMixin, forms.Form):
    introduce = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Introduce")), ("no", _("Do not introduce"))],
    )
    note = forms.CharField(label=_("Note for the business"), max_length=2000, required=False)


class IntermediaryFilterForm(BootstrapFormMixin, forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=BLANK + list(Intermediary.Kind.choices))
    sector = forms.ChoiceField(label=_("Sector"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = BLANK + country_choices()
        self.fields["sector"].choices = BLANK + section_choices()
