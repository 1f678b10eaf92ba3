from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.guidance.calculators.pct import input_errors

ISO_DATE = ["%Y-%m-%d"]


class PctDeadlinesForm(forms.Form):
    priority_date = forms.DateField(
        label=_("Priority date"),
        input_formats=ISO_DATE,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=_("The filing date of the earliest application whose priority is claimed (YYYY-MM-DD)."),
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        priority_date = cleaned.get("priority_date")
        if priority_date is not None:
            errors = input_errors(priority_date=priority_date, search_report_date=cleaned.get("search_report_date"))
            for field, message in errors.items():
                self.add_error(field, message)
        return cleaned
