"""The tenant-scoped manager: filters by the active tenant, raises when there is none."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from apps.tenants.context import get_active_tenant, is_unscoped, require_active_tenant


class TenantScopedQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        if "tenant" in kwargs or "tenant_id" in kwargs:
            raise ValueError("A tenant-owned row cannot move to another tenant.")
        return super().update(**kwargs)

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        active = get_active_tenant()
        for obj in objs:
            if obj.tenant_id is None:
                obj.tenant = require_active_tenant()
            elif active is not None and obj.tenant_id != active.pk and not is_unscoped():
                raise ValueError("bulk_create: a row of another tenant than the active one.")
        return super().bulk_create(objs, *args, **kwargs)


class TenantScopedManager(models.Manager.from_queryset(TenantScopedQuerySet)):
    """Every query is limited to the active tenant; none at all is an error, never "everything"."""

    def none(self) -> TenantScopedQuerySet:
        # An empty queryset reads nothing, so it needs no tenant (schema generation uses it).
        return super().get_queryset().none()

    def get_queryset(self) -> TenantScopedQuerySet:
        queryset = super().get_queryset()
        if is_unscoped():
            return queryset
        return queryset.filter(tenant=require_active_tenant())
