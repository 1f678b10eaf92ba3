"""Where inbound mail comes from: a local Maildir (development, or a server's delivery agent) or an IMAP folder.

Both readers yield `MailboxItem`s (a key and the raw bytes) and leave the message where it is until told:

    for item in read_maildir(path):
        try:
            handle(parse_email(item.raw))
        except Exception:
            failed(item)  # kept, marked, and not read again: a person looks at it
            raise / log
        else:
            done(item)  # marked as seen (or deleted): not read again

A message is read again on the next run only when neither was called (the process died mid-way); the caller's
record of processed Message-IDs (`addresses.message_fingerprint`) keeps that from posting it twice.

Each run reads at most `limit` messages (`HELPDESK_MAIL_BATCH`, 50), so a flood is worked through over several
runs rather than in one long one, and reads at most `max_bytes` + 1 bytes of each (`HELPDESK_MAIL_MAX_BYTES`, as
the parser's limit): a larger message comes truncated, and the parser refuses it as too large without the whole
of it ever being in memory.

- Maildir: new messages, and those in `cur` with none of the flags S (seen), F (flagged: failed), T (trashed).
  `done` moves the file to `cur` with the S flag, or deletes it (`delete=True`); `failed` moves it to `cur` with F.
- IMAP: `UID SEARCH UNSEEN UNFLAGGED`, fetched with `BODY.PEEK[]` (which does not set \\Seen); `done` stores
  \\Seen (and \\Deleted, expunged at the end, with `delete=True`); `failed` stores \\Flagged. TLS from the start
  (`ssl=True`), else STARTTLS when the server offers it. Call `done`/`failed` inside the loop: the connection
  is closed when the iteration ends (close the generator, or use `contextlib.closing`, if you stop early).
"""

from __future__ import annotations

import contextlib
import imaplib
import mailbox
import os
import re
import ssl as ssl_module
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

DEFAULT_BATCH = 50
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
_SKIP_FLAGS = frozenset("SFT")


class MailboxError(Exception):
    """The mailbox could not be reached or refused a command."""


class _Source(Protocol):
    def done(self, item: MailboxItem) -> None: ...
    def failed(self, item: MailboxItem) -> None: ...


@dataclass
class MailboxItem:
    key: str  # the Maildir key, or the IMAP UID
    raw: bytes  # at most max_bytes + 1 bytes of the message
    size: int  # the message's full size in bytes
    source: _Source = field(repr=False, compare=False)
    state: str = "pending"  # then "done" or "failed"

    @property
    def truncated(self) -> bool:
        return len(self.raw) < self.size


def done(item: MailboxItem) -> None:
    """The message was handled (posted, or refused and reported): it is not read again."""
    item.source.done(item)
    item.state = "done"


def failed(item: MailboxItem) -> None:
    """The message could not be handled: it stays, marked, for a person to look at; it is not read again."""
    item.source.failed(item)
    item.state = "failed"


def _limits(limit: int | None, max_bytes: int | None) -> tuple[int, int]:
    if limit is None:
        limit = int(getattr(settings, "HELPDESK_MAIL_BATCH", DEFAULT_BATCH))
    if max_bytes is None:
        max_bytes = int(getattr(settings, "HELPDESK_MAIL_MAX_BYTES", DEFAULT_MAX_BYTES))
    return max(limit, 0), max_bytes


# --- Maildir --------------------------------------------------------------------------------------------------


class _Maildir:
    def __init__(self, path: str | os.PathLike[str], *, delete: bool) -> None:
        self.path = Path(path)
        # create=True makes new/, cur/ and tmp/ when missing, so a fresh development setup just works.
        self.box = mailbox.Maildir(self.path, factory=None, create=True)
        # mailbox.Maildir makes them only for a new folder; an existing, empty one gets them here.
        for subdir in ("new", "cur", "tmp"):
            (self.path / subdir).mkdir(mode=0o700, exist_ok=True)
        self.delete = delete
        self.subpaths: dict[str, str] = {}

    def pending(self) -> list[tuple[str, str]]:
        """(key, subpath) of the messages to read, oldest name first (names start with the delivery time)."""
        found = []
        for subdir in ("new", "cur"):
            with os.scandir(self.path / subdir) as entries:
                for entry in entries:
                    if entry.name.startswith(".") or not entry.is_file():
                        continue
                    key, _colon, info = entry.name.partition(self.box.colon)
                    flags = info[2:] if info.startswith("2,") else ""
                    if not _SKIP_FLAGS & set(flags):
                        found.append((key, f"{subdir}/{entry.name}"))
        return sorted(found)

    def read(self, subpath: str, max_bytes: int) -> tuple[bytes, int]:
        with open(self.path / subpath, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            return file.read(max_bytes + 1), size

    def _move_to_cur(self, item: MailboxItem, flag: str) -> None:
        subpath = self.subpaths[item.key]
        name = Path(subpath).name
        _key, _colon, info = name.partition(self.box.colon)
        flags = set(info[2:]) if info.startswith("2,") else set()
        target = f"cur/{item.key}{self.box.colon}2,{''.join(sorted(flags | {flag}))}"
        os.rename(self.path / subpath, self.path / target)
        self.subpaths[item.key] = target

    def done(self, item: MailboxItem) -> None:
        if self.delete:
            os.remove(self.path / self.subpaths.pop(item.key))
        else:
            self._move_to_cur(item, "S")

    def failed(self, item: MailboxItem) -> None:
        self._move_to_cur(item, "F")


def read_maildir(
    path: str | os.PathLike[str], *, limit: int | None = None, max_bytes: int | None = None, delete: bool = False
) -> Iterator[MailboxItem]:
    """The unread messages of the Maildir at `path` (created when missing), at most `limit` of them."""
    limit, max_bytes = _limits(limit, max_bytes)
    source = _Maildir(path, delete=delete)
    for key, subpath in source.pending()[:limit]:
        try:
            raw, size = source.read(subpath, max_bytes)
        except FileNotFoundError:
            continue  # another reader took it meanwhile
        source.subpaths[key] = subpath
        yield MailboxItem(key=key, raw=raw, size=size, source=source)


# --- IMAP -----------------------------------------------------------------------------------------------------

_SIZE = re.compile(rb"RFC822\.SIZE\s+(\d+)", re.IGNORECASE)


class _Imap:
    def __init__(self, connection: Any, *, delete: bool) -> None:
        self.connection = connection
        self.delete = delete
        self.deleted = False

    def command(self, *args: Any) -> list[Any]:
        try:
            status, data = self.connection.uid(*args)
        except imaplib.IMAP4.error as error:
            raise MailboxError(f"IMAP {args[0]} failed: {error}") from error
        if status != "OK":
            raise MailboxError(f"IMAP {args[0]} answered {status}: {data!r}"[:500])
        return data

    def unseen(self) -> list[str]:
        data = self.command("SEARCH", None, "UNSEEN", "UNFLAGGED")
        return [uid.decode("ascii") for uid in b" ".join(part for part in data if part).split()]

    def fetch(self, uid: str, max_bytes: int) -> tuple[bytes, int] | None:
        data = self.command("FETCH", uid, f"(RFC822.SIZE BODY.PEEK[]<0.{max_bytes + 1}>)")
        literals = [part for part in data if isinstance(part, tuple) and len(part) >= 2]
        if not literals:
            return None  # expunged meanwhile
        # The size comes before or after the literal, as the server likes: look in every piece around it.
        around = b" ".join([literals[0][0], *(part for part in data if isinstance(part, bytes))])
        size = _SIZE.search(around)
        body = literals[0][1]
        return body, int(size.group(1)) if size else len(body)

    def done(self, item: MailboxItem) -> None:
        self.command("STORE", item.key, "+FLAGS.SILENT", r"(\Seen \Deleted)" if self.delete else r"(\Seen)")
        self.deleted = self.deleted or self.delete

    def failed(self, item: MailboxItem) -> None:
        self.command("STORE", item.key, "+FLAGS.SILENT", r"(\Flagged)")

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a connection already gone: nothing left to tidy up
            if self.deleted:
                self.connection.expunge()
            self.connection.close()
        with contextlib.suppress(Exception):
            self.connection.logout()


def _connect(host: str, port: int, *, ssl: bool, timeout: float) -> imaplib.IMAP4:
    context = ssl_module.create_default_context()
    if ssl:
        return imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
    connection = imaplib.IMAP4(host, port, timeout=timeout)
    if "STARTTLS" in connection.capabilities:
        connection.starttls(ssl_context=context)
    return connection


def read_imap(
    host: str,
    port: int,
    user: str,
    password: str,
    *,
    folder: str = "INBOX",
    ssl: bool = True,
    limit: int | None = None,
    max_bytes: int | None = None,
    delete: bool = False,
    timeout: float = 30,
    imap_factory: Callable[..., Any] | None = None,
) -> Iterator[MailboxItem]:
    """The unseen, unflagged messages of an IMAP folder, at most `limit` of them (see the module docstring).

    `imap_factory(host, port, ssl=..., timeout=...)` makes the connection (an `imaplib.IMAP4`, or a stand-in).
    """
    limit, max_bytes = _limits(limit, max_bytes)
    factory = imap_factory or _connect
    connection = None
    try:
        connection = factory(host, port, ssl=ssl, timeout=timeout)
        connection.login(user, password)
        # imaplib sends arguments as they are: quote the name, so one with spaces is one argument.
        status, data = connection.select('"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"')
    except (imaplib.IMAP4.error, OSError) as error:
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.logout()
        raise MailboxError(f"IMAP connection to {host}:{port} failed: {error}") from error
    source = _Imap(connection, delete=delete)
    try:
        if status != "OK":
            raise MailboxError(f"IMAP folder {folder!r} cannot be selected: {data!r}"[:500])
        for uid in source.unseen()[:limit]:
            fetched = source.fetch(uid, max_bytes)
            if fetched is None:
                continue
            raw, size = fetched
            yield MailboxItem(key=uid, raw=raw, size=size, source=source)
    finally:
        source.close()
