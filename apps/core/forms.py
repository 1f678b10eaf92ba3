"""Bootstrap classes on every widget, and the invalid state where a field has errors."""

from __future__ import annotations

import copy
from typing import Any

from django import forms

_CHECKS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


class BootstrapFormMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, _CHECKS):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                # Marked on a copy of its own: a field may be shared by every form of its class
                # (apps.core.filters.SharedFieldsForm).
                field = self.fields[name] = copy.deepcopy(self.fields[name])
                self._bound_fields_cache.pop(name, None)
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} is-invalid".strip()
