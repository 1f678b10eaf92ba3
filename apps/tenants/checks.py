"""Does row-level security apply to the role the portal connects as? (PostgreSQL)

RLS never applies to a superuser or to a role with BYPASSRLS, and the tables' owner can switch it
off at will (`ALTER TABLE … NO FORCE` / `DISABLE ROW LEVEL SECURITY`), so the web and worker
processes must connect as a role that is none of these: `manage.py grant_app_role` makes one.

Migrations, on the other hand, must run as the owner, in production too. So the system check is a
deployment check on the database (`manage.py check --deploy --database default`), which `migrate`
never runs, and the web server and the Celery processes call `require_rls_role()` as they start:
in production (`PORTAL_REQUIRE_RLS_ROLE`) they refuse to start, in development they warn.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

# pg_has_role(..., 'USAGE'): the owner's privileges reach its members too (ALTER TABLE included).
_ROLE_SQL = """
SELECT current_user, r.rolsuper, r.rolbypassrls,
       EXISTS (SELECT 1 FROM pg_tables t
               WHERE t.rowsecurity AND pg_has_role(current_user, t.tableowner, 'USAGE'))
FROM pg_roles r WHERE r.rolname = current_user
"""
HINT = (
    "Run migrations as the tables' owner, then `manage.py grant_app_role --role portal_app "
    "--password-env APP_DB_PASSWORD`, and connect the web server and the Celery worker and beat "
    "as that role (README, Tenancy)."
)


@dataclass(frozen=True)
class RoleInspection:
    """The connected role, and why row-level security would not apply to it (nothing: it does)."""

    role: str
    reasons: list[str] = field(default_factory=list)

    @property
    def enforced(self) -> bool:
        return not self.reasons


def inspect_role(conn: BaseDatabaseWrapper) -> RoleInspection | None:
    """The role `conn` acts as; None off PostgreSQL, which has no row-level security."""
    if conn.vendor != "postgresql":
        return None
    with conn.cursor() as cursor:
        cursor.execute(_ROLE_SQL)
        role, superuser, bypassrls, owner = cursor.fetchone()
    reasons = []
    if superuser:
        reasons.append("is a superuser")
    if bypassrls:
        reasons.append("has BYPASSRLS")
    if owner:
        reasons.append("owns the tenant-owned tables (it can switch row-level security off)")
    return RoleInspection(role=role, reasons=reasons)


def role_messages(conn: BaseDatabaseWrapper) -> list[CheckMessage]:
    """tenants.E001 when the settings require RLS to apply (production), tenants.W001 otherwise."""
    inspection = inspect_role(conn)
    if inspection is None or inspection.enforced:
        return []
    message = (
        f"Database {conn.alias!r}: the portal connects as {inspection.role!r}, which "
        f"{' and '.join(inspection.reasons)}: row-level security does not apply to it."
    )
    if settings.PORTAL_REQUIRE_RLS_ROLE:
        return [Error(message, hint=HINT, id="tenants.E001")]
    return [CheckWarning(message, hint=HINT, id="tenants.W001")]


@register(Tags.database, Tags.security, deploy=True)
def check_rls_role(
    app_configs: Iterable[Any] | None = None, databases: Iterable[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    # As Django's own database checks: only the databases the command names (`check --database`).
    messages: list[CheckMessage] = []
    for alias in databases or ():
        messages.extend(role_messages(connections[alias]))
    return messages


def require_rls_role() -> None:
    """As a web server or Celery process starts: refuse (production) or warn (development)."""
    try:
        messages = role_messages(connections[DEFAULT_DB_ALIAS])
    except Exception as exc:
        if settings.PORTAL_REQUIRE_RLS_ROLE:
            raise ImproperlyConfigured(f"Could not check the database role for row-level security: {exc}") from exc
        logger.warning("could not check whether row-level security applies to the database role: %s", exc)
        return
    finally:
        # A process that forks (gunicorn, Celery's pool) must not hand this connection to its children.
        if not connection.in_atomic_block:
            connection.close()
    errors = [message for message in messages if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{m.id}: {m.msg}\nHINT: {m.hint}" for m in errors))
    for message in messages:
        logger.warning("%s: %s %s", message.id, message.msg, message.hint)


# --- The tenant-owned model kit: what each tenant-owned model and its migrations must have ----------
#
# The kit (TenantOwnedModel, apps.tenants.fields.TenantForeignKey, the makemigrations autodetector)
# supplies all of it; these checks catch what was written around it: a hand-written migration, an
# index or a uniqueness without the tenant, a plain key that keeps its own constraint. A model or a
# field that no migration creates yet is left to `makemigrations --check`, so that makemigrations
# itself is never blocked by them.

KIT_HINT_MIGRATION = "Run `manage.py makemigrations` (it writes {operation} for you), or add it to the migration."


@dataclass(frozen=True)
class MigrationFacts:
    """What the migrations on disk do to tenant-owned models, by (app_label, model_name[, field])."""

    created: frozenset[tuple[str, str]] = frozenset()
    fields: frozenset[tuple[str, str, str]] = frozenset()
    rls: frozenset[tuple[str, str]] = frozenset()
    tenant_pks: frozenset[tuple[str, str]] = frozenset()
    tenant_keys: frozenset[tuple[str, str, str]] = frozenset()


def migration_facts(migrations: Iterable[Any]) -> MigrationFacts:
    """Scan `migrations` (Migration instances) for created tables and columns, RLS and tenant keys."""
    from django.db.migrations import operations as ops

    from apps.tenants.operations import AddTenantForeignKey, TenantPrimaryKey
    from apps.tenants.rls import EnableRowLevelSecurity

    created, fields, rls, pks, keys = set(), set(), set(), set(), set()
    for migration in migrations:
        app = migration.app_label
        for operation in migration.operations:
            if isinstance(operation, ops.CreateModel):
                created.add((app, operation.name_lower))
                fields.update((app, operation.name_lower, name) for name, _field in operation.fields)
            elif isinstance(operation, ops.AddField):
                fields.add((app, operation.model_name_lower, operation.name))
            elif isinstance(operation, EnableRowLevelSecurity):
                rls.add((app, operation.model_name.lower()))
            elif isinstance(operation, TenantPrimaryKey):
                pks.add((app, operation.model_name.lower()))
            elif isinstance(operation, AddTenantForeignKey):
                keys.add((app, operation.model_name.lower(), operation.field_name))
    return MigrationFacts(frozenset(created), frozenset(fields), frozenset(rls), frozenset(pks), frozenset(keys))


def disk_migration_facts() -> MigrationFacts:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return migration_facts(loader.disk_migrations.values())


def _names(rule: Any) -> list[str]:
    return [name.lstrip("-") for name in (getattr(rule, "fields", None) or ())]


def _starts_with_tenant(names: list[str] | tuple[str, ...]) -> bool:
    return bool(names) and names[0] in {"tenant", "tenant_id"}


def tenant_model_messages(models: Iterable[Any], facts: MigrationFacts) -> list[CheckMessage]:
    """tenants.E002-E009 for each tenant-owned model in `models`."""
    from django.db import models as db_models

    from apps.tenants.fields import TenantForeignKey, has_tenant_id_unique, on_delete_sql
    from apps.tenants.models import TenantOwnedModel

    messages: list[CheckMessage] = []
    for model in models:
        meta = model._meta
        if not issubclass(model, TenantOwnedModel) or meta.proxy or not meta.managed:
            continue
        key = (meta.app_label, meta.model_name)
        # What every migrated tenant-owned table needs from its migrations: (facts, operation, finding, id).
        for done, operation, finding, check_id in (
            (facts.rls, "apps.tenants.rls.EnableRowLevelSecurity", "enables row-level security on", "tenants.E002"),
            (facts.tenant_pks, "apps.tenants.operations.TenantPrimaryKey", "puts the tenant in the primary key of",
             "tenants.E009"),
        ):  # fmt: skip
            if key in facts.created and key not in done:
                messages.append(
                    Error(
                        f"No migration of {meta.app_label!r} {finding} {meta.db_table}.",
                        hint=KIT_HINT_MIGRATION.format(operation=f'{operation}(model_name="{meta.model_name}")'),
                        obj=model,
                        id=check_id,
                    )
                )
        for model_field in meta.local_concrete_fields:
            if not isinstance(model_field, db_models.ForeignKey) or model_field.name == "tenant":
                continue
            target = model_field.related_model
            if not issubclass(target, TenantOwnedModel):
                if isinstance(model_field, TenantForeignKey):
                    messages.append(
                        Error(
                            f"{model_field.name} is a TenantForeignKey to {target._meta.label}, "
                            "which is not tenant-owned.",
                            hint="Use a models.ForeignKey(..., db_index=False) for a key to a shared table.",
                            obj=model_field,
                            id="tenants.E005",
                        )
                    )
                continue
            if model_field.db_constraint:
                messages.append(
                    Error(
                        f"{model_field.name} keys the tenant-owned {target._meta.label} without the tenant.",
                        hint="Declare it as apps.tenants.fields.TenantForeignKey(...): the key becomes "
                        "(tenant_id, id) and is indexed from the tenant.",
                        obj=model_field,
                        id="tenants.E003",
                    )
                )
                continue
            if (*key, model_field.name) in facts.fields and (*key, model_field.name) not in facts.tenant_keys:
                try:
                    on_delete = on_delete_sql(model_field.remote_field.on_delete)
                except ValueError:
                    on_delete = "cascade"
                operation = (
                    f'apps.tenants.operations.AddTenantForeignKey(model_name="{meta.model_name}", '
                    f'field_name="{model_field.name}", on_delete="{on_delete}")'
                )
                messages.append(
                    Error(
                        f"No migration of {meta.app_label!r} adds the tenant key of {model_field.name} "
                        f"to {target._meta.label}.",
                        hint=KIT_HINT_MIGRATION.format(operation=operation),
                        obj=model_field,
                        id="tenants.E004",
                    )
                )
            if not has_tenant_id_unique(target):
                messages.append(
                    Error(
                        f"{target._meta.label}, the target of {meta.label}.{model_field.name}, "
                        "has no unique (tenant, id).",
                        hint=f'Add models.UniqueConstraint(fields=["tenant", "id"], name="{target._meta.model_name}'
                        '_unique_tenant_id") to its Meta.constraints, or declare the key as a TenantForeignKey.',
                        obj=target,
                        id="tenants.E006",
                    )
                )
        messages.extend(_index_messages(model))
    return messages


def _index_messages(model: Any) -> list[CheckMessage]:
    """tenants.E007 (an index not led by the tenant) and tenants.E008 (a uniqueness without it)."""
    from django.db import models as db_models

    meta = model._meta
    index_hint = (
        'Lead it with the tenant: models.Index(fields=["tenant", ...]); a key to another tenant-owned model '
        "is a TenantForeignKey, a key to a shared table has db_index=False."
    )
    unique_hint = 'Make it models.UniqueConstraint(fields=["tenant", ...], name=...) in Meta.constraints.'
    messages: list[CheckMessage] = []

    def index_error(what: str) -> None:
        messages.append(Error(f"{what} does not start with the tenant.", hint=index_hint, obj=model, id="tenants.E007"))

    def unique_error(what: str) -> None:
        messages.append(
            Error(f"{what} does not start with the tenant.", hint=unique_hint, obj=model, id="tenants.E008")
        )

    for model_field in meta.local_concrete_fields:
        if model_field.primary_key or model_field.name == "tenant":
            continue
        if model_field.unique:
            # Even a one-to-one to another tenant-owned row: a database sharded by tenant refuses a uniqueness
            # without the tenant.
            unique_error(f"The uniqueness of {model_field.name} (unique=True)")
        elif model_field.db_index:
            index_error(f"The index of {model_field.name} (db_index=True)")
    for index in meta.indexes:
        names = _names(index)
        # A division's scope reads a routed model across tenants by its division: such an index may lead with it.
        routed_lead = getattr(model, "routable_to_division", False) and names[:1] == ["division"]
        if not (_starts_with_tenant(names) or routed_lead):
            index_error(f"Index {index.name}")
    for constraint in meta.constraints:
        if isinstance(constraint, db_models.UniqueConstraint) and not _starts_with_tenant(_names(constraint)):
            unique_error(f"Unique constraint {constraint.name}")
    for fields in meta.unique_together:
        if not _starts_with_tenant(list(fields)):
            unique_error(f"unique_together {tuple(fields)}")
    return messages


@register(Tags.models)
def check_tenant_owned_models(app_configs: Iterable[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    from django.apps import apps

    from apps.tenants.models import TenantOwnedModel

    configs = app_configs if app_configs is not None else apps.get_app_configs()
    models = [model for config in configs for model in config.get_models() if issubclass(model, TenantOwnedModel)]
    if not models:
        return []
    return tenant_model_messages(models, disk_migration_facts())
