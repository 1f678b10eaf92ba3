"""Tenant-private files: uploads that belong to one tenant and are never reachable by a public URL.

- `private_storage()`: the storage named "private" in `settings.STORAGES` (a directory outside
  every served path in production, `PRIVATE_MEDIA_ROOT`). Its storages have no URL at all, so no
  template can link a stored file by mistake.
- `TenantUploadTo(app)`: an `upload_to` that files each upload under
  `<tenant id>/<app>/<row id>/<random name>`; the original name, which may name a person, stays in
  a model field for display and never reaches the disk.
- `serve_private_file(file, filename=...)`: the only way out, from a view that has checked scope.

A FileField uses them as `models.FileField(storage=private_storage, upload_to=TenantUploadTo("app"))`.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any

from django.core.files.storage import FileSystemStorage, InMemoryStorage, Storage, storages
from django.http import FileResponse
from django.utils.deconstruct import deconstructible

from apps.tenants.context import require_active_tenant, tenant_context
from apps.tenants.rls import autocommit_scope

if TYPE_CHECKING:
    from apps.tenants.models import Tenant

PRIVATE_STORAGE = "private"
_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")


class NoPublicUrl:
    """A storage mixin: private files are served by a view that checks scope, never by a URL."""

    def url(self, name: str | None) -> str:
        raise ValueError("Tenant-private files have no URL: serve them with apps.tenants.files.serve_private_file.")


class StorageFull(OSError):
    """The private storage has no room (or the quota is spent): the file was not kept, and nothing of it remains.

    TenantMiddleware answers it as a 507 with a message that says to try again later, and rolls the request back."""


# Disk full, and a quota spent: both mean "no room", which a later try may find again.
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT}


class PrivateFileSystemStorage(NoPublicUrl, FileSystemStorage):
    """Files on disk under `PRIVATE_MEDIA_ROOT`, which no URL route serves."""

    def _save(self, name: str, content: Any) -> str:
        # Django's own save leaves what it wrote when a write fails (a disk that fills mid-file): a truncated
        # file that a row could later point at. Remove it, then say plainly when the cause is no room.
        path = self.path(name)
        existed = os.path.lexists(path)
        try:
            return super()._save(name, content)
        except OSError as error:
            if not existed and os.path.lexists(path):
                os.remove(path)
            if error.errno in _NO_ROOM:
                raise StorageFull(error.errno, "No room left to store the file.") from error
            raise


class PrivateInMemoryStorage(NoPublicUrl, InMemoryStorage):
    """The same in memory, for tests and throwaway setups."""


def private_storage() -> Storage:
    """The "private" storage of settings.STORAGES (a callable, so that migrations name no backend)."""
    return storages[PRIVATE_STORAGE]


@deconstructible
class TenantUploadTo:
    """`upload_to`: `<tenant id>/<app>/<row id>/<random hex><extension>`.

    One folder per tenant keeps each tenant's files apart for deletion and backups; the row's id in
    the path lets an operator find a file's owner; the random name keeps personal data (a business's
    name in a file name) off the disk and makes names impossible to guess.
    """

    def __init__(self, app: str) -> None:
        self.app = app

    def __call__(self, instance: Any, filename: str) -> str:
        tenant_id = getattr(instance, "tenant_id", None) or require_active_tenant().pk
        suffix = PurePosixPath(filename).suffix.lower()
        extension = suffix if _EXTENSION.fullmatch(suffix) else ""
        return f"{tenant_id}/{self.app}/{instance.pk}/{secrets.token_hex(16)}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TenantUploadTo) and other.app == self.app

    def __hash__(self) -> int:
        return hash(self.app)


class _TenantBoundFile:
    """A file whose reads run in the tenant that opened it.

    A streamed response is read after the view has returned and the middleware has left the tenant's
    context; a storage that reads through the database (or checks the tenant) would find none.
    """

    def __init__(self, file: IO[bytes], tenant: Tenant) -> None:
        self._file = file
        self._tenant = tenant

    def read(self, *args: Any) -> bytes:
        # After the request's transaction: a storage that queries does so a transaction per query.
        with tenant_context(self._tenant), autocommit_scope("private file streamed after the request"):
            return self._file.read(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


def serve_private_file(file: Any, *, filename: str, content_type: str = "application/octet-stream") -> FileResponse:
    """Stream a tenant-private stored file as a download, in the active tenant.

    Call it from a view that has already checked the user may have the file (for a tenant-owned row,
    fetching the row through its tenant-scoped manager does that). Raises FileNotFoundError when the
    stored file is gone. Always an attachment: an uploaded file is never rendered by the browser.
    """
    tenant = require_active_tenant()
    file.open("rb")
    response = FileResponse(
        _TenantBoundFile(file, tenant), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
