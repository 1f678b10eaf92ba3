"""The audit trail's pure part: the channel a write came through, and field snapshots and diffs.

The channel is not passed to every service: where the write happens sets it once (the request
middleware: page or API; the admin base; `tenant_task`; the import), and `apps.tenants.audit.record`
reads it. Nothing here touches the database, so any layer may use it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PAGE = "page", _("web page")
    API = "api", _("API")
    IMPORT = "import", _("bulk import")
    ADMIN = "admin", _("administration")
    TASK = "task", _("background task")
    COMMAND = "command", _("command")


@dataclass(frozen=True, slots=True)
class AuditContext:
    """Where the writes of this request or task come from: its channel, the division it acts in (division
    scope), and the import batch (the import's own event) its rows link to."""

    channel: str = Channel.COMMAND  # no request, task or import set it: a management command or a shell
    division: str = ""
    batch_id: uuid.UUID | None = None


_context: ContextVar[AuditContext] = ContextVar("audit_context", default=AuditContext())  # noqa: B039 (frozen)


def current() -> AuditContext:
    return _context.get()


@contextmanager
def audit_context(**values: Any) -> Iterator[AuditContext]:
    """Inside the block, writes are recorded with these values (channel, division, batch_id); the rest
    is kept from the enclosing context."""
    context = replace(_context.get(), **values)
    token = _context.set(context)
    try:
        yield context
    finally:
        _context.reset(token)


# Fields whose values are not copied into the audit trail (they are not user data).
NOT_RECORDED = frozenset({"id", "tenant", "created_at", "updated_at"})


def plain(value: Any) -> Any:
    """A field value as JSON keeps it (decimals as exact text, dates in ISO 8601, keys as their id)."""
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
    """The fields snapshot() records; not the link to the import that created the row (`audit_created_by`),
    which is the trail itself."""
    skipped = NOT_RECORDED | {getattr(model, "audit_created_by", None)}
    return [field for field in model._meta.concrete_fields if field.name not in skipped]


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values, as JSON-friendly plain values."""
    return {field.name: plain(getattr(instance, field.attname)) for field in recorded_fields(instance._meta.model)}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def blank(changes: dict[str, Any], fields: set[str] | frozenset[str], placeholder: str) -> dict[str, Any]:
    """`changes` (a snapshot, or a diff of [old, new] pairs) with the values of `fields` replaced."""
    return {
        name: ([placeholder, placeholder] if isinstance(value, list) else placeholder) if name in fields else value
        for name, value in changes.items()
    }


def field_labels(model: type[models.Model] | None, names: Any) -> list[str]:
    """Field names as people read them (their verbose names); a field since removed keeps its stored name."""
    labels = []
    for name in names:
        try:
            labels.append(str(model._meta.get_field(name).verbose_name) if model else name)
        except Exception:  # FieldDoesNotExist, or a reverse relation without a verbose name
            labels.append(name)
    return labels
