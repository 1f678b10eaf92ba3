"""`TenantForeignKey`: a key from one tenant-owned model to another, declared once.

What a plain `ForeignKey` between two tenant-owned models would need by hand, it does itself:

- `db_constraint=False` and `db_index=False`: the database key is the composite
  `(tenant_id, <field>_id) -> (tenant_id, id)` that `apps.tenants.operations.AddTenantForeignKey`
  creates, and every index on a tenant-owned table starts with the tenant;
- the index `(tenant, <field>)` in the model's `Meta.indexes` (named `<model>_tenant_<field>`),
  unless an index or a unique constraint already starts with those two columns, or
  `tenant_index=False`;
- the `UniqueConstraint(tenant, id)` on the referenced model that the composite key points at.

It deconstructs as the `ForeignKey(db_constraint=False, db_index=False)` it stands for, so
migrations written before it existed stay as they are. `makemigrations` (the autodetector in
`apps.tenants.autodetector`) writes the `AddTenantForeignKey` for it, and the system checks in
`apps.tenants.checks` fail when a migration lacks one.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models

# Django's limit on an index name (models.E034).
MAX_INDEX_NAME = 30
# PostgreSQL's limit on an identifier.
MAX_CONSTRAINT_NAME = 63

# How each `on_delete` is written in the database key (apps.tenants.operations.ON_DELETE).
# PROTECT and DO_NOTHING leave the decision to Django; the database refuses a dangling row.
ON_DELETE_SQL = {
    models.CASCADE: "cascade",
    models.SET_NULL: "set_null",
    models.PROTECT: "restrict",
    models.RESTRICT: "restrict",
    models.DO_NOTHING: "restrict",
}


def _short(name: str, limit: int) -> str:
    """`name`, or when longer than `limit` a deterministic prefix and hash of it."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: limit - 9]}_{digest}"


def tenant_index_name(model_name: str, field_name: str) -> str:
    """The name of the `(tenant, <field>)` index: `ipasset_tenant_msme`, as the registry named it."""
    return _short(f"{model_name}_tenant_{field_name}", MAX_INDEX_NAME)


def tenant_id_constraint_name(model_name: str) -> str:
    """The name of the `(tenant, id)` unique constraint: `msme_unique_tenant_id`."""
    return _short(f"{model_name}_unique_tenant_id", MAX_CONSTRAINT_NAME)


def _fields_of(rule: models.Index | models.UniqueConstraint) -> list[str]:
    return [name.lstrip("-").removesuffix("_id") for name in (rule.fields or ())]


def starts_with(rules: list[Any], names: list[str]) -> bool:
    """Whether an index or a unique constraint among `rules` starts with the columns `names`."""
    return any(
        isinstance(rule, models.Index | models.UniqueConstraint) and _fields_of(rule)[: len(names)] == names
        for rule in rules
    )


def has_tenant_id_unique(model: type[models.Model]) -> bool:
    """Whether `model` has the unconditional `UniqueConstraint(tenant, id)` a composite key needs."""
    return any(
        isinstance(constraint, models.UniqueConstraint)
        and constraint.condition is None
        and _fields_of(constraint) == ["tenant", "id"]
        for constraint in model._meta.constraints
    )


def on_delete_sql(on_delete: Any) -> str:
    """The `AddTenantForeignKey(on_delete=...)` of a Django `on_delete`; ValueError when there is none."""
    try:
        return ON_DELETE_SQL[on_delete]
    except KeyError:
        names = ", ".join(sorted(function.__name__ for function in ON_DELETE_SQL))
        raise ValueError(f"A tenant foreign key supports on_delete {names}, not {on_delete!r}.") from None


class TenantForeignKey(models.ForeignKey):
    """A `ForeignKey` from a tenant-owned model to another tenant-owned model (see the module)."""

    def __init__(self, to: Any, on_delete: Any, *args: Any, tenant_index: bool = True, **kwargs: Any) -> None:
        for option in ("db_constraint", "db_index"):
            if kwargs.pop(option, False):
                raise TypeError(f"TenantForeignKey sets {option}=False itself: the key and index include the tenant.")
        on_delete_sql(on_delete)  # refuse an on_delete the database key cannot express, at import time
        self.tenant_index = tenant_index
        super().__init__(to, on_delete, *args, db_constraint=False, db_index=False, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        # As the ForeignKey it stands for: existing migrations, and the autodetector, see no change.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        meta = cls._meta
        if meta.abstract or not self.tenant_index:
            return
        if starts_with([*meta.indexes, *meta.constraints], ["tenant", name]):
            return  # an index such as (tenant, msme, created_at) serves lookups by (tenant, msme) too
        index = models.Index(fields=["tenant", name], name=tenant_index_name(meta.model_name, name))
        meta.indexes = [*meta.indexes, index]
        # Migration states read only the options a Meta declared (ModelState.from_model).
        meta.original_attrs["indexes"] = meta.indexes

    def contribute_to_related_class(self, cls: type[models.Model], related: Any) -> None:
        super().contribute_to_related_class(cls, related)
        meta = cls._meta
        if meta.abstract or has_tenant_id_unique(cls) or "tenant" not in {f.name for f in meta.local_fields}:
            return  # a target without a tenant is reported by the system check (tenants.E005)
        constraint = models.UniqueConstraint(fields=["tenant", "id"], name=tenant_id_constraint_name(meta.model_name))
        meta.constraints = [*meta.constraints, constraint]
        meta.original_attrs["constraints"] = meta.constraints
        meta.__dict__.pop("total_unique_constraints", None)  # a cached_property read before this
