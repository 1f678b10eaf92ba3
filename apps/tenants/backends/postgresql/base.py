"""Django's PostgreSQL backend, told that a tenant-owned table's primary key is `(id, tenant_id)`.

`apps.tenants.operations.TenantPrimaryKey` puts the tenant in those keys, as a database sharded by tenant
needs, while the models keep `id` as their primary key. Django groups an aggregate by the primary key alone
and lets PostgreSQL infer the other columns from it, which PostgreSQL does only from a whole primary key: for
the tenant-owned models the query groups by every selected column instead. Other models keep the shortcut.
`portal/settings/base.py` names this backend for every PostgreSQL `DATABASE_URL`.

It also checks a kept connection's health (`CONN_HEALTH_CHECKS`, at the start of each request that uses the
database) without a round trip when it can (`DatabaseWrapper.is_usable`), and reads `timestamp with time zone`
values with `datetime.fromisoformat` (`IsoTimestamptzLoader`). And it runs a query with its values written in
as a prepared statement when asked (`literal_sql`, `prepared_cursor`): a list's kept page query
(apps.core.lists.KeptPages) is then parsed and planned once per connection instead of at every request.
"""

from __future__ import annotations

import functools
import select
from datetime import datetime, timedelta, tzinfo
from typing import Any

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base, features, operations
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.db.backends.utils import CursorWrapper
from django.utils.asyncio import async_unsafe
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
            value = datetime.fromisoformat(str(data, "ascii"))
        except ValueError:  # UnicodeDecodeError is one
            return super().load(data)
        if value.tzinfo is self.timezone:  # "+00" is read as datetime.UTC, Django's zone for a UTC database
            return value
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


# psycopg prepares a statement when asked (`prepare=True`) only on a connection with a threshold; Django's is
# None (never). This one prepares nothing by itself: a query's count never reaches it.
ONLY_WHEN_ASKED = 2**62


class PreparingCursor(base.ServerBindingCursor):
    """Runs a query given without parameters (its values written in) as a named prepared statement, kept by
    psycopg per connection (its `prepared_max` most recent, 100)."""

    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None
    ) -> Any:
        if params is None and prepare is None:
            prepare = True
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor: Any, sql: Any, params: Any) -> str | None:
        # psycopg records the text of a query it sends unprepared only; a prepared one's is the literal SQL.
        if params is None and isinstance(cursor, PreparingCursor) and isinstance(sql, str):
            return sql
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        if params.get("context") is not None:
            params["context"] = _adapters_with_iso_loader(params["context"], self.timezone)
        return params

    @async_unsafe
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        if connection.prepare_threshold is None and settings.PORTAL_PREPARED_LIST_QUERIES:
            connection.prepare_threshold = ONLY_WHEN_ASKED
        return connection

    def literal_sql(self, sql: str, params: Any) -> str | None:
        """`sql` with `params` written in as psycopg writes them for Django's client-side binding (the text
        PostgreSQL receives), to run by `prepared_cursor`; None when this connection prepares no statement
        (`PORTAL_PREPARED_LIST_QUERIES` off, as behind a pooler that does not keep them)."""
        self.ensure_connection()
        if self.connection.prepare_threshold is None:
            return None
        with self.wrap_database_errors:
            return psycopg.ClientCursor(self.connection).mogrify(sql, params)

    @async_unsafe
    def prepared_cursor(self) -> CursorWrapper:
        """A cursor (through the execute wrappers, like `cursor()`) whose `execute(sql)` of a `literal_sql`
        runs it as a prepared statement: parsed and planned at its first run on this connection only."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(PreparingCursor(self.connection))

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
