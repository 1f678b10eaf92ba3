"""Reading the helpdesk's mailbox: each new message goes through `process_inbound`, then is marked done (posted,
ignored or refused and recorded: not read again) or failed (an error: kept, flagged, for a person to look at).

The mailbox is a local Maildir (`HELPDESK_MAILDIR`, for development or a server's delivery agent) or an IMAP
folder (`HELPDESK_IMAP_URL`, `imaps://user:password@host:993/INBOX`; `imap://` uses STARTTLS when the server
offers it). Each run reads at most `HELPDESK_MAIL_BATCH` messages from each.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings

from apps.helpdesk.mail.inbound import process_inbound
from apps.helpdesk.mail.mailboxes import MailboxItem, done, failed, read_imap, read_maildir

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str
    folder: str
    ssl: bool


def parse_imap_url(url: str) -> ImapSettings:
    """`imaps://user:password@host[:port][/folder]` (or `imap://`); user, password and folder percent-decoded."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"imap", "imaps"} or not parts.hostname:
        raise ValueError("HELPDESK_IMAP_URL must look like imaps://user:password@host:993/INBOX")
    ssl = parts.scheme == "imaps"
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return ImapSettings(
        host=parts.hostname,
        port=parts.port or (993 if ssl else 143),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        folder=folder,
        ssl=ssl,
    )


def _handle(items: Iterator[MailboxItem], counts: Counter) -> None:
    for item in items:
        try:
            outcome = process_inbound(item.raw)
        except Exception:
            logger.exception("Helpdesk e-mail %s could not be processed; kept and flagged", item.key)
            failed(item)
            counts["failed"] += 1
        else:
            done(item)
            counts[outcome.status] += 1


def fetch_mail(*, maildir: str | None = None, imap_url: str | None = None, limit: int | None = None) -> Counter:
    """Process the new messages of the Maildir and of the IMAP folder given (each at most `limit`); counts by
    outcome (posted, ignored, refused, failed)."""
    counts: Counter = Counter()
    if maildir:
        _handle(read_maildir(maildir, limit=limit), counts)
    if imap_url:
        imap = parse_imap_url(imap_url)
        _handle(
            read_imap(imap.host, imap.port, imap.user, imap.password, folder=imap.folder, ssl=imap.ssl, limit=limit),
            counts,
        )
    return counts


def configured() -> tuple[str, str]:
    """(Maildir path, IMAP URL) from the settings; both empty: no mailbox to read."""
    return getattr(settings, "HELPDESK_MAILDIR", "") or "", getattr(settings, "HELPDESK_IMAP_URL", "") or ""
