"""A row of the access matrix, and helpers the admin's rule shares with the tables."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.urls import URLPattern

from apps.tenants.context import unscoped


@dataclass
class Spec:
    """One URL name's row: the status per role, its path parameters, its method."""

    name: str
    expected: dict[str, int]
    kwargs: dict[str, str] = field(default_factory=dict)
    method: str = "get"
    xfail: dict[str, str] = field(default_factory=dict)


def first_row(model: type[models.Model]) -> models.Model | None:
    with unscoped("access matrix: an id for the admin's change pages"):
        return model._default_manager.order_by("pk").first()


def pattern_model(pattern: URLPattern) -> type[models.Model] | None:
    model_admin = getattr(pattern.callback, "model_admin", None)
    return model_admin.model if model_admin is not None else None
