"""The MSME bulk import: one service behind the command, the upload page, the API and the Celery task.

Whole-file problems (unreadable, missing or unknown columns) are refused before anything is
touched. Then rows stream through in chunks; each bad row is reported with its line, column and
reason and the good rows are kept. Each chunk is written in one transaction with set-based
statements, so a row is either fully applied or not at all. On PostgreSQL the rows are checked in
SQL over a staging table (sql_path.py); elsewhere (SQLite) each row goes through the Python cleaner.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from datetime import date
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.registry.importing import columns, sql_path
from apps.registry.importing.reader import FileRejected, RowSource, may_exceed_rows, open_rows
from apps.registry.importing.result import ImportResult, RowError, cell_errors, duplicate_error
from apps.registry.importing.validation import CleanRow, RowCleaner, shown
from apps.registry.importing.writer import write_batch
from apps.registry.models import IsicCode, Msme
from apps.tenants.audit import import_batch
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant
from apps.tenants.rls import autocommit_scope

__all__ = ["FileRejected", "ImportResult", "RowError", "check_header", "msme_import", "without_ignored"]

BATCH_SIZE = 2000  # rows per transaction on the Python path (each row is an object in memory)
SQL_BATCH_SIZE = 25_000  # rows per transaction on PostgreSQL (rows wait in a staging table)

Progress = Callable[[int, ImportResult], None]


def check_header(header: list[str]) -> None:
    """Refuse a file whose header misses a required column or has an unknown or repeated one."""
    problems = []
    missing = [name for name in columns.REQUIRED if name not in header]
    if missing:
        problems.append(_("missing required columns: %(names)s") % {"names": ", ".join(missing)})
    unknown = [name or _("(empty)") for name in header if name not in columns.ALL and name not in columns.IGNORED]
    if unknown:
        problems.append(_("unknown columns: %(names)s") % {"names": _names(unknown)})
    repeated = sorted(name for name, times in Counter(header).items() if name and times > 1)
    if repeated:
        problems.append(_("repeated columns: %(names)s") % {"names": _names(repeated)})
    if problems:
        raise FileRejected(_("The file was not imported: %(problems)s.") % {"problems": "; ".join(problems)})


def without_ignored(source: RowSource) -> RowSource:
    """The file's rows without the columns the import reads past (columns.IGNORED: the rejected rows' "error");
    the file as it is when it has none of them."""
    kept = [name for name in source.header if name not in columns.IGNORED]
    if len(kept) == len(source.header):
        return source
    dropped = set(source.header) - set(kept)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for line, raw in source.rows:
                yield line, {name: cell for name, cell in raw.items() if name not in dropped}
        finally:
            if hasattr(source.rows, "close"):
                source.rows.close()  # the reader's clean-up (its stream stays the caller's)

    return RowSource(header=kept, rows=rows(), encoding=source.encoding, delimiter=source.delimiter)


def _names(names: list[str], shown_at_most: int = 10) -> str:
    """Column names for a refusal: a few, each cut short, so the message stays readable however wide the file."""
    text = ", ".join(shown(name) for name in names[:shown_at_most])
    if len(names) > shown_at_most:
        text += " " + _("and %(count)d more") % {"count": len(names) - shown_at_most}
    return text


def msme_import(
    *,
    tenant: Tenant,
    stream: BinaryIO,
    file_name: str,
    on_duplicate: str = "skip",
    dry_run: bool = False,
    actor: Any = None,
    today: date | None = None,
    progress: Progress | None = None,
    batch_size: int | None = None,
    max_errors: int | None = None,
    job: Any = None,
) -> ImportResult:
    """Import MSMEs from a CSV or XLSX stream into `tenant`. Raises FileRejected for whole-file problems.

    The import is one audit event (of `job`, the ImportJob, if it runs as one), to which the event of each
    row it creates or updates links."""
    if on_duplicate not in {"update", "skip"}:
        raise ValueError("on_duplicate must be 'update' or 'skip'")
    read_twice = not dry_run and may_exceed_rows(stream, file_name)
    source = open_rows(stream, file_name)
    check_header(source.header)
    if read_twice:
        # A file over the row limit is refused while reading; refuse it before any batch is written.
        for _row in source.rows:
            pass
        stream.seek(0)
        source = open_rows(stream, file_name)
    source = without_ignored(source)
    cleaner = RowCleaner(
        isic_sections=dict(IsicCode.objects.values_list("code", "section")),
        country=tenant.country,
        today=today or timezone.localdate(),
    )
    result = ImportResult(dry_run=dry_run, max_errors=max_errors or settings.IMPORT_MAX_ERRORS)
    options = {"on_duplicate": on_duplicate, "dry_run": dry_run, "actor": actor, "progress": progress}
    # Each batch commits on its own (a job's progress shows what is stored); outside a request or a
    # task's transaction the statements between batches run in autocommit, each in its own.
    with tenant_context(tenant), autocommit_scope("msme import: each batch commits on its own"):
        batch = nullcontext({}) if dry_run else import_batch(file_name=file_name, actor=actor, job=job)
        with batch as counts:
            try:
                if use_sql():
                    sql_path.run(tenant, source, cleaner, result, batch_size=batch_size or SQL_BATCH_SIZE, **options)
                else:
                    _run_python(tenant, source, cleaner, result, batch_size=batch_size or BATCH_SIZE, **options)
            finally:
                counts.update(
                    created=result.created, updated=result.updated, skipped=result.skipped, failed=result.failed
                )
    if progress:
        progress(result.rows, result)
    return result


def use_sql() -> bool:
    """Whether rows are checked in SQL over a staging table (PostgreSQL) or one by one in Python."""
    return connection.vendor == "postgresql"


def _run_python(
    tenant: Tenant,
    source: RowSource,
    cleaner: RowCleaner,
    result: ImportResult,
    *,
    on_duplicate: str,
    dry_run: bool,
    actor: Any,
    progress: Progress | None,
    batch_size: int,
) -> None:
    """Each row through the Python cleaner, then written in batches (the path for SQLite)."""
    seen: dict[str, int] = {}
    batch: list[CleanRow] = []
    for line, raw in source.rows:
        result.rows += 1
        row = cleaner.clean(line, raw)
        number = row.values.get("registration_number")
        if number and not row.errors:
            if number in seen:
                result.failed += 1
                result.add_error(duplicate_error(line, number, seen[number]))
                continue
            seen[number] = line
        if row.errors:
            result.failed += 1
            for error in cell_errors(row, raw):
                result.add_error(error)
            continue
        batch.append(row)
        if len(batch) >= batch_size:
            _flush(tenant, batch, result, on_duplicate=on_duplicate, dry_run=dry_run, actor=actor)
            batch = []
            if progress:
                progress(result.rows, result)
    if batch:
        _flush(tenant, batch, result, on_duplicate=on_duplicate, dry_run=dry_run, actor=actor)


def _flush(
    tenant: Tenant, batch: list[CleanRow], result: ImportResult, *, on_duplicate: str, dry_run: bool, actor: Any
) -> None:
    numbers = [row.values["registration_number"] for row in batch]
    existing = dict(Msme.objects.filter(registration_number__in=numbers).values_list("registration_number", "id"))
    creates = [row for row in batch if row.values["registration_number"] not in existing]
    updates = [row for row in batch if row.values["registration_number"] in existing]
    if on_duplicate == "skip":
        result.skipped += len(updates)
        updates = []
    result.remember_preview(_previewed(creates), _previewed(updates))
    if dry_run:
        result.created += len(creates)
        result.updated += len(updates)
        return
    with transaction.atomic():
        created, updated = write_batch(tenant=tenant, creates=creates, updates=updates, existing=existing, actor=actor)
    result.created += created
    result.updated += updated


def _previewed(rows: list[CleanRow]) -> list[tuple[int, str, str]]:
    return [(row.line, row.values["name"], row.values["registration_number"]) for row in rows]
