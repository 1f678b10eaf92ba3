"""Jobs that act on each row once: claim the rows not yet stamped, stamp them, and act on those this run
stamped, even when two runs of the job overlap."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import Model, QuerySet


def claim_unstamped(
    candidates: QuerySet, *, stamp_field: str, now: datetime, limit: int, fields: tuple[str, ...] = ("pk",)
) -> list[Model]:
    """The first `limit` candidates whose `stamp_field` is empty, now stamped with `now` by this run (only
    `fields` loaded). A concurrent run skips the rows this one holds (SKIP LOCKED, where the database has it)
    and, once this one commits, no longer finds them unstamped; a run that waited on another's lock stamps
    nothing, so it acts on nothing."""
    unstamped = candidates.filter(**{f"{stamp_field}__isnull": True})
    if connection.features.has_select_for_update_skip_locked:
        unstamped = unstamped.select_for_update(skip_locked=True, of=("self",))
    rows = list(unstamped.only(*fields)[:limit])
    if not rows:
        return []
    ids = [row.pk for row in rows]
    manager = candidates.model._default_manager
    manager.filter(pk__in=ids, **{f"{stamp_field}__isnull": True}).update(**{stamp_field: now})
    mine = set(manager.filter(pk__in=ids, **{stamp_field: now}).values_list("pk", flat=True))
    return [row for row in rows if row.pk in mine]
