"""A private storage on a disk that fills: for the tests that a full disk during an upload (registry import
files, helpdesk attachments) is a clear answer and leaves nothing half-written.

The `disk` fixture points the upload fields' storage at a temporary directory and makes its writes fail with
ENOSPC once `disk.room` bytes are spent; the bytes before that really reach the disk, as on a filling disk.
"""

from __future__ import annotations

import errno
import html
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import filesystem

from apps.helpdesk.models import Attachment
from apps.registry.models import ImportJob
from apps.tenants.files import PrivateFileSystemStorage

# What the 507 answer says (pages and API).
FULL = "the portal's file storage is full"


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


class Disk:
    """The private storage on a temporary directory, with `room` bytes left (None: plenty)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.storage = PrivateFileSystemStorage(location=root)
        self.room: int | None = None
        self.partial_writes = 0

    def files(self) -> list[Path]:
        return sorted(path for path in self.root.rglob("*") if path.is_file())


class FillingFile:
    """A file opened for writing on `disk`: the write that passes its room writes what fits, then fails."""

    def __init__(self, file: Any, disk: Disk) -> None:
        self._file = file
        self._disk = disk

    def write(self, data: bytes) -> int:
        if self._disk.room is not None and len(data) > self._disk.room:
            self._file.write(data[: self._disk.room])
            self._file.flush()
            self._disk.partial_writes += 1
            self._disk.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        if self._disk.room is not None:
            self._disk.room -= len(data)
        return self._file.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


class _OsWithFillingDisk:
    """The `os` module as Django's file system storage sees it, with the files it opens on the filling disk."""

    def __init__(self, disk: Disk) -> None:
        self._disk = disk

    def fdopen(self, fd: int, *args: Any, **kwargs: Any) -> Any:
        return FillingFile(os.fdopen(fd, *args, **kwargs), self._disk)

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


@pytest.fixture(name="disk")
def disk_fixture(tmp_path, monkeypatch) -> Disk:
    """Import `disk_fixture` into a test module to use the fixture `disk` there."""
    disk = Disk(tmp_path / "private")
    for field in (ImportJob._meta.get_field("file"), Attachment._meta.get_field("file")):
        monkeypatch.setattr(field, "storage", disk.storage)
    monkeypatch.setattr(filesystem, "os", _OsWithFillingDisk(disk))
    return disk
