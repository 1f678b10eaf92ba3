"""Signed reply addresses and Message-IDs: how an e-mail reply finds its ticket, and how a forged one is refused.

Every notification about a ticket is sent with

- a Reply-To of `reply+<token>@<domain>`, where the token carries the ticket's id and the id of the user the
  notification was sent to, and a truncated HMAC-SHA256 over both (and the domain) keyed by `SECRET_KEY`
  through Django's `salted_hmac` (salt "helpdesk.reply"); and
- a Message-ID `<hd.<ticket>.<message>.<signature>@<domain>>`, signed the same way (salt "helpdesk.message-id"),
  so a reply that lost its Reply-To still threads through In-Reply-To or References.

The token is base32 in lower case, with no padding: some mail systems lower-case the local part, and base32
survives that (an upper-cased address is read the same). `SECRET_KEY_FALLBACKS` are accepted when reading, so
rotating the key does not orphan the replies to mail sent before.

What this module does not do, and the caller must:

- **Replay.** A signed address stays valid; the same message delivered twice would be posted twice. The caller
  records `message_fingerprint(parsed)` of every message it has processed and refuses one it has seen.
- **Who replied.** The address is a bearer token: anyone who has it can write to it. The caller checks the
  sender (the From address) against the user the token names, or another participant of the ticket, and
  refuses and reports the message otherwise.
- **Two answers.** When the reply address and the references both name a ticket, they must name the same one;
  the caller refuses the message otherwise (the address names the user too, so it is the one to trust).
- **Reporting.** `ForgedReplyAddress` carries a machine `code` and a translatable `reason`; the caller logs and
  reports it, and never posts the message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Protocol

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

REPLY_SALT = "helpdesk.reply"
MESSAGE_ID_SALT = "helpdesk.message-id"
REPLY_PREFIX = "reply+"
MESSAGE_ID_PREFIX = "hd."
# 80 bits: forging one needs ~2**79 tries through the mail server, far beyond what it would carry.
SIGNATURE_BYTES = 10
# A user id up to 2**64 - 1 fits; the length byte keeps small ids short (the local part is at most 64 characters).
_MAX_USER_ID_BYTES = 8
# Longer identifiers than this are hashed by `message_fingerprint`, so the caller can store them in a bounded column.
MAX_FINGERPRINT_CHARS = 200

MALFORMED = _("The reply address or message reference is malformed.")
UNKNOWN_DOMAIN = _("The reply address is on an unknown domain.")
BAD_SIGNATURE = _("The reply address or message reference carries an invalid signature.")
TWO_TICKETS = _("The message references name different tickets.")

_BASE32 = re.compile(r"^[a-z2-7]+$")
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")


class ForgedReplyAddress(Exception):
    """A reply address or Message-ID that claims to be ours and is not: refuse the message and report it."""

    FORMAT = "format"
    SIGNATURE = "signature"
    DOMAIN = "domain"

    def __init__(self, code: str, reason: str, value: str = "") -> None:
        super().__init__(f"{code}: {value[:200]}")
        self.code = code
        self.reason = reason
        self.value = value[:320]


@dataclass(frozen=True)
class ReplyToken:
    ticket_id: uuid.UUID
    user_id: int


class _Fingerprinted(Protocol):
    message_id: str
    raw_sha256: str


def _b32encode(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=").lower()


def _b32decode(text: str) -> bytes:
    text = text.lower()
    if not _BASE32.match(text):
        raise ValueError("not base32")
    padded = text.upper() + "=" * (-len(text) % 8)
    try:
        return base64.b32decode(padded)
    except binascii.Error as error:
        raise ValueError("not base32") from error


def _signature(salt: str, payload: bytes, domain: str, secret: str | bytes) -> bytes:
    value = payload.hex() + "@" + domain.lower()
    return salted_hmac(salt, value, secret=secret, algorithm="sha256").digest()[:SIGNATURE_BYTES]


def _sign(salt: str, payload: bytes, domain: str) -> bytes:
    return _signature(salt, payload, domain, settings.SECRET_KEY)


def _verify(salt: str, payload: bytes, domain: str, signature: bytes) -> bool:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    # Every key is tried, valid or not, so the time taken does not tell which one matched.
    matches = [hmac.compare_digest(_signature(salt, payload, domain, secret), signature) for secret in secrets]
    return any(matches)


def _clean_domain(domain: str) -> str:
    domain = domain.strip().lower().rstrip(".")
    if not domain or "@" in domain or any(c.isspace() or c in "<>" for c in domain):
        raise ValueError(f"not a mail domain: {domain!r}")
    return domain


def reply_domains() -> frozenset[str]:
    """The domains our reply addresses live on: `HELPDESK_REPLY_DOMAINS`, else the domain of `DEFAULT_FROM_EMAIL`."""
    configured = getattr(settings, "HELPDESK_REPLY_DOMAINS", None) or ()
    if isinstance(configured, str):
        configured = [configured]
    if not configured:
        _name, address = parseaddr(getattr(settings, "DEFAULT_FROM_EMAIL", "") or "")
        configured = [address.rpartition("@")[2]] if "@" in address else []
    return frozenset(d.strip().lower().rstrip(".") for d in configured if d and d.strip())


# --- Reply addresses ------------------------------------------------------------------------------------------


def _reply_payload(ticket_id: uuid.UUID, user_id: int) -> bytes:
    if not 0 <= user_id < 2 ** (8 * _MAX_USER_ID_BYTES):
        raise ValueError(f"user id out of range: {user_id}")
    user_bytes = user_id.to_bytes(_MAX_USER_ID_BYTES, "big").lstrip(b"\x00") or b"\x00"
    return ticket_id.bytes + struct.pack("B", len(user_bytes)) + user_bytes


def reply_address(ticket_id: uuid.UUID, user_id: int, *, domain: str) -> str:
    """`reply+<token>@<domain>`: the Reply-To of a notification about `ticket_id` sent to user `user_id`."""
    domain = _clean_domain(domain)
    payload = _reply_payload(ticket_id, user_id)
    return f"{REPLY_PREFIX}{_b32encode(payload + _sign(REPLY_SALT, payload, domain))}@{domain}"


def looks_like_reply_address(address: str) -> bool:
    """Whether `address` has our reply form (whatever its domain or signature): a candidate to read or refuse."""
    _name, bare = parseaddr(address or "")
    return bare.lower().startswith(REPLY_PREFIX) and "@" in bare


def read_reply_address(address: str, *, domains: Iterable[str] | None = None) -> ReplyToken:
    """The ticket and user a reply address names, or `ForgedReplyAddress` (bad format, unknown domain, bad signature).

    `address` may be a bare address or a header value with a display name; case does not matter. `domains`
    defaults to `reply_domains()`.
    """
    allowed = reply_domains() if domains is None else frozenset(d.lower().rstrip(".") for d in domains)
    _name, bare = parseaddr(address or "")
    local, at, domain = bare.strip().rpartition("@")
    local, domain = local.lower(), domain.lower().rstrip(".")
    if not at or not local.startswith(REPLY_PREFIX):
        raise ForgedReplyAddress(ForgedReplyAddress.FORMAT, MALFORMED, address)
    if domain not in allowed:
        raise ForgedReplyAddress(ForgedReplyAddress.DOMAIN, UNKNOWN_DOMAIN, address)
    try:
        data = _b32decode(local.removeprefix(REPLY_PREFIX))
    except ValueError:
        raise ForgedReplyAddress(ForgedReplyAddress.FORMAT, MALFORMED, address) from None
    user_length = data[16] if len(data) > 16 else 0
    if not 1 <= user_length <= _MAX_USER_ID_BYTES or len(data) != 17 + user_length + SIGNATURE_BYTES:
        raise ForgedReplyAddress(ForgedReplyAddress.FORMAT, MALFORMED, address)
    payload, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
    if not _verify(REPLY_SALT, payload, domain, signature):
        raise ForgedReplyAddress(ForgedReplyAddress.SIGNATURE, BAD_SIGNATURE, address)
    return ReplyToken(ticket_id=uuid.UUID(bytes=payload[:16]), user_id=int.from_bytes(payload[17:], "big"))


def find_reply_token(addresses: Iterable[str], *, domains: Iterable[str] | None = None) -> ReplyToken | None:
    """The token of the first valid reply address among `addresses` (the To, Cc, Delivered-To, ... of a message).

    None when none has our reply form; `ForgedReplyAddress` (the first one's) when some have it and none is valid.
    """
    domains = reply_domains() if domains is None else frozenset(d.lower().rstrip(".") for d in domains)
    refused: ForgedReplyAddress | None = None
    for address in addresses:
        if not looks_like_reply_address(address):
            continue
        try:
            return read_reply_address(address, domains=domains)
        except ForgedReplyAddress as error:
            refused = refused or error
    if refused is not None:
        raise refused
    return None


# --- Message-IDs ----------------------------------------------------------------------------------------------


def notification_message_id(ticket_id: uuid.UUID, message_id: uuid.UUID, domain: str) -> str:
    """`<hd.<ticket>.<message>.<signature>@<domain>>`: the Message-ID of a notification about a ticket's message.

    `message_id` makes it unique (the timeline entry the notification is about, or a fresh `uuid4()`).
    """
    domain = _clean_domain(domain)
    payload = ticket_id.bytes + message_id.bytes
    signature = _sign(MESSAGE_ID_SALT, payload, domain)
    parts = ".".join(_b32encode(part) for part in (ticket_id.bytes, message_id.bytes, signature))
    return f"<{MESSAGE_ID_PREFIX}{parts}@{domain}>"


def _ticket_from_message_id(identifier: str) -> uuid.UUID:
    local, _at, domain = identifier.rpartition("@")
    parts = local.lower().removeprefix(MESSAGE_ID_PREFIX).split(".")
    malformed = ForgedReplyAddress(ForgedReplyAddress.FORMAT, MALFORMED, identifier)
    if len(parts) != 3 or not domain:
        raise malformed
    try:
        ticket, message, signature = (_b32decode(part) for part in parts)
    except ValueError:
        raise malformed from None
    if len(ticket) != 16 or len(message) != 16 or len(signature) != SIGNATURE_BYTES:
        raise malformed
    if not _verify(MESSAGE_ID_SALT, ticket + message, domain.lower().rstrip("."), signature):
        raise ForgedReplyAddress(ForgedReplyAddress.SIGNATURE, BAD_SIGNATURE, identifier)
    return uuid.UUID(bytes=ticket)


def _message_ids(value: str | Sequence[str] | None) -> list[str]:
    if not value:
        return []
    text = value if isinstance(value, str) else " ".join(str(v) for v in value)
    # Some clients drop the angle brackets: then every word with an "@" is an identifier.
    return _MESSAGE_ID.findall(text) or [part for part in re.split(r"[\s,]+", text) if "@" in part]


def ticket_from_references(in_reply_to: str | None, references: str | Sequence[str] | None) -> uuid.UUID | None:
    """The ticket our Message-IDs in In-Reply-To or References name, or None when they name none of ours.

    Only identifiers of our form (`hd.` ...) are read; a forged or tampered one raises `ForgedReplyAddress`, even
    next to a valid one, so a made-up header is refused rather than quietly ignored. In-Reply-To wins, then the
    latest of the References. Two valid identifiers naming different tickets are refused as well.
    """
    candidates = [*_message_ids(in_reply_to), *reversed(_message_ids(references))]
    ours = [c for c in candidates if c.lower().startswith(MESSAGE_ID_PREFIX)]
    tickets = [_ticket_from_message_id(identifier) for identifier in ours]
    if len(set(tickets)) > 1:
        raise ForgedReplyAddress(ForgedReplyAddress.SIGNATURE, TWO_TICKETS, " ".join(ours))
    return tickets[0] if tickets else None


# --- Replay protection ----------------------------------------------------------------------------------------


def message_fingerprint(parsed: _Fingerprinted) -> str:
    """What identifies a delivered message, for the caller's record of processed ones (see the module docstring).

    The Message-ID when there is one (hashed past `MAX_FINGERPRINT_CHARS`), else a sha256 of the raw bytes.
    """
    message_id = (parsed.message_id or "").strip()
    if message_id and len(message_id) <= MAX_FINGERPRINT_CHARS:
        return message_id
    if message_id:
        return "sha256:" + hashlib.sha256(message_id.encode("utf-8", "replace")).hexdigest()
    return "sha256:" + parsed.raw_sha256
