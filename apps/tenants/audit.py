"""The audit trail of every tenant-owned model: `record(...)`, called by the services that write.

The channel (page, API, import, admin, task, command) and the division come from the audit context
(apps.core.audit) that the request middleware, the admin base, `tenant_task` and the import set;
a service passes only what it did. A model may declare:

- `audit_parent = "msme"`: the field naming the object whose history also shows this model's events
  (an IP asset's changes appear in its MSME's history);
- `audit_personal_fields = (...)`: the fields holding personal data, which `erase_history` blanks;
- `audit_created_by = "created_by_import"`: a nullable key to the event of the import that created the
  row, which its history shows as "created by import of <file> on <date> by <user>".

A bulk import writes one event for the whole job (`import_batch`). A row it creates links to that event
through the model's `audit_created_by` field (no event per created row: a bulk import stays cheap); a row
it updates gets an event of its own with the diff, linked to it (`batch`), which its history shows as
"updated by import of <file> on <date> by <user>".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from apps.core.audit import Channel, audit_context, blank, current, diff, snapshot
from apps.tenants.context import get_active_division, require_active_tenant
from apps.tenants.models import AuditEvent, TenantOwnedModel

__all__ = [
    "Action",
    "AuditEvent",
    "created_by_batch_id",
    "diff",
    "erase_history",
    "history_for",
    "import_batch",
    "record",
    "snapshot",
]

Action = AuditEvent.Action
REPR_LENGTH = AuditEvent._meta.get_field("object_repr").max_length


def _user(actor: Any) -> Any:
    """The user behind `actor`: a user, a request's Actor (its user), or nobody (anonymous, a script)."""
    user = actor.user if hasattr(actor, "scope") else actor
    return user if getattr(user, "is_authenticated", False) else None


def parent_of(instance: models.Model) -> models.Model | None:
    name = getattr(type(instance), "audit_parent", None)
    return getattr(instance, name) if name else None


def _division(context: Any) -> str:
    """The division the event belongs to: the audit context's (a division's request), else the active
    division scope's (a job or a test that entered `division_context` itself)."""
    return context.division or get_active_division()


def record(
    *,
    instance: TenantOwnedModel,
    action: str,
    actor: Any = None,
    changes: dict[str, Any] | None = None,
    label: str | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` to `instance` (`changes`: a snapshot() or a diff()), in the tenant of
    `instance`, through the channel and scope the audit context names. `label` names the object in the
    history (default: str(instance)); a child's label must not hold its parent's personal data, which an
    erasure blanks only where the parent itself is named."""
    context = current()
    parent = parent_of(instance)
    return AuditEvent.objects.create(
        tenant_id=instance.tenant_id,
        actor=_user(actor),
        action=action,
        channel=context.channel,
        division=_division(context),
        object_type=instance._meta.label_lower,
        object_id=instance.pk,
        object_repr=(str(instance) if label is None else label)[:REPR_LENGTH],
        parent_type=parent._meta.label_lower if parent is not None else "",
        parent_id=parent.pk if parent is not None else None,
        changes=changes or {},
        batch_id=context.batch_id,
    )


def created_by_batch_id(instance: models.Model) -> Any:
    """The id of the event of the import that created `instance` (its model's `audit_created_by`), or None."""
    name = getattr(type(instance), "audit_created_by", None)
    return getattr(instance, type(instance)._meta.get_field(name).attname) if name else None


def _own_events(instance: models.Model) -> Q:
    label = instance._meta.label_lower
    return Q(object_type=label, object_id=instance.pk) | Q(parent_type=label, parent_id=instance.pk)


def history_for(instance: models.Model) -> QuerySet[AuditEvent]:
    """The events of `instance` and of the objects whose history it shows (its parent's view), and the event of
    the import that created it (`created_by_batch_id`), newest first, with what the history shows of each (its
    actor, and its import's file, date and actor)."""
    events = _own_events(instance)
    batch_id = created_by_batch_id(instance)
    if batch_id is not None:
        events |= Q(pk=batch_id)
    return AuditEvent.objects.filter(events).select_related("actor", "batch__actor").order_by("-at", "-id")


def erase_history(instance: models.Model, *, unlink_users: Iterable[Any] | QuerySet = (), placeholder: str) -> int:
    """Blank the personal data the history of `instance` holds: the values of each model's
    `audit_personal_fields`, the name of `instance` itself, and (`unlink_users`) who acted; returns the
    events changed. The event of the import that created `instance` is the whole job's, and holds none of the
    row's data: it stays as it is."""
    events = list(AuditEvent.objects.filter(_own_events(instance)))
    AuditEvent.objects.filter(pk__in=[e.pk for e in events], actor_id__in=unlink_users).update(actor=None)
    changed = []
    for event in events:
        personal = frozenset(getattr(event.object_model, "audit_personal_fields", ()))
        event.changes = blank(event.changes, personal, placeholder)
        if event.object_id == instance.pk:
            event.object_repr = placeholder
        changed.append(event)
    AuditEvent.objects.bulk_update(changed, ["changes", "object_repr"])
    return len(changed)


@contextmanager
def import_batch(*, file_name: str, actor: Any = None, job: TenantOwnedModel | None = None) -> Iterator[dict[str, Any]]:
    """One event for a whole import, in the active tenant: the rows written inside the block are recorded
    through the import channel, linked to it. Yields the counts to fill in; they are stored when the block
    ends, also when it raises (the batches already committed stay)."""
    counts: dict[str, Any] = {}
    event = AuditEvent.objects.create(
        tenant=require_active_tenant(),
        actor=_user(actor),
        action=Action.IMPORT,
        channel=Channel.IMPORT,
        division=_division(current()),
        object_type=job._meta.label_lower if job is not None else "",
        object_id=job.pk if job is not None else None,
        object_repr=file_name[:REPR_LENGTH],
        changes={"file": file_name},
    )
    try:
        with audit_context(channel=Channel.IMPORT, batch_id=event.pk):
            yield counts
    finally:
        AuditEvent.objects.filter(pk=event.pk).update(changes={"file": file_name, **counts})


def batch_row(
    *, tenant_id: Any, instance: models.Model, action: str, changes: dict[str, Any], actor_id: Any, at: Any
) -> AuditEvent:
    """An unsaved event of one row an import updates (for bulk_create), linked to the import's event (a row
    it creates links to that event itself: the model's `audit_created_by`)."""
    context = current()
    return AuditEvent(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        actor_id=actor_id,
        action=action,
        channel=context.channel,
        division=_division(context),
        object_type=instance._meta.label_lower,
        object_id=instance.pk,
        object_repr=str(instance)[:REPR_LENGTH],
        changes=changes,
        batch_id=context.batch_id,
        at=at,
    )
