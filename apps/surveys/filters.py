"""The survey list's filters."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.filters import ListFilterSet
from apps.core.forms import BootstrapFormMixin
from apps.surveys.models import Survey


class FilterForm(BootstrapFormMixin, forms.Form):
    pass


class SurveyFilterSet(ListFilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label=_("Title contains"), max_length=100
    )
    status = django_filters.ChoiceFilter(choices=Survey.Status.choices, label=_("Status"), empty_label=_("Any"))

    class Meta:
        model = Survey
        fields = ["q", "status"]
        form = FilterForm
