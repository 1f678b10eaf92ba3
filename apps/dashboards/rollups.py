"""The rollups: the registry's MSMEs counted into the summary tables, in full or by what changed.

`rebuild(tenant)` counts every MSME again; `refresh(tenant)` reads only the MSMEs changed since the last
run (and the facts of deleted ones), moves each from the values it was counted under to those it has now,
and leaves the rest. Both count the services' activity too (apps.dashboards.activity). Both end with the
same tables (tests/dashboards/test_rollups.py compares them after every kind of change). A run holds its
tenant's `RollupState` row locked, so two runs of one tenant (the nightly one and one asked for from the
page) take turns instead of counting a change twice.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, DateField, F, Max, Q, QuerySet, Value
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth
from django.utils import timezone

from apps.dashboards.activity import count_activity
from apps.dashboards.models import (
    ASSET_DIMENSIONS,
    DIMENSIONS,
    SNAPSHOT_DIMENSIONS,
    AssetCount,
    MsmeCount,
    MsmeCountSnapshot,
    MsmeFact,
    RollupState,
    encode,
)
from apps.registry.models import IpAsset, Msme
from apps.tenants.models import Tenant

# A change is read again by the runs of the next hour: a transaction that set `updated_at` before a run
# started but committed after it is still counted. Reading a change twice is harmless (its MSME is already
# in the cell it belongs to).
CHANGE_SLACK = timedelta(hours=1)
CHUNK = 5_000  # ids per `IN (...)` list: within SQLite's limit on parameters

Categories = tuple[Any, ...]


@dataclass(frozen=True)
class RollupResult:
    full: bool
    msmes_read: int  # MSMEs read again: all of them in a full run; else those changed (or deleted) lately
    msmes_moved: int  # of those, the ones counted under other categories than before (added and deleted included)
    counts: int  # the tenant's counts (a category's value each) after the run
    seconds: float


def _msme_rows() -> QuerySet:
    """The active tenant's MSMEs as the fact table's columns, in its column order."""
    return Msme.objects.annotate(
        _maturity=Coalesce("maturity_level", Value(0)),
        _spinoff=F("is_university_spinoff"),
        _informal=F("is_informal"),
        _exporter=F("exports"),
        _month=TruncMonth("created_at", output_field=DateField()),
    ).values_list(
        "id",
        "tenant_id",
        "region",
        "sector_section",
        "size_class",
        "_maturity",
        "_spinoff",
        "_informal",
        "_exporter",
        "_month",
    )


FACT_COLUMNS = ("id", "tenant_id", *DIMENSIONS, "registered_month")


def rebuild(tenant: Tenant) -> RollupResult:
    """Count every MSME of the active tenant again (the command's `--full`, and a tenant's first run)."""
    started, clock = timezone.now(), time.monotonic()
    state = _lock_state(tenant, started)
    if connection.vendor == "postgresql":
        # An MSME deleted while the facts are written would keep a fact (its deletion could not mark one not
        # committed yet): deletions wait for this run, edits do not (the next run reads them). Taken before
        # the facts are deleted, so that a deletion under way (which marks its fact) is not waited for twice.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM registry_msme WHERE tenant_id = %s FOR KEY SHARE) AS locked",
                [tenant.pk],
            )
    MsmeFact.objects.all().delete()
    MsmeCount.objects.all().delete()
    _insert_facts(_msme_rows())
    counts = [
        MsmeCount(dimension=dimension, value=encode(value), msmes=n)
        for dimension in DIMENSIONS
        for value, n in MsmeFact.objects.values_list(dimension).annotate(n=Count("id")).order_by()
    ]
    MsmeCount.objects.bulk_create(counts, batch_size=1_000)
    _count_assets(state, full=True)
    count_activity(state, full=True, recent_since=started)
    _snapshot(timezone.localdate(started), counts, full=True)
    msmes = sum(count.msmes for count in counts if count.dimension == DIMENSIONS[0])
    return _finish(state, started, clock, full=True, read=msmes, moved=msmes, counts=len(counts))


def _insert_facts(rows: QuerySet) -> None:
    """The MSMEs of `rows` (`_msme_rows()`, filtered) written as facts by one INSERT ... SELECT: a million
    MSMEs never pass through Python."""
    select_sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(MsmeFact._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(MsmeFact._meta.get_field(c).column) for c in FACT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select_sql}", params)


def refresh(tenant: Tenant) -> RollupResult:
    """Count again only the MSMEs changed (or deleted) since the last run; a tenant never counted is
    counted in full.

    What it reads grows with the changes, not with the registry: the changed MSMEs (an index on
    `updated_at`), their facts, the facts marked deleted and the counts (a few dozen rows). A deleted MSME
    marks its fact: the ORM's deletion by a receiver (apps.dashboards.receivers), any deletion on PostgreSQL
    by a trigger (migration 0002). A deletion in raw SQL on another database is missed until `--full`."""
    started, clock = timezone.now(), time.monotonic()
    state = _lock_state(tenant, started)
    if state._state.adding:
        return rebuild(tenant)
    counts = {(count.dimension, count.value): count for count in MsmeCount.objects.all()}
    since = state.msmes_changed_since - CHANGE_SLACK
    # Locked until the run commits: an MSME changed or deleted meanwhile waits, so the facts written below
    # (read again from the registry) hold what the moves were counted from, and a deletion marks its new fact.
    changed = _msme_rows().filter(updated_at__gte=since).order_by("pk").select_for_update(no_key=True)
    now_rows = {row[0]: row for row in changed}
    # The changed MSMEs' facts and those marked deleted, in one query (one per 5,000 changed MSMEs).
    fields = ("id", *DIMENSIONS, "registered_month", "msme_deleted")
    old, deleted = {}, {}
    for i, chunk in enumerate(_chunks(list(now_rows)) or [[]]):
        marked = Q(msme_deleted=True) if i == 0 else Q(pk__in=[])
        for *row, is_deleted in MsmeFact.objects.filter(Q(pk__in=chunk) | marked).values_list(*fields):
            (deleted if is_deleted else old)[row[0]] = row

    moves: Counter[tuple[str, str]] = Counter()  # (category, value) -> MSMEs in, or out when negative
    written = []  # the MSMEs whose fact is (re)written
    for msme_id, row in now_rows.items():
        before = old.get(msme_id)
        if before is None or tuple(before[1:]) != tuple(row[2:]):
            _move(moves, tuple(before[1:-1]) if before is not None else None, tuple(row[2:-1]))
            written.append(msme_id)
    for row in deleted.values():
        _move(moves, tuple(row[1:-1]), None)

    # A changed fact is replaced: a DELETE and an INSERT ... SELECT of the changed rows, where an UPDATE would
    # be a statement, or a CASE, per row.
    for chunk in _chunks([pk for pk in written if pk in old] + list(deleted)):
        MsmeFact.objects.filter(pk__in=chunk).delete()
    for chunk in _chunks(written):
        _insert_facts(_msme_rows().filter(pk__in=chunk))
    total = _apply_moves(counts, moves) if moves else len(counts)
    _snapshot(timezone.localdate(started), counts.values(), full=False)
    _count_assets(state, full=False)
    count_activity(state, full=False, recent_since=state.last_run_at - CHANGE_SLACK)
    moved = len(written) + len(deleted)
    return _finish(state, started, clock, full=False, read=len(now_rows) + len(deleted), moved=moved, counts=total)


def _count_assets(state: RollupState, *, full: bool) -> bool:
    """Count the tenant's IP assets again when they changed since the last count (always when `full`).

    Assets are fewer than MSMEs and an asset's MSME keeps it, so they are counted whole, by four GROUP BYs,
    rather than move by move; the number of assets and their latest change tell whether anything changed, and
    a change within `CHANGE_SLACK` of the last run is counted again (it may have committed after it)."""
    seen = IpAsset.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    # An asset changed within the slack of the last run may have committed after it: counted again then too.
    recent = seen["latest"] is not None and seen["latest"] >= state.last_run_at - CHANGE_SLACK
    if (
        not full
        and not state._state.adding
        and not recent
        and (seen["n"], seen["latest"]) == (state.assets_seen, state.assets_changed_at)
    ):
        return False
    AssetCount.objects.all().delete()
    counts = [
        AssetCount(dimension="nice_class", value=number, msmes=msmes, assets=assets)
        for number, (msmes, assets) in nice_class_counts(IpAsset.objects.all()).items()
    ]
    for dimension in (d for d in ASSET_DIMENSIONS if d != "nice_class"):  # the classes: parsed, above
        value = ExtractYear("filing_date") if dimension == "filing_year" else F(dimension)
        rows = (
            IpAsset.objects.annotate(_value=value)
            .values_list("_value")
            .annotate(msmes=Count("msme_id", distinct=True), assets=Count("id"))
            .order_by()
        )
        counts += [
            AssetCount(dimension=dimension, value="" if v is None else str(v), msmes=msmes, assets=assets)
            for v, msmes, assets in rows
        ]
    AssetCount.objects.bulk_create(counts, batch_size=1_000)
    state.assets_seen, state.assets_changed_at = seen["n"], seen["latest"]
    return True


NICE_CLASSES = range(1, 46)


def nice_class_counts(assets: QuerySet) -> dict[str, tuple[int, int]]:
    """{Nice class: (MSMEs, trademarks)} of the trademarks among `assets`, from the classes each lists ("9, 42").

    Read row by row (the classes are one text field, written by people): the trademarks only, two columns."""
    msmes: dict[str, set[Any]] = {}
    marks: Counter[str] = Counter()
    rows = assets.filter(asset_type=IpAsset.Type.TRADEMARK).exclude(classes="").values_list("msme_id", "classes")
    for msme_id, classes in rows.order_by().iterator(chunk_size=5_000):
        for number in {int(n) for n in re.findall(r"\d+", classes) if int(n) in NICE_CLASSES}:
            msmes.setdefault(str(number), set()).add(msme_id)
            marks[str(number)] += 1
    return {number: (len(ids), marks[number]) for number, ids in msmes.items()}


def _move(moves: Counter[tuple[str, str]], before: Categories | None, after: Categories | None) -> None:
    """An MSME leaves the values it had (none: it is new) for those it has (none: it was deleted)."""
    for i, dimension in enumerate(DIMENSIONS):
        if before is not None and (after is None or before[i] != after[i]):
            moves[dimension, encode(before[i])] -= 1
        if after is not None and (before is None or before[i] != after[i]):
            moves[dimension, encode(after[i])] += 1


def _apply_moves(counts: dict[tuple[str, str], MsmeCount], moves: Counter[tuple[str, str]]) -> int:
    """Add each move to its count, in one upsert (a count that falls to 0 goes); returns the counts after."""
    changed, emptied = [], []
    for (dimension, value), n in moves.items():
        if not n:
            continue
        count = counts.get((dimension, value)) or MsmeCount(dimension=dimension, value=value, msmes=0)
        count.msmes += n
        (changed if count.msmes > 0 else emptied).append(count)
        counts[dimension, value] = count
    # New rows for the upsert (a row already stored keeps its id: only the conflict on its values is met).
    MsmeCount.objects.bulk_create(
        [MsmeCount(dimension=c.dimension, value=c.value, msmes=c.msmes) for c in changed],
        batch_size=1_000,
        update_conflicts=True,
        unique_fields=["tenant", "dimension", "value"],
        update_fields=["msmes"],
    )
    MsmeCount.objects.filter(pk__in=[count.pk for count in emptied if not count._state.adding]).delete()
    return sum(1 for count in counts.values() if count.msmes > 0)


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def _lock_state(tenant: Tenant, started: Any) -> RollupState:
    """The tenant's state row, locked until the run's transaction ends (made, unsaved, on the first run)."""
    state = RollupState.objects.select_for_update().first()
    if state is None:
        return RollupState(msmes_changed_since=started, last_run_at=started, last_full_at=started)
    return state


def _snapshot(day: Any, counts: Iterable[MsmeCount], *, full: bool) -> None:
    """Keep the day's maturity and size counts, `counts` as the run left them: one upsert (a later run of the
    same day overwrites the day's; a value that no MSME has any more is written as 0, so that its history
    ends at 0). A full run writes the day afresh."""
    if full:
        MsmeCountSnapshot.objects.filter(day=day).delete()
    MsmeCountSnapshot.objects.bulk_create(
        [
            MsmeCountSnapshot(day=day, dimension=c.dimension, value=c.value, msmes=max(c.msmes, 0))
            for c in counts
            if c.dimension in SNAPSHOT_DIMENSIONS
        ],
        update_conflicts=True,
        unique_fields=["tenant", "dimension", "day", "value"],
        update_fields=["msmes"],
    )


def _finish(
    state: RollupState, started: Any, clock: float, *, full: bool, read: int, moved: int, counts: int
) -> RollupResult:
    seconds = time.monotonic() - clock
    state.msmes_changed_since = started
    state.last_run_at = started
    if full:
        state.last_full_at = started
    state.last_run_seconds = seconds
    state.last_run_moved = moved
    state.save()
    return RollupResult(full=full, msmes_read=read, msmes_moved=moved, counts=counts, seconds=seconds)
