from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.guidance.calculators import fees, routes
from apps.guidance.calculators.office_days import knows_office
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

    office = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=3,
        help_text=(
            "ISO 3166-1 alpha-2 code of the office's country: each limit PCT Rule 80.5 applies to then says the "
            "day it ends there, past the weekend and the country's public holidays."
        ),
    )

    def validate_office(self, value: str) -> str:
        code = value.strip().upper()
        if code and not knows_office(code):
            raise serializers.ValidationError(_("The closed days of this office are not known: leave it out."))
        return code

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
    office_date = serializers.DateField(
        source="at_office.moved_to", allow_null=True, default=None, help_text="The day the limit ends at the office."
    )
    office_closed_days = serializers.ListField(
        child=serializers.CharField(), source="at_office.closed", default=list, help_text="Each day skipped, and why."
    )


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
    sheets = serializers.IntegerField(
        max_value=fees.MAX_COUNT, min_value=1, help_text="Total number of sheets of the international application."
    )
    efiling = serializers.ChoiceField(
        choices=fees.EFILING_OPTIONS,
        default="none",
        help_text="Electronic filing: none (paper), pdf (request not character-coded), xml (request character-coded), "
        "character_coded (request, description, claims and abstract character-coded).",
    )
    reduction = serializers.ChoiceField(
        choices=fees.PCT_REDUCTIONS,
        default="none",
        help_text="90% reduction of the international filing fee: natural_person_eligible_state or ldc (least "
        "developed country). It does not reduce the search fee.",
    )
    receiving_office = serializers.CharField(
        default=fees.DEFAULT_RECEIVING_OFFICE,
        max_length=3,
        help_text="Code of the receiving Office (WIPO PCT Applicant's Guide, Annex C), e.g. IB (the International "
        "Bureau, the default), EP, KE: its transmittal fee is added.",
    )
    isa = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=16,
        help_text="International Searching Authority (Annex D), e.g. EP; where its search fee depends on a choice, "
        "CODE:option (JP:ja or JP:en, US:small, RU:en ...). One the receiving Office accepts. Left out: the total "
        "leaves the search fee out and says so.",
    )

    def validate_receiving_office(self, value: str) -> str:
        code = value.strip().upper()
        errors = fees.pct_office_errors(receiving_office=code, isa=None)
        if errors:
            raise serializers.ValidationError(errors["receiving_office"])
        return code

    def validate_isa(self, value: str) -> str:
        if not value.strip():
            return ""
        errors = fees.pct_office_errors(receiving_office=fees.DEFAULT_RECEIVING_OFFICE, isa=value)
        if errors:
            raise serializers.ValidationError(errors["isa"])
        code, option = fees.parse_isa(value)
        return f"{code}:{option}" if option else code

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = fees.pct_office_errors(receiving_office=attrs["receiving_office"], isa=attrs.get("isa"))
        if errors:
            raise serializers.ValidationError({field: [message] for field, message in errors.items()})
        return attrs


class MadridFeesQuerySerializer(serializers.Serializer):
    colour = serializers.BooleanField(default=False, help_text="The mark is reproduced in colour.")
    classes = serializers.IntegerField(
        min_value=1, max_value=fees.MAX_CLASSES, help_text="Number of classes of goods and services."
    )
    designations = serializers.ListField(
        child=serializers.CharField(min_length=1),
        required=False,
        default=list,
        help_text="Codes of designated offices that take an individual fee (repeat the parameter or separate with "
        "commas). Only documented offices are accepted.",
    )
    complementary_designations = serializers.IntegerField(
        max_value=fees.MAX_COUNT,
        min_value=0,
        default=0,
        help_text="How many designated parties take no individual fee (complementary fee).",
    )
    ldc = serializers.BooleanField(
        default=False, help_text="The country of origin (the Office of origin) is a least developed country (UN list)."
    )

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
    reproductions = serializers.IntegerField(
        max_value=fees.MAX_COUNT, min_value=0, help_text="Number of reproductions to be published."
    )
    extra_pages = serializers.IntegerField(
        max_value=fees.MAX_COUNT,
        min_value=0,
        default=0,
        help_text="Pages of reproductions beyond the first (paper filing only).",
    )
    level_1 = serializers.IntegerField(
        max_value=fees.MAX_COUNT, min_value=0, default=0, help_text="Designated parties at level one."
    )
    level_2 = serializers.IntegerField(
        max_value=fees.MAX_COUNT, min_value=0, default=0, help_text="Designated parties at level two."
    )
    level_3 = serializers.IntegerField(
        max_value=fees.MAX_COUNT, min_value=0, default=0, help_text="Designated parties at level three."
    )


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


class PctFeeLineSerializer(FeeLineSerializer):
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="In CHF; null: not known (see note)."
    )
    note = serializers.CharField(help_text="What was converted, or why the amount is not known; may be empty.")
    url = serializers.CharField(help_text="The source's official address; may be empty.")


class PctFeeResultSerializer(FeeResultSerializer):
    total = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="The sum of the known amounts; see complete and left_out."
    )
    lines = PctFeeLineSerializer(many=True)
    receiving_office = serializers.CharField()
    receiving_office_name = serializers.CharField()
    isa = serializers.CharField(help_text="The Authority (and fee option) priced; empty: none chosen.")
    complete = serializers.BooleanField(help_text="false: the total leaves out the fees named in left_out.")
    left_out = serializers.ListField(child=serializers.CharField())
    total_note = serializers.CharField()
    notes = serializers.ListField(child=serializers.CharField())


# --- Route comparison ---------------------------------------------------------------------------


class RouteComparisonQuerySerializer(serializers.Serializer):
    right = serializers.ChoiceField(
        choices=routes.RIGHTS, help_text="What to protect: mark (brand), design or invention (patent)."
    )
    countries = serializers.ListField(
        child=serializers.CharField(min_length=1),
        help_text="ISO codes of the countries (repeat the parameter or separate with commas). Only documented "
        "countries are accepted.",
    )
    classes = serializers.IntegerField(
        min_value=1, max_value=fees.MAX_CLASSES, default=1, help_text="Marks: number of classes of goods and services."
    )
    colour = serializers.BooleanField(default=False, help_text="Marks: the mark is reproduced in colour.")
    designs = serializers.IntegerField(min_value=1, max_value=100, default=1, help_text="Designs: number of designs.")
    reproductions = serializers.IntegerField(
        max_value=fees.MAX_COUNT,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text="Designs: number of reproductions (default: one per design).",
    )
    sheets = serializers.IntegerField(
        max_value=fees.MAX_COUNT, min_value=1, default=30, help_text="Inventions: number of sheets."
    )
    efiling = serializers.ChoiceField(
        choices=fees.EFILING_OPTIONS, default="none", help_text="Inventions: electronic filing format (see pct-fees)."
    )

    def validate_countries(self, value: list[str]) -> list[str]:
        codes = list(dict.fromkeys(_codes(value)))
        if not codes:
            raise serializers.ValidationError(_("Choose at least one country."))
        supported = routes.route_country_codes()
        unknown = [code for code in codes if code not in supported]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown or undocumented country code: %(codes)s. Documented codes: %(supported)s.")
                % {"codes": ", ".join(unknown), "supported": ", ".join(supported)}
            )
        return codes


class NationalFilingSerializer(serializers.Serializer):
    country = serializers.CharField()
    country_name = serializers.CharField()
    has_data = serializers.BooleanField()
    office = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_null=True)
    currency = serializers.CharField(allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    source = serializers.CharField(allow_null=True)
    url = serializers.CharField(allow_null=True)
    applies_from = serializers.DateField(allow_null=True)
    verified = serializers.CharField(allow_null=True)


class CurrencyTotalSerializer(serializers.Serializer):
    currency = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class InternationalRouteSerializer(serializers.Serializer):
    system = serializers.CharField()
    name = serializers.CharField()
    currency = serializers.SerializerMethodField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    schedule = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()
    covered = serializers.ListField(child=serializers.CharField())
    not_covered = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())

    def get_currency(self, route: routes.InternationalRoute) -> str:
        return "CHF"

    def get_schedule(self, route: routes.InternationalRoute) -> str | None:
        return route.result.schedule if route.result else None

    @extend_schema_field(FeeLineSerializer(many=True))
    def get_lines(self, route: routes.InternationalRoute) -> list[dict[str, Any]]:
        return FeeLineSerializer(route.result.lines, many=True).data if route.result else []


class RouteComparisonSerializer(serializers.Serializer):
    right = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField())
    national = NationalFilingSerializer(many=True)
    national_totals = CurrencyTotalSerializer(many=True)
    national_missing = serializers.ListField(child=serializers.CharField())
    national_note = serializers.SerializerMethodField()
    international = InternationalRouteSerializer()
    national_fits = serializers.ListField(child=serializers.CharField())
    international_fits = serializers.ListField(child=serializers.CharField())

    def get_national_note(self, comparison: routes.RouteComparison) -> str:
        return routes.national_note()
