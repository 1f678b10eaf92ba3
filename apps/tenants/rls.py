"""Row-level security: the second wall on PostgreSQL.

Each tenant-owned table gets ENABLE and FORCE ROW LEVEL SECURITY and a policy on two
per-transaction settings, `app.tenant_id` and `app.unscoped`. An execute wrapper sets them
with `set_config(..., true)` (transaction-local, never a session-level SET, which would leak
across pooled connections) before the first query of each transaction, from the tenant
context. On SQLite and other databases all of this does nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.backends.signals import connection_created
from django.db.migrations.operations.base import Operation

from apps.tenants.context import get_active_tenant, is_unscoped

POLICY_NAME = "tenant_isolation"
_SET_SQL = "SELECT set_config('app.tenant_id', %s, true), set_config('app.unscoped', %s, true)"
_PREDICATE = (
    "(current_setting('app.unscoped', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::bigint)"
)


def _desired_settings() -> tuple[str, str]:
    tenant = get_active_tenant()
    return (str(tenant.pk) if tenant is not None else "", "on" if is_unscoped() else "")


def _apply(context: dict[str, Any], desired: tuple[str, str]) -> None:
    # A plain cursor of the driver's connection: going through Django's wrapper would re-enter
    # this wrapper, and the query's own cursor may be a server-side (named) one, on which the
    # statement would only be DECLAREd, never run (QuerySet.iterator() saw no rows at all).
    with context["connection"].connection.cursor() as cursor:
        cursor.execute(_SET_SQL, desired)
    context["connection"]._rls_applied = desired


def _rls_execute_wrapper(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    connection = context["connection"]
    desired = _desired_settings()
    applied = getattr(connection, "_rls_applied", None)
    raw = connection.connection
    in_transaction = raw is not None and raw.info.transaction_status != 0  # 0: IDLE
    if desired == ("", "") and (applied is None or not in_transaction):
        return execute(sql, params, many, context)
    if connection.get_autocommit():
        # Each statement is its own transaction: wrap it so the setting applies to it.
        with transaction.atomic(using=connection.alias):
            _apply(context, desired)
            return execute(sql, params, many, context)
    if not in_transaction or applied != desired:
        _apply(context, desired)
    return execute(sql, params, many, context)


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql" and _rls_execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_rls_execute_wrapper)


def install_connection_hook() -> None:
    connection_created.connect(_on_connection_created, dispatch_uid="tenants.rls")


def enable_sql(table: str) -> list[str]:
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'DROP POLICY IF EXISTS {POLICY_NAME} ON "{table}"',
        f'CREATE POLICY {POLICY_NAME} ON "{table}" USING {_PREDICATE} WITH CHECK {_PREDICATE}',
    ]


def disable_sql(table: str) -> list[str]:
    return [
        f'DROP POLICY IF EXISTS {POLICY_NAME} ON "{table}"',
        f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY',
    ]


class EnableRowLevelSecurity(Operation):
    """Migration operation: row-level security on a tenant-owned model's table (PostgreSQL only)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return ("apps.tenants.rls.EnableRowLevelSecurity", [], {"model_name": self.model_name})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def _run(self, app_label: str, schema_editor: Any, state: Any, statements: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = state.apps.get_model(app_label, self.model_name)
        for statement in statements(model._meta.db_table):
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
