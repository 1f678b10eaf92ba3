"""Which files a ticket may carry: checked by their content (magic bytes), never by their name.

`check_attachment(filename, data_or_file)` returns the content type it sniffed, or raises `AttachmentRefused`
with a translated reason for the person who sent it and a machine `code` for logs and tests. Allowed: PDF, PNG,
JPEG, GIF, WebP, plain text (UTF-8 without NULs), CSV, OOXML documents (docx, xlsx, pptx; not the macro-enabled
ones) and ODF documents (odt, ods, odp). Refused: everything else, named above all executables, HTML, SVG and XML
(they can carry scripts), and archives that are not one of those documents. A name whose extension says another
type than the content is refused too (`invoice.pdf` that is a Windows executable).

The zip checks read the central directory only: nothing is decompressed but ODF's tiny `mimetype` entry. The
declared sizes bound a later decompression (by an indexer or a preview), hence the cap on their sum.

`safe_display_name(filename)` is the name to show and to offer on download; the stored file gets a random one.

Settings (defaults in brackets): `HELPDESK_ATTACHMENT_MAX_BYTES` [10 MB], `HELPDESK_ATTACHMENT_MAX_ZIP_ENTRIES`
[2,000], `HELPDESK_ATTACHMENT_MAX_UNCOMPRESSED_BYTES` [100 MB, the sum of a document's declared entry sizes].
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
import zipfile
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
TEXT = "text/plain"
CSV = "text/csv"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# The extensions a name may carry for each type; a name without an extension is accepted.
EXTENSIONS: dict[str, frozenset[str]] = {
    PDF: frozenset({".pdf"}),
    PNG: frozenset({".png"}),
    JPEG: frozenset({".jpg", ".jpeg", ".jpe", ".jfif"}),
    GIF: frozenset({".gif"}),
    WEBP: frozenset({".webp"}),
    TEXT: frozenset({".txt", ".text", ".log", ".md", ".csv", ".tsv"}),
    CSV: frozenset({".csv", ".tsv", ".txt"}),
    DOCX: frozenset({".docx"}),
    XLSX: frozenset({".xlsx"}),
    PPTX: frozenset({".pptx"}),
    ODT: frozenset({".odt"}),
    ODS: frozenset({".ods"}),
    ODP: frozenset({".odp"}),
}
ALLOWED_TYPES = frozenset(EXTENSIONS)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ZIP_ENTRIES = 2_000
DEFAULT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_DISPLAY_NAME = 150

_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE, DOS
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O, both word sizes and byte orders, and universal binaries
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # also Java class files
    b"#!",
    b"\x00asm",
    b"dex\n",
)
_ARCHIVE_MAGIC = (
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",  # zstd
    b"MSCF",  # cabinet
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE: legacy Office files, MSI installers; both carry macros or code
)
# Markup a browser would render, looked for near the start as browsers sniff it.
_MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe", b"<object", b"<a ")
_ODF = {"text": ODT, "spreadsheet": ODS, "presentation": ODP}
_OOXML = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))


class AttachmentRefused(Exception):
    """A file a ticket may not carry; `reason` is for the person who sent it."""

    def __init__(self, reason: str, code: str = "type") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _read(data_or_file: bytes | bytearray | memoryview | BinaryIO, max_bytes: int) -> bytes:
    """At most `max_bytes` + 1 bytes of the content (one more tells it is too large); a file is rewound after."""
    if isinstance(data_or_file, bytes | bytearray | memoryview):
        return bytes(data_or_file[: max_bytes + 1])
    start = data_or_file.tell() if data_or_file.seekable() else None
    data = data_or_file.read(max_bytes + 1)
    if start is not None:
        data_or_file.seek(start)
    return data


def _too_large(max_bytes: int) -> AttachmentRefused:
    return AttachmentRefused(
        gettext("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)}, code="size"
    )


def _forbidden(what: str) -> AttachmentRefused:
    return AttachmentRefused(gettext("Files of this type are not accepted (%(what)s).") % {"what": what})


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_markup(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (head.startswith(b"<") and any(tag in head for tag in _MARKUP)) or b"<script" in data[:4096].lower()


def _looks_like_csv(text: str) -> bool:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines, dialect)}
    return len(widths) == 1 and widths.pop() >= 2


def _sniff_zip(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _forbidden(gettext("an archive")) from None
    with archive:
        entries = archive.infolist()
        if not entries:
            raise _forbidden(gettext("an archive"))
        if len(entries) > _limit("HELPDESK_ATTACHMENT_MAX_ZIP_ENTRIES", DEFAULT_MAX_ZIP_ENTRIES):
            raise _forbidden(gettext("an archive with too many entries"))
        if sum(entry.file_size for entry in entries) > _limit(
            "HELPDESK_ATTACHMENT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES
        ):
            raise AttachmentRefused(gettext("The document expands to too large a size."), code="zip-bomb")
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise _forbidden(gettext("an encrypted archive"))
        names = [entry.filename for entry in entries]
        lowered = [name.lower() for name in names]
        if any(name.endswith("vbaproject.bin") or name.startswith(("basic/", "scripts/")) for name in lowered):
            raise _forbidden(gettext("a document with macros"))
        first = entries[0]
        if first.filename == "mimetype" and first.file_size <= 100 and first.compress_type == zipfile.ZIP_STORED:
            kind = archive.read(first).strip().decode("ascii", "replace")
            prefix = "application/vnd.oasis.opendocument."
            if kind.startswith(prefix) and kind.removeprefix(prefix) in _ODF:
                return _ODF[kind.removeprefix(prefix)]
            raise _forbidden(gettext("an archive"))
        if "[Content_Types].xml" in names:
            for folder, content_type in _OOXML:
                if any(name.startswith(folder) for name in names):
                    return content_type
    raise _forbidden(gettext("an archive"))


def sniff(data: bytes) -> str:
    """The content type of `data` by its first bytes (and a zip's directory), or `AttachmentRefused`."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(_EXECUTABLE_MAGIC):
        raise _forbidden(gettext("a program"))
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if data.startswith((b"PK\x05\x06", b"PK\x07\x08")) or data.startswith(_ARCHIVE_MAGIC):
        raise _forbidden(gettext("an archive"))
    if not data:
        raise AttachmentRefused(gettext("The file is empty."), code="empty")
    if _is_text(data):
        if _looks_like_markup(data):
            raise _forbidden(gettext("a web page or an image with scripts"))
        return CSV if _looks_like_csv(data.decode("utf-8")[:8192]) else TEXT
    raise _forbidden(gettext("unrecognised content"))


def check_attachment(
    filename: str, data_or_file: bytes | bytearray | memoryview | BinaryIO, *, max_bytes: int | None = None
) -> str:
    """The sniffed content type of an attachment that may be kept, or `AttachmentRefused` with the reason.

    `data_or_file` is the content or a binary file (an upload), read from its current position and rewound.
    `max_bytes` defaults to `HELPDESK_ATTACHMENT_MAX_BYTES`.
    """
    if max_bytes is None:
        max_bytes = _limit("HELPDESK_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
    data = _read(data_or_file, max_bytes)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    content_type = sniff(data)
    extension = os.path.splitext(safe_display_name(filename))[1].lower()
    if extension and extension not in EXTENSIONS[content_type]:
        raise AttachmentRefused(
            gettext("The file's name (%(extension)s) does not match its content.") % {"extension": extension},
            code="extension",
        )
    return content_type


def safe_display_name(filename: str, *, max_length: int = MAX_DISPLAY_NAME) -> str:
    """The name to show: no folders, no control or direction-override characters, at most `max_length` characters.

    The extension is kept when the name is shortened; an empty result is "attachment".
    """
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Cc: control characters; Cf: format characters, among them U+202E, which makes "exe.pdf" read "fdp.exe".
    name = "".join(
        " " if char.isspace() else char
        for char in name
        if char.isspace() or unicodedata.category(char) not in {"Cc", "Cf"}
    )
    name = " ".join(name.split()).strip(". ")
    if not name:
        return "attachment"
    if len(name) > max_length:
        stem, extension = os.path.splitext(name)
        extension = extension if len(extension) <= 16 else ""
        name = stem[: max_length - len(extension)].rstrip(". ") + extension
    return name
