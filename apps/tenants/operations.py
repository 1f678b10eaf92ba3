"""Migration operations of tenant-owned tables: keys that include the tenant.

`AddTenantForeignKey`: a foreign key between two tenant-owned tables that includes the tenant.

`FOREIGN KEY (tenant_id, msme_id) REFERENCES registry_msme (tenant_id, id)` does two things a
plain key on `msme_id` cannot: the database refuses a row that points at another tenant's row,
and the checks PostgreSQL makes when a referenced row is deleted use the referencing table's
`(tenant_id, msme_id)` index (every index on a tenant-owned table starts with the tenant). The
Django field keeps `db_constraint=False`, so that only this key exists. The referenced model
needs a unique constraint on `(tenant, id)`. PostgreSQL only; elsewhere it does nothing.

`TenantPrimaryKey`: the table's primary key with the tenant, which a database sharded by tenant needs.
"""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.base import Operation

ON_DELETE = {"cascade": "CASCADE", "set_null": "SET NULL", "restrict": "RESTRICT"}


class AddTenantForeignKey(Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, field_name: str, on_delete: str = "cascade") -> None:
        if on_delete not in ON_DELETE:
            raise ValueError(f"on_delete must be one of {sorted(ON_DELETE)}")
        self.model_name, self.field_name, self.on_delete = model_name, field_name, on_delete

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            "AddTenantForeignKey",
            [],
            {"model_name": self.model_name, "field_name": self.field_name, "on_delete": self.on_delete},
        )

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def constraint_name(self, table: str) -> str:
        return f"{table}_{self.field_name}_tenant_fk"[:63]

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.field_name)
        target = field.related_model._meta.db_table
        table = model._meta.db_table
        action = ON_DELETE[self.on_delete]
        if self.on_delete == "set_null":
            action = f"SET NULL ({field.column})"  # keep tenant_id: it is not nullable
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{self.constraint_name(table)}" '
            f'FOREIGN KEY ("tenant_id", "{field.column}") REFERENCES "{target}" ("tenant_id", "id") '
            f"ON DELETE {action} DEFERRABLE INITIALLY DEFERRED"
        )

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = from_state.apps.get_model(app_label, self.model_name)._meta.db_table
        schema_editor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{self.constraint_name(table)}"')

    def describe(self) -> str:
        return f"Tenant-wide foreign key on {self.model_name}.{self.field_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"tenant_fk_{self.model_name.lower()}_{self.field_name}"


class TenantPrimaryKey(Operation):
    """The primary key of a tenant-owned table becomes `(id, tenant_id)`.

    A distributed PostgreSQL (Citus) shards tenant-owned tables by `tenant_id` and refuses a primary key or a
    unique constraint without it. `id` leads, so that a lookup by id alone (a division reading the rows routed
    to it across tenants) still uses the key's index; the id stays unique on its own (a UUID4). The Django
    model keeps `id` as its primary key. PostgreSQL only; elsewhere it does nothing.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return ("TenantPrimaryKey", [], {"model_name": self.model_name})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def _replace(self, schema_editor: Any, table: str, columns: str) -> None:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'", [f'"{table}"']
            )
            (name,) = cursor.fetchone()
        schema_editor.execute(
            f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}", ADD CONSTRAINT "{name}" PRIMARY KEY ({columns})'
        )

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = to_state.apps.get_model(app_label, self.model_name)._meta.db_table
        self._replace(schema_editor, table, '"id", "tenant_id"')

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = from_state.apps.get_model(app_label, self.model_name)._meta.db_table
        self._replace(schema_editor, table, '"id"')

    def describe(self) -> str:
        return f"Primary key of {self.model_name} with the tenant"

    @property
    def migration_name_fragment(self) -> str:
        return f"tenant_pk_{self.model_name.lower()}"
