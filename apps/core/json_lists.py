"""Filtering on a JSON list of plain values (choice values, never with a quote in them), on every database."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast


def with_value_in(queryset: QuerySet, field: str, value: str) -> QuerySet:
    """The rows whose JSON list `field` holds `value`: containment on PostgreSQL (the GIN-able `@>`); SQLite has
    none, so the stored list's text is searched for the value in quotes."""
    if connection.features.supports_json_field_contains:
        return queryset.filter(**{f"{field}__contains": [value]})
    alias = f"{field}_as_text"
    return queryset.alias(**{alias: Cast(field, TextField())}).filter(**{f"{alias}__contains": f'"{value}"'})
