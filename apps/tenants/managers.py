"""The scoped manager: filters by the active scope, raises when there is none.

In a tenant's scope: that tenant's rows. In a division's scope: for a model routed to divisions
(`routable_to_division = True`, a `division` column), the rows routed to that division, of every
tenant; for any other model, `NotRoutedToDivisions` (a division never reads a tenant's own rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from apps.tenants.context import (
    NotRoutedToDivisions,
    get_active_division,
    get_active_tenant,
    is_unscoped,
    require_active_tenant,
)


def check_division_scope(model: type[models.Model]) -> str:
    """The active division ("" outside one); raises when `model` is not routed to divisions and one is
    active (and no `unscoped()` block is open)."""
    division = get_active_division()
    if division and not is_unscoped() and not getattr(model, "routable_to_division", False):
        raise NotRoutedToDivisions(
            f"{model._meta.label} is not routed to divisions: division {division} cannot read or write it."
        )
    return division


class TenantScopedQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        if "tenant" in kwargs or "tenant_id" in kwargs:
            raise ValueError("A tenant-owned row cannot move to another tenant.")
        return super().update(**kwargs)

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        check_division_scope(self.model)
        active = get_active_tenant()
        for obj in objs:
            if obj.tenant_id is None:
                obj.tenant = require_active_tenant()
            elif active is not None and obj.tenant_id != active.pk and not is_unscoped():
                raise ValueError("bulk_create: a row of another tenant than the active one.")
        return super().bulk_create(objs, *args, **kwargs)


class TenantScopedManager(models.Manager.from_queryset(TenantScopedQuerySet)):
    """Every query is limited to the active scope; none at all is an error, never "everything"."""

    def none(self) -> TenantScopedQuerySet:
        # An empty queryset reads nothing, so it needs no tenant (schema generation uses it).
        return super().get_queryset().none()

    def get_queryset(self) -> TenantScopedQuerySet:
        queryset = super().get_queryset()
        if is_unscoped():
            return queryset
        if division := check_division_scope(self.model):
            # Routed rows keep their tenant: across tenants, only the division's own queue.
            return queryset.filter(division=division)
        return queryset.filter(tenant=require_active_tenant())
