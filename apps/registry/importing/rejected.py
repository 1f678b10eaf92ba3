"""The rows an import rejected, as a CSV file to correct and import again.

Each rejected row as the uploaded file had it, in the file's columns and order, with an "error" column saying
what is wrong. The import reads past that column (columns.IGNORED), so the corrected file imports as it is.
The rows are the lines of the job's stored errors; when the job found more errors than it kept
(`errors_omitted`), the rows from its last kept error on are checked again by the import's own cleaner, with
the same rule for a registration number repeated in the file.

The cells are written back as the agency uploaded them (as the uploaded file's own download serves them): a
spreadsheet's formula guard (an apostrophe) would change the cell the import reads. The error column starts
with the line number, never with a cell.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.registry.importing import columns
from apps.registry.importing.reader import RowSource, open_rows
from apps.registry.importing.result import duplicate_error
from apps.registry.importing.service import without_ignored
from apps.registry.importing.validation import RowCleaner
from apps.registry.models import ImportJob, IsicCode

ERROR_COLUMN = columns.IGNORED[0]


@dataclass
class RejectedFile:
    file_name: str
    lines: Iterator[str]  # CSV text, a row at a time, the byte order mark first


class _Line:
    """A file-like object whose write() returns what it is given: csv.writer then makes one line at a time."""

    def write(self, value: str) -> str:
        return value


def rejected_file_name(job: ImportJob) -> str:
    return f"{PurePath(job.file_name).stem or 'import'}-rejected.csv"


def has_rejected_file(job: ImportJob) -> bool:
    """Whether the job can give its file of rejected rows: it is done and its uploaded file is kept (a job with no
    rejected rows gives the header alone)."""
    return job.status == ImportJob.Status.DONE and bool(job.file)


def rejected_file(job: ImportJob, *, country: str) -> RejectedFile:
    """The job's rejected rows as CSV lines (`country`: the tenant's, whose regions the rows are checked against when
    the job did not keep every error). Opens the stored file at once (FileNotFoundError when it is gone,
    reader.FileRejected when it cannot be read); the lines are read from it as they are sent, and it is closed
    when they end."""
    cleaner = None
    if job.errors_omitted:
        cleaner = RowCleaner(
            isic_sections=dict(IsicCode.objects.values_list("code", "section")),
            country=country,
            today=timezone.localdate(job.created_at),
        )
    stream = job.file.storage.open(job.file.name, "rb")
    try:
        source = without_ignored(open_rows(stream, job.file_name))
    except BaseException:
        stream.close()
        raise
    return RejectedFile(rejected_file_name(job), _lines(job, source, stream, cleaner, translation.get_language()))


def _lines(
    job: ImportJob, source: RowSource, stream: Any, cleaner: RowCleaner | None, language: str | None
) -> Iterator[str]:
    writer = csv.writer(_Line())
    rows = rejected_rows(job, source, cleaner)
    try:
        yield "\ufeff" + writer.writerow([*source.header, ERROR_COLUMN])
        while True:
            # The response is sent after the view has returned: each step in the request's language (the cleaner
            # words its errors), entered and left within the step, as a step may run in another thread (ASGI).
            with translation.override(language):
                found = next(rows, None)
                if found is None:
                    return
                line, raw, errors = found
                text = "; ".join(f"{column}: {reason}" if column else reason for column, reason in errors)
                error = _("line %(line)d: %(errors)s") % {"line": line, "errors": text}
                cells = writer.writerow([*(raw.get(name, "") for name in source.header), error])
            yield cells
    finally:
        if hasattr(source.rows, "close"):
            source.rows.close()
        stream.close()


def rejected_rows(
    job: ImportJob, source: RowSource, cleaner: RowCleaner | None
) -> Iterator[tuple[int, dict[str, str], list[tuple[str, str]]]]:
    """(line, the row's cells, [(column, reason)]) of each row the job rejected, in the order of the file.

    `cleaner`: needed when the job kept only the first errors (`errors_omitted`), to find the others."""
    stored: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for error in job.errors:
        stored[int(error["line"])].append((str(error.get("column", "")), str(error.get("reason", ""))))
    # The row of the last kept error may have had more errors than were kept: it is checked again too.
    again_from = max(stored, default=0) if job.errors_omitted and cleaner is not None else None
    first_lines: dict[str, int] = {}  # each valid row's registration number -> its line (as the import saw them)
    for line, raw in source.rows:
        if again_from is not None and line >= again_from:
            errors = _check(cleaner, line, raw, first_lines)
        else:
            errors = stored.get(line, [])
            if not errors and again_from is not None:
                first_lines.setdefault(raw.get("registration_number", "").strip(), line)
        if errors:
            yield line, raw, errors


def _check(cleaner: Any, line: int, raw: dict[str, str], first_lines: dict[str, int]) -> list[tuple[str, str]]:
    row = cleaner.clean(line, raw)
    if row.errors:
        return row.errors
    number = row.values["registration_number"]
    if number in first_lines:
        error = duplicate_error(line, number, first_lines[number])
        return [(error.column, error.reason)]
    first_lines[number] = line
    return []
