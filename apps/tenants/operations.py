"""Migration operation: a foreign key between two tenant-owned tables that includes the tenant.

`FOREIGN KEY (tenant_id, msme_id) REFERENCES registry_msme (tenant_id, id)` does two things a
plain key on `msme_id` cannot: the database refuses a row that points at another tenant's row,
and the checks PostgreSQL makes when a referenced row is deleted use the referencing table's
`(tenant_id, msme_id)` index (every index on a tenant-owned table starts with the tenant). The
Django field keeps `db_constraint=False`, so that only this key exists. The referenced model
needs a unique constraint on `(tenant, id)`. PostgreSQL only; elsewhere it does nothing.
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
