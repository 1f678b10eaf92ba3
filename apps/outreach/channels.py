"""How a message reaches someone: e-mail, SMS or WhatsApp, behind one interface.

A backend sends a batch of `OutgoingMessage`s and answers, for each, whether it went (`SENT`), failed for now
and may be tried again later (`RETRY`: a server down, a 4xx SMTP answer), or failed for good (`FAILED`: an
address refused). Callers keep their own record of each message (a delivery row) and mark it from the result.

- E-mail goes through Django's mail backend (`EMAIL_URL` or `EMAIL_BACKEND`), one connection per batch.
- SMS and WhatsApp have no provider in this deployment: `ConsoleChannel` prints each message and
  `FileChannel` appends it as a JSON line to `<OUTREACH_FILE_DIR>/<channel>.jsonl`.
- A provider (an SMS gateway, the WhatsApp Business API) is a subclass of `ChannelBackend` with its own
  `send_batch`, named for its channel in `OUTREACH_CHANNEL_BACKENDS`; it receives each message's `reference`
  to pass on as the provider's idempotency key, so that a batch retried after a crash is not sent twice by
  a provider that honours it.
"""

from __future__ import annotations

import contextlib
import email.policy
import json
import logging
import os
import smtplib
import sys
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import HeaderRegistry
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import mail as django_mail
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.module_loading import import_string

from apps.tenants.models import OutreachChannel

logger = logging.getLogger(__name__)

# Channels a message can be sent on; post is a preference an MSME may state, not something the portal sends.
ELECTRONIC_CHANNELS = (OutreachChannel.EMAIL.value, OutreachChannel.SMS.value, OutreachChannel.WHATSAPP.value)


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True)
class OutgoingMessage:
    channel: str
    to: str  # an e-mail address, or a phone number in international form (+254700000001)
    subject: str  # e-mail only; other channels send the body
    body: str  # plain text
    html_body: str = ""  # e-mail only
    headers: Mapping[str, str] = field(default_factory=dict)  # e-mail only (List-Unsubscribe, ...)
    reference: str = ""  # the caller's id for this message (a delivery's id)
    # e-mail only: (file name, content, MIME type), e.g. an event's invitation as text/calendar
    attachments: tuple[tuple[str, bytes, str], ...] = ()


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    detail: str = ""  # why it failed, for the record (never shown to the recipient)


SENT = SendResult(Outcome.SENT)


class ChannelBackend:
    """Sends batches of messages on one channel. Subclasses implement `send_batch`."""

    channel: str = ""

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[SendResult]:
        raise NotImplementedError

    def already_sent(self, references: Collection[str]) -> set[str]:
        """Which of `references` this backend has already sent, if it can tell (else none).

        Asked only for messages whose sending was interrupted (a worker killed between sending and recording
        it), so that they are not sent twice. A backend that cannot tell (SMTP, most providers) makes those
        few messages at-least-once: the rows of the one batch that was in flight may be sent again.
        """
        return set()

    def tells_what_it_sent(self) -> bool:
        """True when `already_sent` really answers, so that a batch cut short can be retried without
        sending its first messages twice."""
        return False


class _UnfoldedEmail(EmailMultiAlternatives):
    """An e-mail whose header lines are folded at RFC 5322's limit of 998 characters, not at 78.

    A `List-Unsubscribe` value is one token (a signed URL) longer than 78 characters: folding it at 78, Python's
    email package writes it as RFC 2047 encoded words (`=?utf-8?q?=3Chttp...`), which mail clients do not read
    as a URL, so their unsubscribe button would not work.
    """

    def message(self, *, policy: email.policy.Policy = email.policy.default) -> Any:
        return super().message(policy=_unfolded(policy))


@cache
def _unfolded(policy: email.policy.Policy) -> email.policy.Policy:
    # Once per policy (in practice the one default), not once per message: a clone copies the policy's settings.
    factory = getattr(policy, "header_factory", None)
    if type(factory) is HeaderRegistry:
        return policy.clone(max_line_length=998, header_factory=_RepeatedHeaders(factory))
    return policy.clone(max_line_length=998)


class _RepeatedHeaders(HeaderRegistry):
    """Python's header registry, which parses each header value it is given (the costliest part of building an
    e-mail), except that a value every message of a campaign carries (its From, content type, ...) is parsed
    once and the parsed header, which is immutable, shared."""

    REPEATED = frozenset({"from", "mime-version", "content-type", "content-transfer-encoding", "list-unsubscribe-post"})
    LIMIT = 256

    def __init__(self, registry: HeaderRegistry) -> None:
        super().__init__(registry.base_class, registry.default_class, use_default_map=False)
        self.registry.update(registry.registry)
        self._parsed: dict[tuple[str, str], Any] = {}

    def __call__(self, name: str, value: Any) -> Any:
        if type(value) is not str or name.lower() not in self.REPEATED:
            return super().__call__(name, value)
        key = (name, value)
        header = self._parsed.get(key)
        if header is None:
            if len(self._parsed) >= self.LIMIT:
                self._parsed.clear()
            header = self._parsed[key] = super().__call__(name, value)
        return header


def _email_of(message: OutgoingMessage, connection: object) -> EmailMultiAlternatives:
    mail = _UnfoldedEmail(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers=dict(message.headers),
        connection=connection,
    )
    if message.html_body:
        mail.attach_alternative(message.html_body, "text/html")
    for filename, content, mimetype in message.attachments:
        mail.attach(filename, content, mimetype)
    return mail


class EmailChannel(ChannelBackend):
    """E-mail through Django's configured mail backend, one connection for the whole batch."""

    channel = OutreachChannel.EMAIL.value

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[SendResult]:
        results: list[SendResult] = []
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
        except (OSError, smtplib.SMTPException) as error:
            return [SendResult(Outcome.RETRY, f"mail server: {error}")] * len(messages)
        try:
            for index, message in enumerate(messages):
                try:
                    _email_of(message, connection).send()
                except smtplib.SMTPRecipientsRefused as error:
                    results.append(SendResult(_smtp_outcome(error.recipients), f"refused: {error.recipients}"))
                except smtplib.SMTPResponseException as error:
                    outcome = Outcome.RETRY if 400 <= error.smtp_code < 500 else Outcome.FAILED
                    results.append(SendResult(outcome, f"{error.smtp_code} {error.smtp_error!r}"))
                except (OSError, smtplib.SMTPException) as error:
                    # The connection is gone: this message and the rest of the batch wait for the next try.
                    remaining = len(messages) - index
                    results.extend([SendResult(Outcome.RETRY, f"mail server: {error}")] * remaining)
                    break
                except Exception as error:  # one bad message must not take the batch with it
                    # The messages before this one are already handed over: raising would have them sent
                    # again with the batch's retry. This one alone fails (e.g. a header that cannot be encoded).
                    logger.warning("outreach: an e-mail could not be sent: %r", error)
                    results.append(SendResult(Outcome.FAILED, repr(error)))
                else:
                    results.append(SENT)
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                connection.close()
        return results

    def already_sent(self, references: Collection[str]) -> set[str]:
        """Answered for Django's file and in-memory mail backends, which keep what they wrote; SMTP cannot."""
        wanted = set(references)
        if not wanted:
            return set()
        backend = settings.EMAIL_BACKEND
        if backend == "django.core.mail.backends.filebased.EmailBackend":
            directory = Path(settings.EMAIL_FILE_PATH)
            lines = _lines_of(sorted(directory.glob("*.log")) if directory.is_dir() else [])
            return _references_in(lines, wanted)
        if backend == "django.core.mail.backends.locmem.EmailBackend":
            outbox = getattr(django_mail, "outbox", [])
            return {str(m.extra_headers.get(REFERENCE_HEADER, "")) for m in outbox} & wanted
        return set()

    def tells_what_it_sent(self) -> bool:
        return settings.EMAIL_BACKEND in RECORDING_EMAIL_BACKENDS


RECORDING_EMAIL_BACKENDS = (
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
)


# The header each campaign e-mail carries with its delivery's id (apps.outreach.rendering sets it).
REFERENCE_HEADER = "X-Outreach-Reference"


def _lines_of(paths: Iterable[Path]) -> Iterable[str]:
    for path in paths:
        with contextlib.suppress(OSError), open(path, encoding="utf-8", errors="replace") as handle:
            yield from handle


def _references_in(lines: Iterable[str], wanted: set[str]) -> set[str]:
    prefix = REFERENCE_HEADER + ":"
    found = set()
    for line in lines:
        if line.startswith(prefix):
            reference = line[len(prefix) :].strip()
            if reference in wanted:
                found.add(reference)
    return found


def _smtp_outcome(recipients: Mapping[str, tuple[int, bytes]]) -> Outcome:
    codes = [code for code, _message in recipients.values()]
    return Outcome.RETRY if codes and all(400 <= code < 500 for code in codes) else Outcome.FAILED


def _as_record(message: OutgoingMessage) -> dict[str, str]:
    return {"channel": message.channel, "to": message.to, "body": message.body, "reference": message.reference}


class ConsoleChannel(ChannelBackend):
    """Prints each message: for development, where no SMS or WhatsApp provider is configured."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[SendResult]:
        for message in messages:
            sys.stdout.write(json.dumps(_as_record(message), ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return [SENT] * len(messages)


_file_lock = threading.Lock()


class FileChannel(ChannelBackend):
    """Appends each message as one JSON line to `<OUTREACH_FILE_DIR>/<channel>.jsonl`.

    One `write` per batch on a file opened for appending, so lines of two processes never interleave.
    """

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def path(self) -> Path:
        return Path(settings.OUTREACH_FILE_DIR) / f"{self.channel}.jsonl"

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[SendResult]:
        if not messages:
            return []
        path = self.path()
        text = "".join(json.dumps(_as_record(m), ensure_ascii=False) + "\n" for m in messages)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with _file_lock, open(path, "a", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            return [SendResult(Outcome.RETRY, f"file: {error}")] * len(messages)
        return [SENT] * len(messages)

    def already_sent(self, references: Collection[str]) -> set[str]:
        """The references among `references` that a line of the file carries (a torn last line is ignored)."""
        wanted = set(references)
        path = self.path()
        if not wanted or not path.exists():
            return set()
        found = set()
        with _file_lock, open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if '"reference"' not in line:
                    continue
                try:
                    reference = json.loads(line).get("reference", "")
                except ValueError:
                    continue
                if reference in wanted:
                    found.add(reference)
        return found

    def tells_what_it_sent(self) -> bool:
        return True


@cache
def _backend_class(dotted_path: str) -> type[ChannelBackend]:
    backend = import_string(dotted_path)
    if not (isinstance(backend, type) and issubclass(backend, ChannelBackend)):
        raise TypeError(f"{dotted_path} is not a ChannelBackend")
    return backend


def backend_for(channel: str) -> ChannelBackend:
    """The configured backend of `channel` (`OUTREACH_CHANNEL_BACKENDS`); KeyError for post or an unknown one."""
    dotted_path = settings.OUTREACH_CHANNEL_BACKENDS[channel]
    backend_class = _backend_class(dotted_path)
    if backend_class is EmailChannel or issubclass(backend_class, EmailChannel):
        return backend_class()
    return backend_class(channel)  # type: ignore[call-arg]


def already_sent(channel: str, references: Collection[str]) -> set[str]:
    """Which of `references` the backend of `channel` has already sent, as far as it can tell."""
    return backend_for(channel).already_sent(references) if references else set()


def tells_what_it_sent(channel: str) -> bool:
    """Whether the backend of `channel` can say which messages it already sent (see `already_sent`)."""
    return backend_for(channel).tells_what_it_sent()


def send_batch(channel: str, messages: Sequence[OutgoingMessage]) -> list[SendResult]:
    """Send `messages` (all on `channel`) with its backend: one result per message, in order."""
    if any(message.channel != channel for message in messages):
        raise ValueError("every message of a batch goes on the batch's channel")
    results = backend_for(channel).send_batch(messages)
    if len(results) != len(messages):
        raise RuntimeError(f"the {channel} backend answered {len(results)} results for {len(messages)} messages")
    return results
