"""What an import reports: counts, each bad row's line, column and reason, and a preview."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from apps.registry.importing.validation import CleanRow, shown

PREVIEW_ROWS = 20
Previewed = tuple[int, str, str]  # (line, name, registration number)


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


def duplicate_error(line: int, number: str, first_line: int) -> RowError:
    """The later of two rows with one registration number fails, naming the first."""
    reason = _("repeats the registration number of line %(line)d") % {"line": first_line}
    return RowError(line, "registration_number", reason, number)


def cell_errors(row: CleanRow, raw: dict[str, str]) -> list[RowError]:
    """The cleaner's errors of one row, each with the row's registration number as far as it is known."""
    number = row.values.get("registration_number") or raw.get("registration_number", "").strip()
    number = shown(number.replace("\x00", ""))  # reported in the job's errors, which PostgreSQL stores
    return [RowError(row.line, column, reason, number) for column, reason in row.errors]


@dataclass
class ImportResult:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    max_errors: int = 1000
    errors_omitted: int = 0  # errors found beyond max_errors: counted, not kept
    preview: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        return f"created {self.created}, updated {self.updated}, skipped {self.skipped}, failed {self.failed}"

    def add_error(self, error: RowError) -> None:
        if len(self.errors) < self.max_errors:
            self.errors.append(error)
        else:
            self.errors_omitted += 1

    def wants_preview(self) -> bool:
        return len(self.preview) < PREVIEW_ROWS

    def remember_preview(self, creates: Iterable[Previewed], updates: Iterable[Previewed]) -> None:
        """creates, updates: (line, name, registration number) of one batch's rows, each in the order of lines.

        The preview lists the first rows written in the order of the file's lines, whatever the batches:
        the two paths cut the file into batches differently (by rows read, or by valid rows).
        """
        if not self.wants_preview():
            return
        marked = heapq.merge(
            ((line, name, number, "create") for line, name, number in creates),
            ((line, name, number, "update") for line, name, number in updates),
        )
        for line, name, number, action in marked:
            if not self.wants_preview():
                return
            self.preview.append({"line": line, "action": action, "name": name, "registration_number": number})
