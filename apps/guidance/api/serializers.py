from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.guidance.calculators import fees
from apps.guidance.calculators.pct import input_errors

ISO_DATE = ["iso-8601"]


class PctDeadlinesQuerySerializer(serializers.Serializer):
    priority_date = serializers.DateField(
        input_formats=ISO_DATE, help_text="Priority date (the earliest filing date claimed), YYYY-MM-DD."
    )
    search_report_date = serializers.DateField(
        input_formats=ISO_DATE,
        required=False,
        allow_null=True,
        default=None,
        help_text="Date the international search report and written opinion were transmitted, YYYY-MM-DD.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = input_errors(priority_date=attrs["priority_date"], search_report_date=attrs.get("search_report_date"))
        if errors:
            raise serializers.ValidationError({field: [message] for field, message in errors.items()})
        return attrs


class PctLimitSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    date = serializers.DateField()
    months = serializers.IntegerField()
    source = serializers.CharField()
    applies_from = serializers.DateField()
    note = serializers.CharField()


class PctOfficeDeadlineSerializer(serializers.Serializer):
    office = serializers.CharField()
    name = serializers.CharField()
    deadline = serializers.DateField()
    months = serializers.IntegerField()
    source = serializers.CharField()
    applies_from = serializers.DateField()


class PctDeadlinesSerializer(serializers.Serializer):
    priority_date = serializers.DateField()
    search_report_date = serializers.DateField(allow_null=True)
    priority_deadline = serializers.DateField()
    international_publication = serializers.DateField()
    chapter_ii_demand = serializers.DateField()
    national_phase = serializers.DateField()
    national_phase_31_month_offices = PctOfficeDeadlineSerializer(many=True)
    national_phase_31_month_offices_note = serializers.CharField()
    limits = PctLimitSerializer(many=True)
    rule_80_2 = serializers.CharField()
    rule_80_5 = serializers.CharField()


# --- Fee calculators ----------------------------------------------------------------------------


def _codes(values: list[str]) -> list[str]:
    """Office codes from repeated parameters or a comma-separated list, upper-cased, blanks dropped."""
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


class PctFeesQuerySerializer(serializers.Serializer):
    sheets = serializers.IntegerField(min_value=1, help_text="Total number of sheets of the international application.")
    efiling = serializers.ChoiceField(
        choices=fees.EFILING_OPTIONS,
        default="none",
        help_text="Electronic filing: none (paper), pdf (request not character-coded), xml (request character-coded), "
        "character_coded (request, description, claims and abstract character-coded).",
    )
    reduction = serializers.ChoiceField(
        choices=fees.PCT_REDUCTIONS,
        default="none",
        help_text="90% reduction: natural_person_eligible_state or ldc (least developed country).",
    )


class MadridFeesQuerySerializer(serializers.Serializer):
    colour = serializers.BooleanField(default=False, help_text="The mark is reproduced in colour.")
    classes = serializers.IntegerField(
        min_value=1, max_value=fees.MAX_CLASSES, help_text="Number of classes of goods and services."
    )
    designations = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="Codes of designated offices that take an individual fee (repeat the parameter or separate with "
        "commas). Only documented offices are accepted.",
    )
    complementary_designations = serializers.IntegerField(
        min_value=0, default=0, help_text="How many designated parties take no individual fee (complementary fee)."
    )
    ldc = serializers.BooleanField(default=False, help_text="The applicant is from a least developed country.")

    def validate_designations(self, value: list[str]) -> list[str]:
        codes = _codes(value)
        supported = fees.madrid_office_codes()
        unknown = [code for code in codes if code not in supported]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown office: %(codes)s. Supported offices: %(supported)s.")
                % {"codes": ", ".join(unknown), "supported": ", ".join(supported)}
            )
        if len(set(codes)) != len(codes):
            raise serializers.ValidationError(_("Designate each office once."))
        return codes

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["designations"] and not attrs["complementary_designations"]:
            raise serializers.ValidationError({"designations": [_("Designate at least one party.")]})
        return attrs


class HagueFeesQuerySerializer(serializers.Serializer):
    designs = serializers.IntegerField(min_value=1, max_value=100, help_text="Number of designs (1 to 100).")
    reproductions = serializers.IntegerField(min_value=0, help_text="Number of reproductions to be published.")
    extra_pages = serializers.IntegerField(
        min_value=0, default=0, help_text="Pages of reproductions beyond the first (paper filing only)."
    )
    level_1 = serializers.IntegerField(min_value=0, default=0, help_text="Designated parties at level one.")
    level_2 = serializers.IntegerField(min_value=0, default=0, help_text="Designated parties at level two.")
    level_3 = serializers.IntegerField(min_value=0, default=0, help_text="Designated parties at level three.")


class FeeLineSerializer(serializers.Serializer):
    label = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    source = serializers.CharField()
    applies_from = serializers.DateField(allow_null=True)
    verified = serializers.CharField()


class FeeResultSerializer(serializers.Serializer):
    currency = serializers.CharField()
    schedule = serializers.CharField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    lines = FeeLineSerializer(many=True)
