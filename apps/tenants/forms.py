"""Tenant forms."""

from __future__ import annotations

from django import forms


class TenantSwitchForm(forms.Form):
    """The agency to work in, by slug. A form field refuses NUL characters, which PostgreSQL cannot compare."""

    tenant = forms.CharField(max_length=40)
