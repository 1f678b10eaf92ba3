"""Django's PostgreSQL backend, told that a tenant-owned table's primary key is `(id, tenant_id)`.

`apps.tenants.operations.TenantPrimaryKey` puts the tenant in those keys, as a database sharded by tenant
needs, while the models keep `id` as their primary key. Django groups an aggregate by the primary key alone
and lets PostgreSQL infer the other columns from it, which PostgreSQL does only from a whole primary key: for
the tenant-owned models the query groups by every selected column instead. Other models keep the shortcut.
`portal/settings/base.py` names this backend for every PostgreSQL `DATABASE_URL`.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base, features


class DatabaseFeatures(features.DatabaseFeatures):
    def allows_group_by_selected_pks_on_model(self, model: Any) -> bool:
        from apps.tenants.models import TenantOwnedModel

        if issubclass(model, TenantOwnedModel):
            return False
        return super().allows_group_by_selected_pks_on_model(model)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
