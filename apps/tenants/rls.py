"""Row-level security: the second wall on PostgreSQL.

Each tenant-owned table gets ENABLE and FORCE ROW LEVEL SECURITY and a policy on per-transaction
settings, `app.tenant_id` and `app.unscoped` (and `app.division`, read only by the policy of a table
routed to divisions: one with a `division` column), set with `set_config(..., true)` (transaction-local,
never a session-level SET, which would leak across pooled connections).

One transaction per request (TenantMiddleware) and per task (`tenant_task`): the scope is set once
in it, with its first query (a task also at its start, `apply_scope`), so a request that reads
nothing sends nothing; BEGIN and the settings go in one round trip. An execute wrapper re-applies
the settings when the scope changes inside the transaction (`tenant_context` / `unscoped` entered or left) and, past a
commit, before the first query of the next transaction. A scoped query in autocommit is a path
that escaped its transaction: an error in development and tests, logged in production, where it
still runs in a transaction of its own. Work that commits as it goes (an import's batches, a
streamed download read after the view returned) says so with `autocommit_scope(reason)`.
On SQLite and other databases all of this does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.db.migrations.operations.base import Operation
from psycopg import errors as pg_errors
from psycopg import generators, pq
from psycopg import sql as pg_sql
from psycopg.pq import TransactionStatus

from apps.tenants.context import get_active_division, get_active_tenant, is_unscoped

logger = logging.getLogger(__name__)

POLICY_NAME = "tenant_isolation"
_SET_SQL = (
    "SELECT set_config('app.tenant_id', %s, true), set_config('app.unscoped', %s, true), "
    "set_config('app.division', %s, true)"
)
_BEGIN_SET_SQL = pg_sql.SQL(
    "BEGIN; SELECT set_config('app.tenant_id', {}, true), set_config('app.unscoped', {}, true), "
    "set_config('app.division', {}, true)"
)
# Each setting is read in a scalar subquery: PostgreSQL computes it once per statement (an InitPlan) and
# compares every row to that value. Read bare, `current_setting` is called again for every row the policy
# filters: counting the first 1,001 MSMEs of a list took 0.85 ms that way, 0.35 ms this way.
_PREDICATE = (
    "((SELECT current_setting('app.unscoped', true) = 'on') "
    "OR tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::bigint))"
)
# A table routed to divisions also admits the rows routed to the active division (an empty setting
# admits none: NULLIF makes it NULL, and `division = NULL` is never true).
DIVISION_COLUMN = "division"
_DIVISION_PREDICATE = (
    "((SELECT current_setting('app.unscoped', true) = 'on') "
    "OR tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::bigint) "
    "OR division = (SELECT NULLIF(current_setting('app.division', true), '')))"
)

Settings = tuple[str, str, str]  # app.tenant_id, app.unscoped, app.division
_NO_SCOPE: Settings = ("", "", "")
_autocommit_reason: ContextVar[str | None] = ContextVar("rls_autocommit_reason", default=None)


class ScopedQueryInAutocommit(RuntimeError):
    """A query ran with a tenant scope active but outside any transaction."""


@contextmanager
def autocommit_scope(reason: str) -> Iterator[None]:
    """Inside the block, scoped queries may run in autocommit, each in a transaction of its own
    with the settings applied: for work that must commit as it goes (an import job's progress,
    a streamed response read after the request's transaction ended)."""
    if not reason:
        raise ValueError("autocommit_scope() needs a reason")
    token = _autocommit_reason.set(reason)
    try:
        yield
    finally:
        _autocommit_reason.reset(token)


def _desired_settings() -> Settings:
    tenant = get_active_tenant()
    return (str(tenant.pk) if tenant is not None else "", "on" if is_unscoped() else "", get_active_division())


def _apply(connection: Any, desired: Settings) -> None:
    raw = connection.connection
    if _opens_transaction(raw):
        _begin_with(raw, desired)
    else:
        # A plain cursor of the driver's connection: going through Django's wrapper would re-enter
        # this wrapper, and the query's own cursor may be a server-side (named) one, on which the
        # statement would only be DECLAREd, never run (QuerySet.iterator() saw no rows at all).
        with raw.cursor() as cursor:
            cursor.execute(_SET_SQL, desired)
    connection._rls_applied = desired


def _opens_transaction(raw: Any) -> bool:
    """Whether the settings are the transaction's first statement, which psycopg would precede with a plain
    BEGIN of its own (no isolation level, read-only or deferrable mode asked for, no pipeline)."""
    return (
        not raw.autocommit
        and raw.info.transaction_status == TransactionStatus.IDLE
        and raw.pgconn.pipeline_status == pq.PipelineStatus.OFF
        and raw.isolation_level is None
        and raw.read_only is None
        and raw.deferrable is None
    )


def _begin_with(raw: Any, desired: Settings) -> None:
    """BEGIN and the settings in one round trip: two statements in one simple query (psycopg would send its
    BEGIN alone, then the settings). The values are quoted as literals by the driver."""
    command = _BEGIN_SET_SQL.format(*map(pg_sql.Literal, desired)).as_bytes(raw)
    with raw.lock:
        raw.pgconn.send_query(command)
        results = raw.wait(generators.execute(raw.pgconn))
    for result in results:
        if result.status not in {pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK}:
            raise pg_errors.error_from_result(result, encoding=raw.info.encoding)


def _applied(connection: Any) -> Settings | None:
    """The settings in force in the open transaction (None: none open, or none set in it)."""
    raw = connection.connection
    if raw is None or raw.info.transaction_status == TransactionStatus.IDLE:
        connection._rls_applied = None  # whatever was set ended with its transaction
    return getattr(connection, "_rls_applied", None)


def _needs_apply(applied: Settings | None, desired: Settings) -> bool:
    # Nothing set yet and nothing to set: the defaults already let no row through.
    return applied != desired and not (applied is None and desired == _NO_SCOPE)


def apply_scope(using: str = DEFAULT_DB_ALIAS) -> None:
    """Set the active scope in the open transaction now (the start of a request or a task)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    connection.ensure_connection()
    desired = _desired_settings()
    if _needs_apply(_applied(connection), desired):
        _apply(connection, desired)


def _outside_transaction(sql: str) -> None:
    """A scoped query in autocommit: development and tests fail loudly, so the path gets its
    transaction; production logs it and runs the query the old way, in its own transaction."""
    if _autocommit_reason.get() is not None:
        return
    message = (
        "A query ran with a tenant scope active outside any transaction. Run it inside "
        "transaction.atomic() (requests and tenant_task already are), or inside "
        "autocommit_scope(reason) if it must commit as it goes."
    )
    if settings.PORTAL_RLS_REQUIRE_TRANSACTION:
        raise ScopedQueryInAutocommit(message)
    logger.error("%s Query: %.200s", message, sql, stack_info=True)


_SAVEPOINT_SQL = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")
_UNKNOWN: Settings = ("?", "?", "?")


def _rls_execute_wrapper(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    connection = context["connection"]
    if isinstance(sql, str) and sql.startswith(_SAVEPOINT_SQL):
        # A savepoint may be what opens the transaction (an atomic block inside one that ran no query yet):
        # forget the settings of the previous transaction first, while it still shows as ended, or the next
        # query would take them as in force and run with none.
        _applied(connection)
        # Touches no rows, and may close a failed block, where set_config itself would fail.
        result = execute(sql, params, many, context)
        if sql.startswith("ROLLBACK"):
            # set_config is undone with the savepoint: what is in force now is not known here.
            connection._rls_applied = _UNKNOWN
        return result
    desired = _desired_settings()
    applied = _applied(connection)
    if not _needs_apply(applied, desired):
        return execute(sql, params, many, context)
    if connection.get_autocommit():
        _outside_transaction(sql)
        with transaction.atomic(using=connection.alias):
            _apply(connection, desired)
            return execute(sql, params, many, context)
    _apply(connection, desired)
    return execute(sql, params, many, context)


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql" and _rls_execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_rls_execute_wrapper)


def install_connection_hook() -> None:
    connection_created.connect(_on_connection_created, dispatch_uid="tenants.rls")


def policy_predicate(*, routed_to_division: bool) -> str:
    return _DIVISION_PREDICATE if routed_to_division else _PREDICATE


def enable_sql(table: str, *, routed_to_division: bool = False) -> list[str]:
    predicate = policy_predicate(routed_to_division=routed_to_division)
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'DROP POLICY IF EXISTS {POLICY_NAME} ON "{table}"',
        f'CREATE POLICY {POLICY_NAME} ON "{table}" USING {predicate} WITH CHECK {predicate}',
    ]


def routed_to_division(model: Any) -> bool:
    """Whether a model's table is routed to divisions: it has the `division` column. Read from the
    migration state's model, which keeps fields but not class attributes (`routable_to_division`);
    tests/test_division_scope.py keeps the two in step for every model."""
    return any(getattr(field, "column", None) == DIVISION_COLUMN for field in model._meta.concrete_fields)


def disable_sql(table: str, *, routed_to_division: bool = False) -> list[str]:
    return [
        f'DROP POLICY IF EXISTS {POLICY_NAME} ON "{table}"',
        f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY',
    ]


class EnableRowLevelSecurity(Operation):
    """Migration operation: row-level security on a tenant-owned model's table (PostgreSQL only).

    The policy admits the active tenant's rows, and, when the table has a `division` column (a model
    routed to divisions), the rows routed to the active division too. A model that gains or loses that
    column later needs this operation again (after the field's operation): it replaces the policy."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return ("EnableRowLevelSecurity", [], {"model_name": self.model_name})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def _run(self, app_label: str, schema_editor: Any, state: Any, statements: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = state.apps.get_model(app_label, self.model_name)
        for statement in statements(model._meta.db_table, routed_to_division=routed_to_division(model)):
            schema_editor.execute(statement)

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._run(app_label, schema_editor, to_state, enable_sql)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._run(app_label, schema_editor, from_state, disable_sql)

    def describe(self) -> str:
        return f"Enable row-level security on {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"rls_{self.model_name.lower()}"
