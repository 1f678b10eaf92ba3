"""The FilterSet base of list pages and API lists: its form class is built once, not for every request.

django-filter builds a FilterSet's form anew for every request: it deep-copies every filter, builds a form
field from each (labels, choices, widgets) and makes a form class of them. None of that depends on the
request, except in a filter whose queryset is a callable of the request (`ModelChoiceFilter(queryset=f)`)
and in the labels django-filter writes itself (in the active language). So `ListFilterSet` keeps the form
class per FilterSet class and language, and copies the filters shallowly: each request still gets its own
filter objects (their `parent` and `model`) and its own form. The form's plain fields (text, choices,
yes/no, numbers, dates) are one styled set shared by its forms (`SharedFieldsForm`), instead of a deep
copy per form; the others are copied as Django does.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import QuerySet
from django.forms import Form
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django_filters.filters import Filter, QuerySetRequestMixin


def reads_rows_for_choices(filters: Iterable[Filter]) -> bool:
    """Whether a filter takes its choices from rows (ModelChoiceFilter and the like: a queryset, maybe of the
    request), which must be read again for each request."""
    return any(isinstance(filter_, QuerySetRequestMixin) for filter_ in filters)


def _copy_filter(filter_: Filter) -> Filter:
    if isinstance(filter_, QuerySetRequestMixin):
        return copy.deepcopy(filter_)
    copied = copy.copy(filter_)
    if copied.method is not None:
        copied.method = copied.method  # a new FilterMethod, bound to the copy (and so to its parent)
    return copied


# Form fields that a form never changes once made (plain values, choices, widgets): one styled copy of each
# can serve every form of a class. Not a model choice field (its queryset caches its rows), nor any other.
SHAREABLE_FIELDS = (
    forms.BooleanField,
    forms.CharField,
    forms.ChoiceField,
    forms.DateField,
    forms.DateTimeField,
    forms.DecimalField,
    forms.FloatField,
    forms.IntegerField,
    forms.UUIDField,
)


def _shareable(field: forms.Field) -> bool:
    return isinstance(field, SHAREABLE_FIELDS) and not isinstance(field, forms.ModelChoiceField)


class SharedFieldsForm(Form):
    """A form whose shareable fields are one set of objects for every instance (Django deep-copies every
    field for every form): the copies that the form class's own `__init__` made and styled once.

    The form must not change such a field afterwards; `BootstrapFormMixin` marks an invalid field on a
    copy of its own (apps.core.forms)."""

    shared_fields: ClassVar[dict[str, forms.Field]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        declared = type(self).base_fields
        # Django deep-copies `self.base_fields`: here, only the fields that are not shared.
        self.base_fields = {name: field for name, field in declared.items() if name not in self.shared_fields}
        try:
            super().__init__(*args, **kwargs)
        finally:
            del self.base_fields
        own = self.fields
        self.fields = {name: self.shared_fields[name] if name in self.shared_fields else own[name] for name in declared}
        self.order_fields(self.field_order)


def with_shared_fields(form_class: type[Form]) -> type[Form]:
    """`form_class` made to share its shareable fields (see SharedFieldsForm), as styled by its `__init__`."""
    styled = form_class().fields
    shared = {name: field for name, field in styled.items() if _shareable(field)}
    return type(form_class.__name__, (SharedFieldsForm, form_class), {"shared_fields": shared})


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet whose form class is built once per class and language (unless a filter's choices
    depend on the request: then django-filter's way, every time), and that skips its form altogether when
    the data names none of its filters (`unfiltered`): a list opened as it is, with at most a page number."""

    _form_classes: ClassVar[dict[tuple[type, str | None], type[Form]]] = {}

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        # What django-filter's __init__ does, with a shallow copy of each filter: a filter's declared state
        # (its `extra`) is only read, except by a filter that takes its queryset from the request, which
        # writes it there (QuerySetRequestMixin.field): those are deep-copied as before.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _copy_filter(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    @cached_property
    def unfiltered(self) -> bool:
        """Bound to data in which no key starts with a filter's name (a filter's form fields are named after
        it): every filter would get an empty value and leave the queryset as it is, so there is nothing to
        validate nor apply. The most common list request, which would otherwise build and clean the form."""
        if not self.is_bound or self.form_prefix:
            return False
        names = tuple(self.filters)
        return not any(key.startswith(names) for key in self.data)

    def is_valid(self) -> bool:
        return True if self.unfiltered else super().is_valid()

    @property
    def form(self) -> Form:
        """django-filter's form; cleaned when first read after the shortcut skipped it, so that code that
        reads its `cleaned_data` after `is_valid()` finds it as before."""
        form = super().form
        if self.unfiltered and not hasattr(form, "cleaned_data"):
            form.full_clean()
        return form

    @property
    def errors(self) -> ErrorDict:
        return ErrorDict() if self.unfiltered else self.form.errors

    @property
    def qs(self) -> QuerySet:
        if not self.unfiltered:
            return super().qs
        if not hasattr(self, "_qs"):
            self._qs = self.queryset.all()
        return self._qs

    @classmethod
    def _request_bound(cls) -> bool:
        return reads_rows_for_choices(cls.base_filters.values())

    def get_form_class(self) -> type[Form]:
        if self._request_bound():
            return super().get_form_class()
        key = (type(self), get_language())
        form_class = self._form_classes.get(key)
        if form_class is None:
            form_class = self._form_classes.setdefault(key, with_shared_fields(super().get_form_class()))
        return form_class
