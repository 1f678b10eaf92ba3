"""Stored import files: kept only as long as needed, and purged of an erased MSME.

An uploaded file holds every row as the agency sent it (names, e-mail addresses, phone numbers),
so it is deleted after `IMPORT_FILE_RETENTION_DAYS` and whenever it may hold an erased MSME. The
job keeps its counts and errors; `file_deleted_at` tells its page why there is no file.
Everything here works in the active tenant.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from apps.registry.importing.reader import open_rows
from apps.registry.models import ImportJob


def import_file_delete(*, job: ImportJob, now: datetime | None = None) -> None:
    """Delete a job's stored file; the job and its counts and errors stay."""
    if job.file:
        with contextlib.suppress(FileNotFoundError):
            job.file.storage.delete(job.file.name)
    job.file = ""
    job.file_deleted_at = now or timezone.now()
    job.save(update_fields=["file", "file_deleted_at"])


def import_files_purge_expired(*, older_than_days: int | None = None, now: datetime | None = None) -> int:
    """Delete the stored files of the active tenant's jobs uploaded longer ago than the retention."""
    days = settings.IMPORT_FILE_RETENTION_DAYS if older_than_days is None else older_than_days
    now = now or timezone.now()
    expired = ImportJob.objects.exclude(file="").filter(created_at__lt=now - timedelta(days=days))
    deleted = 0
    for job in expired.iterator():
        import_file_delete(job=job, now=now)
        deleted += 1
    return deleted


def _key(text: object) -> str:
    """A cell as compared with stored values: case, spaces and punctuation do not count."""
    return "".join(char for char in str(text).casefold() if char.isalnum() or char == "@")


def _file_may_hold(job: ImportJob, keys: set[str]) -> bool:
    try:
        with job.file.open("rb") as stream:
            source = open_rows(stream, job.file_name)
            return any(_key(value) in keys for _line, row in source.rows for value in row.values())
    except Exception:
        # Unreadable (refused, damaged, gone): it may still hold the data, so it is treated as if it did.
        return True


def _scrub_errors(errors: list[dict[str, Any]], keys: set[str], values: list[str], placeholder: str) -> bool:
    """Blank the erased MSME's rows and values in a job's stored errors, in place; True if any changed."""
    patterns = [re.compile(re.escape(value), re.IGNORECASE) for value in values if len(value) >= 3]
    changed = False
    for error in errors:
        if _key(error.get("registration_number", "")) in keys:
            scrubbed = {**error, "registration_number": placeholder, "reason": placeholder}
        else:
            reason = str(error.get("reason", ""))
            for pattern in patterns:
                reason = pattern.sub(placeholder, reason)
            scrubbed = {**error, "reason": reason}
        if scrubbed != error:
            error.update(scrubbed)
            changed = True
    return changed


def import_data_erase(*, values: Iterable[str], placeholder: str) -> int:
    """Remove an erased MSME's personal data from the active tenant's imports.

    `values`: what identified it (registration number, name, e-mail, phone, website) before erasure.
    Deletes every stored file with a cell equal to one of them, and blanks them in every job's errors.
    Returns how many files were deleted.
    """
    values = [value.strip() for value in values if value and value.strip()]
    keys = {_key(value) for value in values} - {""}
    if not keys:
        return 0
    now = timezone.now()
    deleted = 0
    for job in ImportJob.objects.exclude(file="").iterator():
        if _file_may_hold(job, keys):
            import_file_delete(job=job, now=now)
            deleted += 1
    for job in ImportJob.objects.exclude(errors=[]).only("id", "tenant", "errors").iterator():
        if _scrub_errors(job.errors, keys, values, placeholder):
            job.save(update_fields=["errors"])
    return deleted
