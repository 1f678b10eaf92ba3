"""Django's PostgreSQL backend, told that a tenant-owned table's primary key is `(id, tenant_id)`.

`apps.tenants.operations.TenantPrimaryKey` puts the tenant in those keys, as a database sharded by tenant
needs, while the models keep `id` as their primary key. Django groups an aggregate by the primary key alone
and lets PostgreSQL infer the other columns from it, which PostgreSQL does only from a whole primary key: for
the tenant-owned models the query groups by every selected column instead. Other models keep the shortcut.
`portal/settings/base.py` names this backend for every PostgreSQL `DATABASE_URL`.

It also checks a kept connection's health (`CONN_HEALTH_CHECKS`, at the start of each request that uses the
database) without a round trip when it can: see `DatabaseWrapper.is_usable`.
"""

from __future__ import annotations

import select
from typing import Any

from django.db.backends.postgresql import base, features
from psycopg.pq import TransactionStatus


class DatabaseFeatures(features.DatabaseFeatures):
    def allows_group_by_selected_pks_on_model(self, model: Any) -> bool:
        from apps.tenants.models import TenantOwnedModel

        if issubclass(model, TenantOwnedModel):
            return False
        return super().allows_group_by_selected_pks_on_model(model)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures

    def is_usable(self) -> bool:
        """Django's check sends `SELECT 1`: a round trip before every request's first query. An idle connection
        receives nothing unasked except when the server ends it (a restart, an idle timeout, a terminated
        backend: its last message, or the socket's end) or sends a notice: so a socket with nothing to read
        is one the server still holds, and only a readable one (or one not idle) takes Django's round trip,
        which then decides. A connection lost without a word (a network cut) hangs Django's check as well."""
        connection = self.connection
        if connection is None:
            return False
        try:
            idle = not connection.closed and connection.info.transaction_status == TransactionStatus.IDLE
            readable = idle and bool(select.select([connection.fileno()], [], [], 0)[0])
        except (OSError, ValueError):
            return False
        if idle and not readable:
            return True
        return super().is_usable()
