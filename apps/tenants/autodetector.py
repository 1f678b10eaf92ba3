"""The migration autodetector that writes the tenancy operations `makemigrations` would not.

After each `CreateModel` of a tenant-owned model it adds `EnableRowLevelSecurity` and `TenantPrimaryKey`
(the primary key `(id, tenant_id)`, which a database sharded by tenant needs); after each key
between two tenant-owned models that leaves its constraint to the tenant (a `TenantForeignKey`,
created, added or altered into one) it adds `AddTenantForeignKey`. Both go at the end of the
migration that creates the table or the column, in that order.

It works on the migration states, where a `TenantForeignKey` is the plain
`ForeignKey(db_constraint=False)` it deconstructs to, and a tenant-owned model is one whose
`tenant` is a non-editable key to `tenants.Tenant` (what `TenantOwnedModel` declares; a
`Membership` has an editable one). Installed through `manage.py makemigrations`
(`apps/tenants/management/commands/makemigrations.py`).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.migrations import operations as migration_operations
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ModelState, ProjectState

from apps.tenants.fields import on_delete_sql
from apps.tenants.operations import AddTenantForeignKey, TenantPrimaryKey
from apps.tenants.rls import EnableRowLevelSecurity

TENANT_MODEL = ("tenants", "tenant")


def _label(model: Any) -> tuple[str, str]:
    """(app_label, model_name) of a key's target, a model or its "app.Model" string."""
    if isinstance(model, str):
        app_label, _, name = model.lower().partition(".")
        return app_label, name
    return model._meta.app_label, model._meta.model_name


def is_tenant_owned_state(model_state: ModelState | None) -> bool:
    """Whether a migration state's model is tenant-owned (has TenantOwnedModel's stamped tenant)."""
    if model_state is None:
        return False
    tenant = model_state.fields.get("tenant")
    return (
        isinstance(tenant, models.ForeignKey)
        and not tenant.editable
        and _label(tenant.remote_field.model) == TENANT_MODEL
    )


def is_tenant_key(state: ProjectState, app_label: str, model_name: str, field_name: str, field: Any) -> bool:
    """Whether `field` of that model is a key between tenant-owned models that needs the tenant key."""
    if not isinstance(field, models.ForeignKey) or field.db_constraint or field_name == "tenant":
        return False
    owner = state.models.get((app_label, model_name.lower()))
    target = state.models.get(_label(field.remote_field.model))
    return is_tenant_owned_state(owner) and is_tenant_owned_state(target)


def tenant_operations(
    app_label: str, operations: list[Operation], from_state: ProjectState, to_state: ProjectState
) -> list[Operation]:
    """The operations to append to a migration of `app_label` made of `operations`."""
    rls: list[Operation] = []
    keys: list[Operation] = []

    def key(model_name: str, field_name: str) -> None:
        field = to_state.models[app_label, model_name.lower()].fields[field_name]
        if is_tenant_key(to_state, app_label, model_name, field_name, field):
            keys.append(
                AddTenantForeignKey(
                    model_name=model_name.lower(),
                    field_name=field_name,
                    on_delete=on_delete_sql(field.remote_field.on_delete),
                )
            )

    for operation in operations:
        if isinstance(operation, migration_operations.CreateModel):
            if is_tenant_owned_state(to_state.models.get((app_label, operation.name_lower))):
                rls.append(EnableRowLevelSecurity(model_name=operation.name_lower))
                rls.append(TenantPrimaryKey(model_name=operation.name_lower))
            for field_name, _field in operation.fields:
                key(operation.name, field_name)
        elif isinstance(operation, migration_operations.AddField):
            key(operation.model_name, operation.name)
        elif isinstance(operation, migration_operations.AlterField):
            old = from_state.models.get((app_label, operation.model_name_lower))
            old_field = old.fields.get(operation.name) if old else None
            if not is_tenant_key(from_state, app_label, operation.model_name, operation.name, old_field):
                key(operation.model_name, operation.name)
    return rls + keys


class TenantAutodetector(MigrationAutodetector):
    """`MigrationAutodetector` that also writes row-level security and the tenant keys."""

    def changes(
        self,
        graph: Any,
        trim_to_apps: Any = None,
        convert_apps: Any = None,
        migration_name: str | None = None,
    ) -> dict[str, list[Any]]:
        changes = super().changes(graph, trim_to_apps, convert_apps, migration_name)
        for app_label, migrations in changes.items():
            for migration in migrations:
                added = tenant_operations(app_label, migration.operations, self.from_state, self.to_state)
                migration.operations = [*migration.operations, *added]
                self._depend_on_targets(app_label, migration, added, changes)
        return changes

    def _depend_on_targets(self, app_label: str, migration: Any, added: list[Operation], changes: dict) -> None:
        """A tenant key needs its target's (tenant, id): when another app's new migration adds it, run after."""
        for operation in added:
            if not isinstance(operation, AddTenantForeignKey):
                continue
            field = self.to_state.models[app_label, operation.model_name].fields[operation.field_name]
            target_app, target_model = _label(field.remote_field.model)
            if target_app == app_label:
                continue
            for target_migration in changes.get(target_app, []):
                adds_unique = any(
                    isinstance(op, migration_operations.AddConstraint) and op.model_name_lower == target_model
                    for op in target_migration.operations
                )
                node = (target_app, target_migration.name)
                cycle = any(dep[0] == app_label for dep in target_migration.dependencies)
                if adds_unique and not cycle and node not in migration.dependencies:
                    migration.dependencies.append(node)
