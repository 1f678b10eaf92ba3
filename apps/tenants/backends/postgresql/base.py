"""Django's PostgreSQL backend, told that a tenant-owned table's primary key is `(id, tenant_id)`.

`apps.tenants.operations.TenantPrimaryKey` puts the tenant in those keys, as a database sharded by tenant
needs, while the models keep `id` as their primary key. Django groups an aggregate by the primary key alone
and lets PostgreSQL infer the other columns from it, which PostgreSQL does only from a whole primary key: for
the tenant-owned models the query groups by every selected column instead. Other models keep the shortcut.
`portal/settings/base.py` names this backend for every PostgreSQL `DATABASE_URL`.

It also checks a kept connection's health (`CONN_HEALTH_CHECKS`, at the start of each request that uses the
database) without a round trip when it can (`DatabaseWrapper.is_usable`), and reads `timestamp with time zone`
values with `datetime.fromisoformat` (`IsoTimestamptzLoader`).
"""

from __future__ import annotations

import functools
import select
from datetime import datetime, timedelta, tzinfo
from typing import Any

from django.db.backends.postgresql import base, features
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.adapt import AdaptersMap, Buffer
from psycopg.pq import TransactionStatus

_NO_OFFSET = timedelta(0)


class IsoTimestamptzLoader(BaseTzLoader):
    """Django's loader of `timestamptz` (the value in the connection's time zone, then given Django's), which
    parses in Python: 6 µs a value on a small server, most of an API list of 50 rows with two timestamps.
    PostgreSQL writes them in ISO 8601 (DateStyle ISO, Django's session time zone UTC), which the standard
    library's C parser reads in a thirtieth of that. Anything else (another offset or DateStyle, BC,
    infinity) takes Django's loader, unchanged."""

    def load(self, data: Buffer) -> datetime:
        try:
            value = datetime.fromisoformat(bytes(data).decode())
        except ValueError:
            return super().load(data)
        if value.utcoffset() != _NO_OFFSET:
            return super().load(data)
        return value.replace(tzinfo=self.timezone)


@functools.cache
def _adapters_with_iso_loader(template: AdaptersMap, zone: tzinfo | None) -> AdaptersMap:
    """Django's adapters of new connections (psycopg_any.get_adapters_template, one per time zone), with the
    ISO loader for `zone` in place of its own."""
    adapters = AdaptersMap(template)
    adapters.register_loader("timestamptz", type("IsoTzLoader", (IsoTimestamptzLoader,), {"timezone": zone}))
    return adapters


class DatabaseFeatures(features.DatabaseFeatures):
    def allows_group_by_selected_pks_on_model(self, model: Any) -> bool:
        from apps.tenants.models import TenantOwnedModel

        if issubclass(model, TenantOwnedModel):
            return False
        return super().allows_group_by_selected_pks_on_model(model)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        if params.get("context") is not None:
            params["context"] = _adapters_with_iso_loader(params["context"], self.timezone)
        return params

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
