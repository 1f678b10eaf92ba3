"""The audit trail: what changed, field by field, written by the services that change things."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from apps.registry.models import AuditEvent, IpAsset, Msme

# Fields whose values are not copied into the audit trail (they are not user data).
NOT_RECORDED = {"id", "tenant", "created_at", "updated_at"}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def recorded_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields snapshot() records: the SQL import builds its audit rows from this list too."""
    return [field for field in model._meta.concrete_fields if field.name not in NOT_RECORDED]


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values, as JSON-friendly plain values."""
    return {field.name: _plain(getattr(instance, field.attname)) for field in recorded_fields(instance._meta.model)}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def record(
    *,
    instance: Msme | IpAsset,
    action: str,
    actor: Any = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    msme = instance if isinstance(instance, Msme) else instance.msme
    return AuditEvent.objects.create(
        msme=msme,
        object_type=instance._meta.model_name,
        object_id=instance.pk,
        object_label=str(instance)[:300],
        action=action,
        changes=changes or {},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
