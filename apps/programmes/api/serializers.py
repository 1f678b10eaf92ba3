"""The programmes' API serializers. A request is validated by its programme's form (apps.programmes.forms),
the same as on the page; the request serializers declare the form's fields for the schema."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from rest_framework import serializers

from apps.core.api.serializers import NulFreeInputMixin, StrictBooleanField, StrictCharField, StrictIntegerField
from apps.core.countries import country_name
from apps.programmes import adr_fees, rules
from apps.programmes.catalogue import PROGRAMMES
from apps.programmes.forms import REQUEST_FORMS, RequestForm
from apps.programmes.models import (
    GreenCategory,
    GreenNeed,
    GreenOffer,
    GreenTechnology,
    ProgrammeRequest,
    Stage,
    Tisc,
    TiscService,
)


class TiscSerializer(serializers.ModelSerializer):
    country_name = serializers.SerializerMethodField()

    class Meta:
        model = Tisc
        fields = [
            "id",
            "name",
            "host_institution",
            "country",
            "country_name",
            "city",
            "languages",
            "services",
            "email",
            "phone",
            "website",
        ]

    def get_country_name(self, tisc: Tisc) -> str:
        return country_name(tisc.country)


class TiscQuerySerializer(serializers.Serializer):
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, help_text="ISO 3166 alpha-2 code.")
    service = serializers.ChoiceField(choices=TiscService.choices, required=False)


class JsonNumberField(serializers.DecimalField):
    """An amount as a JSON number only (the schema says a number): DRF would also read "12" or true."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce_to_string=False, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


def _drf_field(field: forms.Field) -> serializers.Field:
    """The form field as the schema shows it; the form validates."""
    common: dict[str, Any] = {"required": field.required, "label": str(field.label)}
    if field.help_text:
        common["help_text"] = str(field.help_text)
    if isinstance(field, forms.ModelChoiceField):
        return StrictIntegerField(allow_null=True, **common)
    if isinstance(field, forms.BooleanField):
        return StrictBooleanField(**common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=[(str(k), v) for k, v in field.choices if k != ""], **common)
    if isinstance(field, forms.DecimalField):
        return JsonNumberField(
            max_digits=field.max_digits, decimal_places=field.decimal_places, allow_null=True, **common
        )
    return StrictCharField(max_length=getattr(field, "max_length", None), **common)


class RequestCreateSerializer(serializers.Serializer):
    """Validates with the programme's form; `validated_data["form"]` is the valid form."""

    form_class: type[RequestForm]

    def __init__(self, *args: Any, form_kwargs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.form_kwargs = form_kwargs or {}
        super().__init__(*args, **kwargs)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        data = {key: ("true" if value is True else value) for key, value in self.initial_data.items()}
        form = self.form_class(data=data, **self.form_kwargs)
        if not form.is_valid():
            raise serializers.ValidationError({name: list(problems) for name, problems in form.errors.items()})
        return {"form": form}


def request_create_serializer(slug: str) -> type[RequestCreateSerializer]:
    form_class = REQUEST_FORMS[slug]
    sample = form_class(**({"country": ""} if slug == "tisc" else {}))
    fields = {name: _drf_field(field) for name, field in sample.fields.items()}
    name = f"{slug.title()}RequestCreateSerializer"
    return type(name, (RequestCreateSerializer,), {"form_class": form_class, **fields})


class ProgrammeRequestSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    ticket_reference = serializers.CharField(source="ticket.reference", read_only=True)

    class Meta:
        model = ProgrammeRequest
        fields = [
            "id",
            "programme",
            "kind",
            "kind_label",
            "details",
            "tisc",
            "stage",
            "stage_label",
            "outcome",
            "ticket",
            "ticket_reference",
            "division",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_kind_label(self, request: ProgrammeRequest) -> str:
        return PROGRAMMES[request.programme].kind_label(request.kind)


class StageSerializer(serializers.Serializer):
    # Every stage (the schema's one enum); withdrawing is the MSME's, so the service refuses it here with a 400.
    stage = serializers.ChoiceField(choices=Stage.choices)
    outcome = serializers.CharField(required=False, allow_blank=True, default="")


class AdrFeesQuerySerializer(serializers.Serializer):
    procedure = serializers.ChoiceField(choices=adr_fees.PROCEDURES)
    amount = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=adr_fees.MAX_AMOUNT,
        required=False,
        help_text="Amount in dispute in USD: needed for mediation and arbitration.",
    )
    domains = serializers.IntegerField(
        min_value=1, max_value=adr_fees.MAX_DOMAINS, default=1, help_text="UDRP: domain names in the complaint."
    )
    panelists = serializers.ChoiceField(choices=adr_fees.PANELISTS, default=1, help_text="UDRP: 1 or 3.")
    reduction = serializers.BooleanField(
        default=False, help_text="The party uses the PCT, Madrid or Hague system (25% off)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["procedure"] in adr_fees.NEEDS_AMOUNT and attrs.get("amount") is None:
            raise serializers.ValidationError({"amount": ["Give the amount in dispute: the fees depend on it."]})
        return attrs


class AdrFeeLineSerializer(serializers.Serializer):
    label = serializers.CharField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    source = serializers.CharField()
    applies_from = serializers.DateField(allow_null=True)
    verified = serializers.CharField()


class AdrFeeResultSerializer(serializers.Serializer):
    currency = serializers.CharField()
    schedule = serializers.CharField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    lines = AdrFeeLineSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField(), help_text="What the total leaves out, and why.")


# --- WIPO GREEN -------------------------------------------------------------------------------------


class _GreenListingSerializer(NulFreeInputMixin, serializers.ModelSerializer):
    """A listing's public fields: who lists it is never among them. Text is JSON text only."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = rules.green_errors(attrs, technology=self.technology)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class GreenTechnologySerializer(_GreenListingSerializer):
    technology = True
    countries = serializers.ListField(
        child=StrictCharField(max_length=2), required=False, default=list, max_length=rules.MAX_COUNTRIES
    )
    offers = serializers.ListField(child=serializers.ChoiceField(choices=GreenOffer.choices), allow_empty=False)

    class Meta:
        model = GreenTechnology
        fields = [
            "id",
            "title",
            "category",
            "description",
            "stage",
            "offers",
            "ip_held",
            "countries",
            "keywords",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class GreenNeedSerializer(_GreenListingSerializer):
    technology = False
    countries = serializers.ListField(
        child=StrictCharField(max_length=2), required=False, default=list, max_length=rules.MAX_COUNTRIES
    )

    class Meta:
        model = GreenNeed
        fields = ["id", "title", "category", "description", "min_stage", "countries", "keywords", "created_at"]
        read_only_fields = ["id", "created_at"]


class GreenQuerySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=GreenCategory.choices, required=False)
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, help_text="ISO 3166 alpha-2 code.")
    q = serializers.CharField(required=False, max_length=100)
