from __future__ import annotations

from typing import Any

from rest_framework import serializers

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
