"""Inbound e-mail, read into plain values: who wrote, to which addresses, about what, the reply itself, attachments.

`parse_email(raw)` never trusts the message: it refuses one larger than `max_bytes` before parsing it
(`EmailTooLarge`), refuses one nested deeper than `max_depth` multiparts, with more than `max_parts` parts or more
than `max_attachments` attachments (`EmailRejected`, with a reason to report), decodes every charset with
replacement (an unknown or wrong one falls back to UTF-8, then Windows-1252), and reads malformed headers as best
it can instead of failing. Strings it returns hold no NUL and no lone surrogate (PostgreSQL refuses both).

`text` is the reply only: the plain part of a multipart/alternative (the HTML one, turned to text, when there is no
plain one), without the quoted message (lines starting with ">", the "On ... wrote:" line in English, French,
Spanish, German, Portuguese and Arabic, Outlook's "Original Message" and "From: ... Sent: ..." blocks, Gmail's and
Thunderbird's quote elements in HTML) and without the signature after "-- ". `full_text` keeps everything.

Attachments are returned with their declared type only; `apps.helpdesk.attachments.check_attachment` decides
whether one may be kept. The settings `HELPDESK_MAIL_MAX_BYTES` [25 MB] and `HELPDESK_MAIL_MAX_ATTACHMENTS` [20]
are the defaults of the limits.
"""

from __future__ import annotations

import contextlib
import datetime
import email
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext

from apps.helpdesk.attachments import safe_display_name

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_ATTACHMENTS = 20
DEFAULT_MAX_DEPTH = 8
DEFAULT_MAX_PARTS = 200
MAX_SUBJECT = 500
MAX_REFERENCES = 50
MAX_HEADER_ID = 998  # a header line's limit (RFC 5322)

_SURROGATE = re.compile("[\ud800-\udfff]")
_FOLDING = re.compile(r"[ \t\r\n]+")
_ID = re.compile(r"<[^<>\s]{1,998}>")
_AUTO_PRECEDENCE = {"bulk", "auto_reply", "auto-reply", "list", "junk"}


class EmailRejected(Exception):
    """A message that is not read at all; `reason` says why, for the report."""

    def __init__(self, reason: str, code: str = "rejected") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class EmailTooLarge(EmailRejected):
    pass


class InboundAttachment(NamedTuple):
    filename: str
    content_type: str  # as declared by the sender: check the content before keeping it
    data: bytes


@dataclass
class InboundEmail:
    from_address: str
    from_name: str
    to: list[str]
    cc: list[str]
    delivered_to: list[str]  # Delivered-To and X-Original-To: where the message really arrived
    subject: str
    message_id: str
    in_reply_to: str
    references: list[str]
    date: datetime.datetime | None
    text: str
    full_text: str
    attachments: list[InboundAttachment]
    auto_submitted: bool  # an auto-reply, a bounce or a list mail: never answer it, never open a ticket for it
    raw_sha256: str
    size: int
    defects: list[str] = field(default_factory=list)

    @property
    def recipients(self) -> list[str]:
        """Every address the message was sent to, the envelope's first, without repeats."""
        return list(dict.fromkeys([*self.delivered_to, *self.to, *self.cc]))


# --- Strings --------------------------------------------------------------------------------------------------


def _clean(value: str) -> str:
    """No lone surrogates (the parser's stand-ins for undecodable bytes) and no NULs."""
    if _SURROGATE.search(value):
        try:
            raw = value.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate that stands for no byte (from a UTF-7 or UTF-16 decoding)
            raw = value.encode("utf-8", "replace")
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            value = raw.decode("cp1252", "replace")
    return value.replace("\x00", "")


def _decode_bytes(payload: bytes, charset: str | None) -> str:
    charset = (charset or "").strip().strip('"').lower()
    if charset and charset not in {"us-ascii", "ascii", "unknown-8bit", "x-unknown"}:
        try:
            return payload.decode(charset, "replace")
        except (LookupError, ValueError):
            pass
    # No charset, a plain ASCII label on 8-bit text, or an unknown one: UTF-8 when it is, else Windows-1252.
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("cp1252", "replace")


def _raw_header(message: Message, name: str) -> str:
    """A header's value decoded without the header registry, for the headers it cannot read."""
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            text = value if isinstance(value, str) else str(value)
            try:
                return str(make_header(decode_header(text)))
            except Exception:  # malformed encoded words: keep the text as it came
                return text
    return ""


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
        text = "" if value is None else str(value)
    except Exception:  # the header registry raises on some malformed headers; read them raw
        text = _raw_header(message, name)
    return _clean(_FOLDING.sub(" ", text).strip())


_ADDRESS = re.compile(r"^[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+\.?[^@\s<>,;:\"()\[\]\\]*$")
_ADDRESS_IN_TEXT = re.compile(r"[^@\s<>,;:\"'()\[\]\\]+@[^@\s<>,;:\"'()\[\]\\]+")


def _valid(address: str) -> bool:
    return len(address) <= 320 and bool(_ADDRESS.match(address))


def _addresses(*values: str) -> list[tuple[str, str]]:
    """(name, lower-cased address) pairs of header values; what is not an address is dropped."""
    pairs: list[tuple[str, str]] = []
    for value in values:
        try:
            found = getaddresses([value])
        except Exception:  # a pathological value: the pattern below still finds what it can
            found = []
        found = [(name, address.strip().strip("<>").lower()) for name, address in found]
        found = [(name, address) for name, address in found if _valid(address)]
        if not found:
            # The strict parser gives up on some real-world values (an unterminated quote ...): use the pattern.
            found = [("", match.lower()) for match in _ADDRESS_IN_TEXT.findall(value) if _valid(match.lower())]
        pairs.extend((_clean(name.strip()), _clean(address)) for name, address in found)
    return pairs


def _address_header(message: Message, name: str) -> list[tuple[str, str]]:
    """The (name, lower-cased address) pairs of every `name` header: the header registry's reading when it has
    one, else the raw text's (the registry drops what it cannot parse)."""
    pairs: list[tuple[str, str]] = []
    for value in _header_objects(message, name):
        try:
            found = [(address.display_name, address.addr_spec) for address in value.addresses]
        except Exception:  # not an address header, or one it cannot read
            found = []
        pairs.extend((_clean(n.strip()), _clean(a.strip().lower())) for n, a in found if _valid(a.strip().lower()))
    if not pairs:
        raw = [_clean(_FOLDING.sub(" ", value)) for key, value in _raw_items(message) if key.lower() == name.lower()]
        pairs = _addresses(*raw)
    return pairs


def _raw_items(message: Message) -> list[tuple[str, str]]:
    try:
        return [(key, value if isinstance(value, str) else str(value)) for key, value in message.raw_items()]
    except Exception:  # a header the parser kept as an object it cannot print
        return []


def _header_objects(message: Message, name: str) -> list:
    try:
        return list(message.get_all(name) or [])
    except Exception:  # see _header
        raw = _raw_header(message, name)
        return [raw] if raw else []


def _unique(addresses: list[str]) -> list[str]:
    return list(dict.fromkeys(addresses))


def _first_id(value: str) -> str:
    match = _ID.search(value)
    if match:
        return match.group(0)
    value = value.strip()
    return f"<{value}>" if value and "@" in value and " " not in value and len(value) <= MAX_HEADER_ID else ""


def _date(value: str) -> datetime.datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def _is_auto_submitted(message: Message, from_address: str) -> bool:
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto.split(";")[0].strip() != "no":
        return True
    if any(_header(message, name) for name in ("X-Autoreply", "X-Autorespond", "X-Autogenerated")):
        return True
    if _header(message, "Precedence").lower() in _AUTO_PRECEDENCE:
        return True
    # Bounces: a null return path, a delivery report, a mailer daemon.
    if _header(message, "Return-Path").replace(" ", "") == "<>":
        return True
    if message.get_content_type() == "multipart/report":
        return True
    return from_address.split("@")[0] in {"mailer-daemon", "postmaster"}


# --- HTML to text ---------------------------------------------------------------------------------------------

_BLOCK = {
    "p", "div", "br", "li", "tr", "ul", "ol", "table", "blockquote", "pre", "hr", "section", "article",
    "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "dl", "address",
}  # fmt: skip
_PARAGRAPHS = {"p", "ul", "ol", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}
_DROP = {"script", "style", "head", "title", "template", "noscript", "object", "iframe", "svg"}
# The elements mail clients wrap the quoted message in.
_QUOTE_CLASSES = ("gmail_quote", "gmail_extra", "moz-cite-prefix", "yahoo_quoted", "protonmail_quote")
# Outlook puts the quoted message after these, not inside them: everything from here on is the quote.
_QUOTE_STARTS = {"divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container"}


class _TextExtractor(HTMLParser):
    def __init__(self, *, strip_quotes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.strip_quotes = strip_quotes
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.skip_at: int | None = None
        self.stopped = False
        self.pre = 0
        self.links: list[tuple[int, str, int]] = []  # (stack depth, href, output length at the start)

    def _newline(self, count: int = 1) -> None:
        """End the line (`count` 2: and leave a blank one), unless the output already does."""
        if self.skip_at is not None or self.stopped:
            return
        tail = "".join(self.parts[-3:]).rstrip(" \t")
        missing = count - (len(tail) - len(tail.rstrip("\n")))
        if self.parts and missing > 0:
            self.parts.append("\n" * missing)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stopped:
            return
        if tag in _VOID:
            if tag == "br" and self.skip_at is None:
                self.parts.append("\n")
            elif tag == "hr":
                self._newline()
            return
        self.stack.append(tag)
        if tag == "pre":
            self.pre += 1
        if self.skip_at is not None:
            return
        attributes = {name: (value or "") for name, value in attrs}
        href = attributes.get("href", "").strip()
        if tag == "a" and href.lower().startswith(("http://", "https://")):
            self.links.append((len(self.stack), href, len(self.parts)))
        classes = attributes.get("class", "").lower()
        quote = any(name in classes for name in _QUOTE_CLASSES) or (
            tag == "blockquote" and attributes.get("type", "").lower() == "cite"
        )
        if tag in _DROP or (self.strip_quotes and quote):
            self.skip_at = len(self.stack)
        elif self.strip_quotes and attributes.get("id", "").lower() in _QUOTE_STARTS:
            self.stopped = True
        elif tag in _BLOCK:
            self._newline(2 if tag in _PARAGRAPHS else 1)
            if tag == "li":
                self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        # Close what the author left open inside this element too.
        while self.stack:
            open_tag = self.stack.pop()
            if open_tag == "pre":
                self.pre -= 1
            if self.links and self.links[-1][0] > len(self.stack):
                self._end_link()
            closes_skipped = self.skip_at is not None and len(self.stack) < self.skip_at
            if closes_skipped:
                self.skip_at = None
            if open_tag == tag:
                if not closes_skipped and tag in _BLOCK:
                    self._newline(2 if tag in _PARAGRAPHS else 1)
                return

    def _end_link(self) -> None:
        """A link's address after its text, unless the text already shows it."""
        _depth, href, start = self.links.pop()
        label = "".join(self.parts[start:])
        if self.skip_at is None and not self.stopped and href not in label:
            self.parts.append(f" ({href})" if label.strip() else href)

    def handle_data(self, data: str) -> None:
        if self.skip_at is not None or self.stopped:
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
            if not self.parts or self.parts[-1].endswith("\n"):
                data = data.lstrip(" ")
        if data:
            self.parts.append(data)

    def text(self) -> str:
        lines = [line.rstrip() for line in "".join(self.parts).replace("\xa0", " ").split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str, *, strip_quotes: bool = True) -> str:
    """The text of an HTML body: scripts and styles dropped, a line break for each block; with `strip_quotes`,
    the quoted message of Gmail, Thunderbird, Apple Mail (blockquote type=cite), Yahoo and Outlook left out."""
    extractor = _TextExtractor(strip_quotes=strip_quotes)
    # html.parser is lenient; should it still raise, what was read of the broken markup is kept.
    with contextlib.suppress(Exception):
        extractor.feed(html)
        extractor.close()
    return extractor.text()


# --- Quoted replies and signatures ----------------------------------------------------------------------------

_ATTRIBUTION = [
    re.compile(r"^\s*On\b.{0,400}\bwrote\s*:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^\s*Le\b.{0,400}\ba\s+écrit\s*:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^\s*El\b.{0,400}\bescribió\s*:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^\s*Am\b.{0,400}\bschrieb\b.{0,200}:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^\s*Em\b.{0,400}\bescreveu\s*:\s*$", re.IGNORECASE | re.DOTALL),
    # Arabic: "في <date>، كتب <name>:" or "في <date>، <name> كتب:"; direction marks are removed before matching.
    re.compile(r"^\s*في\s.{0,400}كتب.{0,200}:\s*$", re.DOTALL),
    re.compile(r"^\s*كتب\s.{0,400}:\s*$", re.DOTALL),
]
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(original message|message d'origine|message original|mensaje original|"
    r"ursprüngliche nachricht|mensagem original|الرسالة الأصلية|forwarded message|message transféré|"
    r"mensaje reenviado)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^\s*\**\s*(from|de|von|من)\s*\**\s*:", re.IGNORECASE)
_OUTLOOK_FIELD = re.compile(
    r"^\s*\**\s*(sent|date|envoyé|enviado|enviado el|gesendet|to|à|para|an|subject|objet|asunto|betreff|"
    r"تاريخ الإرسال|التاريخ|أرسل|إلى|الموضوع)\s*\**\s*:",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^\s*_{20,}\s*$")
_DIRECTION_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _is_attribution(lines: list[str], index: int) -> int:
    """How many lines (1 to 3) the "On ... wrote:" line starting at `index` spans, 0 when it is not one."""
    for span in (1, 2, 3):
        if index + span > len(lines):
            break
        joined = " ".join(lines[index : index + span]).translate(_DIRECTION_MARKS)
        if len(joined) <= 600 and any(pattern.match(joined) for pattern in _ATTRIBUTION):
            return span
        if lines[index + span - 1].lstrip().startswith(">"):
            break
    return 0


def _is_outlook_header(lines: list[str], index: int) -> bool:
    if not _OUTLOOK_FROM.match(lines[index]):
        return False
    following = [line for line in lines[index + 1 : index + 6] if line.strip()]
    return sum(1 for line in following if _OUTLOOK_FIELD.match(line)) >= 2


def strip_quoted(text: str) -> str:
    """The reply without the message it quotes and without the signature (see the module docstring)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line in {"-- ", "--"} or _ORIGINAL_MESSAGE.match(line) or _SEPARATOR.match(line):
            break
        if _is_outlook_header(lines, index):
            break
        span = _is_attribution(lines, index)
        if span:
            following = next((next_line for next_line in lines[index + span :] if next_line.strip()), "")
            if not following.lstrip().startswith(">"):
                break  # the quote follows unmarked (top-posting from an HTML client): all of it goes
            index += span  # interleaved or marked quoting: the ">" lines go below, the answers stay
            continue
        if not line.lstrip().startswith(">"):
            kept.append(line.rstrip())
        index += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


# --- The message ----------------------------------------------------------------------------------------------


def _walk(message: Message, *, max_depth: int, max_parts: int) -> list[Message]:
    """Every leaf part, in order; `EmailRejected` past the depth or part limits."""
    leaves: list[Message] = []
    seen = 0
    stack: list[tuple[Message, int]] = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        seen += 1
        if seen > max_parts:
            raise EmailRejected(gettext("The message has too many parts."), code="parts")
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list) and part.get_content_maintype() == "multipart":
            if depth + 1 > max_depth:
                raise EmailRejected(gettext("The message is nested too deeply."), code="depth")
            stack.extend((child, depth + 1) for child in reversed(payload))
        else:
            leaves.append(part)
    return leaves


def _payload_bytes(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding: keep the raw text
        payload = None
    if payload is None:
        raw = part.get_payload()
        if isinstance(raw, list):  # message/rfc822: the enclosed message
            try:
                return b"".join(item.as_bytes() for item in raw if isinstance(item, Message))
            except Exception:
                return b""
        return str(raw or "").encode("utf-8", "surrogateescape")
    return payload


def _text_of(part: Message) -> str:
    try:
        charset = part.get_content_charset()
    except Exception:  # a malformed Content-Type parameter
        charset = None
    return _clean(_decode_bytes(_payload_bytes(part), charset))


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # a malformed RFC 2231 parameter
        name = ""
    return _clean(name)


def _disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return ""


def _is_body_candidate(part: Message) -> bool:
    return (
        part.get_content_type() in {"text/plain", "text/html"}
        and _disposition(part) != "attachment"
        and not _filename(part)
    )


def _body_text(part: Message) -> tuple[str, str]:
    """(everything, the reply only) of a text part."""
    if part.get_content_type() == "text/html":
        html = _text_of(part)
        return html_to_text(html, strip_quotes=False), strip_quoted(html_to_text(html))
    full_text = _text_of(part).replace("\r\n", "\n").replace("\r", "\n")
    try:
        flowed = (part.get_param("format") or "").lower() == "flowed"
        delsp = (part.get_param("delsp") or "").lower() == "yes"
    except Exception:  # a malformed Content-Type parameter: read the text as it is
        flowed = delsp = False
    if flowed:
        full_text = unflow(full_text, delsp=delsp)
    full_text = full_text.strip()
    return full_text, strip_quoted(full_text)


def unflow(text: str, *, delsp: bool = False) -> str:
    """RFC 3676 format=flowed text with its soft line breaks joined (a line ending in a space goes on)."""
    lines: list[str] = []
    carry: tuple[str, str] | None = None  # (quote marks, text so far) of a paragraph still flowing
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        marks, content = line[:depth], line[depth:]
        content = content.removeprefix(" ")  # space-stuffing
        if carry is not None and carry[0] == marks:
            content = carry[1] + content
        elif carry is not None:
            lines.append(_quoted(*carry))
        carry = None
        if content.endswith(" ") and content != "-- ":
            carry = (marks, content[:-1] if delsp else content)
        else:
            lines.append(_quoted(marks, content))
    if carry is not None:
        lines.append(_quoted(*carry))
    return "\n".join(lines)


def _quoted(marks: str, content: str) -> str:
    return f"{marks} {content}" if marks else content


def _choose_body(message: Message, leaves: list[Message]) -> Message | None:
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # fall back to the first text part
        body = None
    if body is not None and not body.is_multipart():
        return body
    candidates = [leaf for leaf in leaves if _is_body_candidate(leaf)]
    plain = [leaf for leaf in candidates if leaf.get_content_type() == "text/plain"]
    return (plain or candidates or [None])[0]


def _attachment(part: Message, number: int) -> InboundAttachment:
    content_type = part.get_content_type()
    filename = _filename(part)
    if not filename:
        extension = ".eml" if content_type == "message/rfc822" else (mimetypes.guess_extension(content_type) or "")
        filename = f"attachment-{number}{extension}"
    return InboundAttachment(safe_display_name(filename), content_type, _payload_bytes(part))


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def parse_email(
    raw: bytes,
    *,
    max_bytes: int | None = None,
    max_attachments: int | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_parts: int = DEFAULT_MAX_PARTS,
) -> InboundEmail:
    """Read a raw RFC 5322 message (see the module docstring); `EmailTooLarge` or `EmailRejected` when refused."""
    max_bytes = _limit("HELPDESK_MAIL_MAX_BYTES", DEFAULT_MAX_BYTES) if max_bytes is None else max_bytes
    if max_attachments is None:
        max_attachments = _limit("HELPDESK_MAIL_MAX_ATTACHMENTS", DEFAULT_MAX_ATTACHMENTS)
    if len(raw) > max_bytes:
        raise EmailTooLarge(gettext("The message is larger than the limit."), code="size")

    message = email.message_from_bytes(raw, policy=policy.default)
    defects = [type(defect).__name__ for defect in getattr(message, "defects", [])]

    senders = _address_header(message, "From")[:1] or _address_header(message, "Sender")[:1]
    from_name, from_address = senders[0] if senders else ("", "")

    leaves = _walk(message, max_depth=max_depth, max_parts=max_parts)
    body = _choose_body(message, leaves)
    attachment_parts = [
        leaf
        for leaf in leaves
        if leaf is not body and not (_is_body_candidate(leaf) or leaf.get_content_maintype() == "multipart")
    ]
    if len(attachment_parts) > max_attachments:
        raise EmailRejected(gettext("The message has too many attachments."), code="attachments")

    full_text, text = _body_text(body) if body is not None else ("", "")
    if not full_text and body is not None and body.get_content_type() == "text/plain":
        # Some clients send an empty plain alternative next to the real, HTML, one.
        html = next(
            (leaf for leaf in leaves if leaf.get_content_type() == "text/html" and _is_body_candidate(leaf)), None
        )
        full_text, text = _body_text(html) if html is not None else ("", "")

    delivered = [*_address_header(message, "Delivered-To"), *_address_header(message, "X-Original-To")]
    return InboundEmail(
        from_address=from_address,
        from_name=from_name,
        to=_unique([address for _name, address in _address_header(message, "To")]),
        cc=_unique([address for _name, address in _address_header(message, "Cc")]),
        delivered_to=_unique([address for _name, address in delivered]),
        subject=_header(message, "Subject")[:MAX_SUBJECT],
        message_id=_first_id(_header(message, "Message-ID")),
        in_reply_to=_first_id(_header(message, "In-Reply-To")),
        references=_ID.findall(_header(message, "References"))[-MAX_REFERENCES:],
        date=_date(_header(message, "Date")),
        text=text,
        full_text=full_text,
        attachments=[_attachment(part, number) for number, part in enumerate(attachment_parts, start=1)],
        auto_submitted=_is_auto_submitted(message, from_address),
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        defects=defects,
    )
