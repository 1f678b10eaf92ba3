"""Registry rules on single values, shared by the pages' forms and the API's serializers."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# IP maturity assessments of this kind (DESIGN.md's five levels) were not made before this date;
# an earlier one is a typing error (19 for 2019), as a date after today is.
ASSESSMENTS_FROM = date(2000, 1, 1)


def validate_assessment_date(value: date | None) -> None:
    """An IP maturity assessment date: not after today, not before ASSESSMENTS_FROM."""
    if value is None:
        return
    if value > timezone.localdate():
        raise ValidationError(_("The assessment date cannot be in the future."), code="future")
    if value < ASSESSMENTS_FROM:
        raise ValidationError(
            _("The assessment date cannot be before %(date)s."),
            code="too_early",
            params={"date": ASSESSMENTS_FROM.isoformat()},
        )
