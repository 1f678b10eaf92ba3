"""The MSME bulk import: one service behind the command, the upload page, the API and the Celery task.

Whole-file problems (unreadable, missing or unknown columns) are refused before anything is
touched. Then rows stream through the cleaner in batches; each bad row is reported with its
line, column and reason and the good rows are kept. Each batch is written in one transaction
with bulk statements, so a row is either fully applied or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.registry.importing import columns
from apps.registry.importing.reader import FileRejected, open_rows
from apps.registry.importing.validation import CleanRow, RowCleaner
from apps.registry.importing.writer import write_batch
from apps.registry.models import IsicCode, Msme
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant

BATCH_SIZE = 2000
PREVIEW_ROWS = 20
MAX_REPORTED_ERRORS = 10_000


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str
    registration_number: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "reason": self.reason,
            "registration_number": self.registration_number,
        }


@dataclass
class ImportResult:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_truncated: bool = False
    preview: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        return f"created {self.created}, updated {self.updated}, skipped {self.skipped}, failed {self.failed}"

    def add_error(self, error: RowError) -> None:
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)
        else:
            self.errors_truncated = True


def check_header(header: list[str]) -> None:
    """Refuse a file whose header misses a required column or has an unknown or repeated one."""
    problems = []
    missing = [name for name in columns.REQUIRED if name not in header]
    if missing:
        problems.append(_("missing required columns: %(names)s") % {"names": ", ".join(missing)})
    unknown = [name or _("(empty)") for name in header if name not in columns.ALL]
    if unknown:
        problems.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        problems.append(_("repeated columns: %(names)s") % {"names": ", ".join(repeated)})
    if problems:
        raise FileRejected(_("The file was not imported: %(problems)s.") % {"problems": "; ".join(problems)})


def msme_import(
    *,
    tenant: Tenant,
    stream: BinaryIO,
    file_name: str,
    on_duplicate: str = "skip",
    dry_run: bool = False,
    actor: Any = None,
    today: date | None = None,
    progress: Callable[[int, ImportResult], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Import MSMEs from a CSV or XLSX stream into `tenant`. Raises FileRejected for whole-file problems."""
    if on_duplicate not in {"update", "skip"}:
        raise ValueError("on_duplicate must be 'update' or 'skip'")
    source = open_rows(stream, file_name)
    check_header(source.header)
    cleaner = RowCleaner(
        isic_sections=dict(IsicCode.objects.values_list("code", "section")),
        country=tenant.country,
        today=today or timezone.localdate(),
    )
    result = ImportResult(dry_run=dry_run)
    seen: dict[str, int] = {}
    batch: list[CleanRow] = []
    with tenant_context(tenant):
        for line, raw in source.rows:
            result.rows += 1
            row = cleaner.clean(line, raw)
            number = row.values.get("registration_number") or raw.get("registration_number", "").strip()
            number = number.replace("\x00", "")  # reported in the job's errors, which PostgreSQL stores
            if number and not row.errors:
                first = seen.get(number)
                if first is not None:
                    row.errors.append(
                        ("registration_number", _("repeats the registration number of line %(line)d") % {"line": first})
                    )
                else:
                    seen[number] = line
            if row.errors:
                result.failed += 1
                for column, reason in row.errors:
                    result.add_error(RowError(line, column, reason, number))
                continue
            batch.append(row)
            if len(batch) >= batch_size:
                _flush(tenant, batch, result, on_duplicate=on_duplicate, dry_run=dry_run, actor=actor)
                batch = []
                if progress:
                    progress(result.rows, result)
        if batch:
            _flush(tenant, batch, result, on_duplicate=on_duplicate, dry_run=dry_run, actor=actor)
    if progress:
        progress(result.rows, result)
    return result


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
    _remember_preview(result, creates, "create")
    _remember_preview(result, updates, "update")
    if dry_run:
        result.created += len(creates)
        result.updated += len(updates)
        return
    with transaction.atomic():
        created, updated = write_batch(tenant=tenant, creates=creates, updates=updates, existing=existing, actor=actor)
    result.created += created
    result.updated += updated


def _remember_preview(result: ImportResult, rows: Iterable[CleanRow], action: str) -> None:
    for row in rows:
        if len(result.preview) >= PREVIEW_ROWS:
            return
        result.preview.append(
            {
                "line": row.line,
                "action": action,
                "name": row.values.get("name", ""),
                "registration_number": row.values.get("registration_number", ""),
            }
        )
