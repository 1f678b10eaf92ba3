"""The segment form: a name and a description, and the segment's filters as the registry list's filter form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.forms import BootstrapFormMixin
from apps.outreach.filters import SegmentFilterSet
from apps.outreach.models import Segment
from apps.outreach.segments import filterset_for, segment_errors, segment_filters


class SegmentForm(BootstrapFormMixin, forms.Form):
    """Its own fields, and `filterset` (a SegmentFilterSet bound to the same data) for the filters: a bad
    filter value is an error of that filter's field, and the form is not valid."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Who the segment is for, in a sentence: your colleagues see it in the list."),
    )

    def __init__(self, data: Any = None, *, segment: Segment | None = None) -> None:
        initial = {"name": segment.name, "description": segment.description} if segment is not None else None
        super().__init__(data, initial=initial)
        self.segment = segment
        stored = segment.filters if segment is not None and isinstance(segment.filters, dict) else {}
        self.filterset: SegmentFilterSet = filterset_for(data if data is not None else stored)
        self.filters: dict[str, list[str]] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.filters, filter_errors = segment_filters(self.data)
        if filter_errors:
            self.add_error(None, _("Correct the filters marked below."))
        name = cleaned.get("name")
        if name is not None:
            for message in segment_errors(name=name, filters=self.filters, segment=self.segment).get("name", []):
                self.add_error("name", message)
        return cleaned

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.filterset.is_valid() and valid

    def service_data(self) -> dict[str, Any]:
        return {**{name: self.cleaned_data[name] for name in ("name", "description")}, "filters": self.filters}
