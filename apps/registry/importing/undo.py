"""Undoing an import: the MSMEs a job created, and which of them are still as the import left them.

An import links each MSME it creates to its audit event (`Msme.created_by_import`), and that event names the
job. Undoing removes only the MSMEs nothing has touched since: one that has an event of its own or of a child
(edited, verified, assessed, an asset added, even one added and removed again), that was changed without one
(`updated_at`), or that any other row points at (members, IP assets, assessments, tickets, deliveries...: every
relation to Msme, found from the models, so an app added later is covered) is kept, with the reason.
Everything here works in the active tenant; the write is services.import_undo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, ForeignObjectRel, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from apps.registry.models import ImportJob, Msme
from apps.tenants.models import AuditEvent

# An import writes created_at and updated_at in one statement (PostgreSQL) or a moment apart (the ORM path):
# a row updated later than this after its creation was changed.
CHANGED_AFTER = timedelta(seconds=1)
_EVENTS = "undo_events"
_CHILD_EVENTS = "undo_child_events"
_UPDATED = "undo_updated"


@dataclass(frozen=True)
class Relation:
    name: str  # the annotation's
    rel: ForeignObjectRel


@cache
def relations() -> tuple[Relation, ...]:
    """Every relation of another model to Msme (hidden ones too: a ticket's key has no reverse accessor)."""
    found = [
        field
        for field in Msme._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and field.related_model is not None
    ]
    return tuple(Relation(f"undo_has_{index}", rel) for index, rel in enumerate(found))


def undoable(job: ImportJob) -> bool:
    """Whether the job is an import that has finished (done, or stopped with some batches stored)."""
    return not job.dry_run and job.status in {ImportJob.Status.DONE, ImportJob.Status.FAILED}


def undo_stale_bounds(now: datetime) -> tuple[datetime, datetime]:
    """(queued before, started before): an undo older than these cannot be waiting or running any more (as
    for an import: the queue's timeout, and the hard time limit of its task with a margin)."""
    queued = now - timedelta(minutes=settings.IMPORT_QUEUED_TIMEOUT_MINUTES)
    started = now - timedelta(seconds=settings.IMPORT_TIME_LIMIT + 60 + 5 * 60)
    return queued, started


def undo_stale_q() -> Q:
    """The jobs whose queued undo was lost, or whose worker stopped (killed, lost)."""
    queued, started = undo_stale_bounds(timezone.now())
    return Q(undo_status=ImportJob.UndoStatus.QUEUED, undo_requested_at__lt=queued) | Q(
        undo_status=ImportJob.UndoStatus.RUNNING, undo_started_at__lt=started
    )


def undo_in_progress(job: ImportJob) -> bool:
    """Whether the job's undo is queued or running and can still make progress (no query: read from the job).
    A stale one may be asked for again, and the new run finishes what the lost one left."""
    queued, started = undo_stale_bounds(timezone.now())
    if job.undo_status == ImportJob.UndoStatus.QUEUED:
        return job.undo_requested_at is None or job.undo_requested_at >= queued
    if job.undo_status == ImportJob.UndoStatus.RUNNING:
        return job.undo_started_at is None or job.undo_started_at >= started
    return False


def undo_runs_in_request(count: int) -> bool:
    """Whether undoing an import that has `count` MSMEs in the registry runs in the request, or goes to a task
    (IMPORT_UNDO_IN_REQUEST_MAX_ROWS): the request must not hold a transaction, nor the user, for long."""
    return count <= settings.IMPORT_UNDO_IN_REQUEST_MAX_ROWS


def import_event_id(job: ImportJob) -> Any:
    """The id of the job's audit event, which the MSMEs it created link to; None for a preview or a job that never
    ran."""
    if job.dry_run:
        return None
    return (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.IMPORT, object_type=ImportJob._meta.label_lower, object_id=job.pk
        )
        .values_list("pk", flat=True)
        .first()
    )


def created_msmes(*, event_id: Any) -> QuerySet[Msme]:
    """The MSMEs the import of `event_id` (import_event_id) created and that are still in the registry, by name."""
    if event_id is None:
        return Msme.objects.none()
    return Msme.objects.filter(created_by_import_id=event_id).order_by("name", "id")


def _conditions() -> dict[str, Any]:
    """Each reason to keep an MSME, as an expression of its row: true when it holds."""
    events = AuditEvent._base_manager.filter(tenant_id=OuterRef("tenant_id"))
    conditions: dict[str, Any] = {
        _EVENTS: Exists(events.filter(object_id=OuterRef("pk"))),
        _CHILD_EVENTS: Exists(events.filter(parent_id=OuterRef("pk"))),
        _UPDATED: Q(updated_at__gt=F("created_at") + CHANGED_AFTER),
    }
    for relation in relations():
        model = relation.rel.related_model
        rows = model._base_manager.filter(**{relation.rel.field.name: OuterRef("pk")})
        if "tenant" in {field.name for field in model._meta.concrete_fields}:
            rows = rows.filter(tenant_id=OuterRef("tenant_id"))  # the (tenant, msme) index
        conditions[relation.name] = Exists(rows)
    return conditions


def with_keep_reasons(queryset: QuerySet[Msme]) -> QuerySet[Msme]:
    """The MSMEs with what keep_reasons() reads: one query, however many rows and relations."""
    annotations = {
        name: condition if isinstance(condition, Exists) else ExpressionWrapper(condition, output_field=BooleanField())
        for name, condition in _conditions().items()
    }
    return queryset.annotate(**annotations)


def keep_reasons(msme: Msme) -> list[str]:
    """Why undoing the import keeps this MSME (read from with_keep_reasons()); empty when it would be removed."""
    reasons = []
    if getattr(msme, _EVENTS) or getattr(msme, _CHILD_EVENTS) or getattr(msme, _UPDATED):
        reasons.append(_("changed after the import"))
    has = [
        str(relation.rel.related_model._meta.verbose_name_plural)
        for relation in relations()
        if getattr(msme, relation.name)
    ]
    if has:
        reasons.append(_("has %(things)s") % {"things": ", ".join(has)})
    return [capfirst(reasons[0]), *reasons[1:]] if reasons else []


def _kept() -> Q:
    held = Q()
    for condition in _conditions().values():
        held |= Q(condition)
    return held


def removable(queryset: QuerySet[Msme]) -> QuerySet[Msme]:
    """The MSMEs of `queryset` that nothing has touched since the import: the ones its undo removes."""
    return queryset.filter(~_kept())


def kept(queryset: QuerySet[Msme]) -> QuerySet[Msme]:
    """The MSMEs of `queryset` that its undo keeps."""
    return queryset.filter(_kept())


# The confirmation lists at most this many of the MSMEs an undo would keep (the job's page lists them all).
KEPT_LISTED = 50


@dataclass(frozen=True)
class UndoPreview:
    removable: int  # the MSMEs the undo would remove
    kept: int  # those it would keep
    kept_rows: list[tuple[Msme, list[str]]]  # the first KEPT_LISTED kept ones, with their reasons


def undo_preview(job: ImportJob) -> UndoPreview:
    """What undoing the job would do now (three queries)."""
    created = created_msmes(event_id=import_event_id(job))
    total = created.count()
    count = removable(created).count() if total else 0
    rows = with_keep_reasons(kept(created)).only("name", "registration_number")[:KEPT_LISTED] if total > count else []
    return UndoPreview(count, total - count, [(msme, keep_reasons(msme)) for msme in rows])
