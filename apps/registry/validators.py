"""Registry rules on single values as Django validators, for form and serializer fields: each adapts its rule
in apps.registry.rules (the one place it is written)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from apps.registry import rules
from apps.registry.rules import ASSESSMENTS_FROM

__all__ = ["ASSESSMENTS_FROM", "validate_assessment_date"]


def validate_assessment_date(value: date | None) -> None:
    """An IP maturity assessment date: not after today, not before ASSESSMENTS_FROM."""
    if error := rules.assessment_date_error(value):
        raise ValidationError(error, code="assessment_date")
