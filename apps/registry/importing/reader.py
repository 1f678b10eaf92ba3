"""Reading an import file as a stream of (line number, {column: text}) rows.

CSV in UTF-8 (with or without BOM) or Latin-1/Windows-1252, comma, semicolon or tab separated;
or XLSX (first sheet). Rows are produced one at a time, so memory stays flat as files grow.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

_CHUNK = 1 << 16
_MB = 1024 * 1024


class FileRejected(ValueError):
    """The whole file is refused before anything is touched (encoding, header, format)."""


@dataclass
class RowSource:
    header: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]
    encoding: str | None = None
    delimiter: str | None = None


def upload_size_error(size: int) -> str | None:
    """Why a file of `size` bytes cannot be imported (over IMPORT_MAX_UPLOAD_MB), or None.

    The page, the API and the command ask before the file is stored or read.
    """
    limit = settings.IMPORT_MAX_UPLOAD_MB
    if size <= limit * _MB:
        return None
    return _("The file is %(size).1f MB; at most %(max)d MB can be imported at once: split it into smaller files.") % {
        "size": size / _MB,
        "max": limit,
    }


def _detect_encoding(stream: BinaryIO) -> str:
    start = stream.read(4)
    stream.seek(0)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected(_("The file is UTF-16: save it as UTF-8 CSV (or XLSX) and try again."))
    # One streaming pass: is the whole file valid UTF-8? Otherwise it is Windows-1252/Latin-1.
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    stream.seek(0)
    if encoding == "cp1252":
        # cp1252 leaves five bytes undefined; Latin-1 decodes every byte.
        decoder = codecs.getincrementaldecoder("cp1252")()
        try:
            while chunk := stream.read(_CHUNK):
                decoder.decode(chunk)
        except UnicodeDecodeError:
            encoding = "latin-1"
        stream.seek(0)
    return encoding


def _detect_delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _normalise_header(cells: list[str]) -> list[str]:
    if len(cells) > settings.IMPORT_MAX_COLUMNS:
        raise FileRejected(
            _("The header row has more than %(max)d columns: an import file has at most %(max)d.")
            % {"max": settings.IMPORT_MAX_COLUMNS}
        )
    return [cell.replace("\x00", "").strip().lower() for cell in cells]  # PostgreSQL text cannot hold NUL


def _too_many_rows() -> FileRejected:
    return FileRejected(
        _("The file has more than %(max)s rows: split it into files of at most %(max)s rows.")
        % {"max": f"{settings.IMPORT_MAX_ROWS:,}"}
    )


def _read_csv(stream: BinaryIO) -> RowSource:
    encoding = _detect_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    first_line = text.readline()
    if not first_line.strip():
        raise FileRejected(_("The file is empty: it needs a header row and at least one row of data."))
    delimiter = _detect_delimiter(first_line)
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = _normalise_header(next(reader))
    except csv.Error as exc:
        raise FileRejected(_("The header row cannot be read: %(error)s") % {"error": exc}) from exc

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            yield from _csv_rows(reader, header)
        finally:
            text.detach()  # the caller's stream stays open (the import reads it twice)

    return RowSource(header=header, rows=rows(), encoding=encoding, delimiter=delimiter)


def _csv_rows(reader: Any, header: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    width, limit, count = len(header), settings.IMPORT_MAX_ROWS, 0
    line = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num
            yield line, {"__error__": str(exc)}
            continue
        finally:
            count += 1  # blank rows and unreadable ones count too: each one costs reading
        if count > limit:
            raise _too_many_rows()
        line, start = reader.line_num, line + 1
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) != width:
            yield (
                start,
                {
                    "__error__": _("%(found)d cells where the header has %(expected)d")
                    % {"found": len(cells), "expected": width}
                },
            )
            continue
        yield start, dict(zip(header, cells, strict=True))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _readable(rows: Iterator[tuple[object, ...]]) -> Iterator[tuple[object, ...]]:
    """The sheet's rows; a damaged sheet (bad XML inside the zip) is a FileRejected, not a crash."""
    try:
        yield from rows
    except Exception as exc:
        raise FileRejected(_("The file is not a readable XLSX workbook.")) from exc


def _check_zip(stream: BinaryIO) -> None:
    """Refuse a workbook whose parts would unpack too large (a zip bomb), reading only the zip's directory.

    The sizes are the ones the directory declares: zipfile stops each part there (and then fails on
    its checksum), so a part cannot unpack larger than declared.
    """
    try:
        archive = zipfile.ZipFile(stream)
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected(_("The file is not a readable XLSX workbook.")) from exc
    ratio = settings.IMPORT_MAX_XLSX_RATIO
    packed_oddly = any(part.file_size > _MB and part.file_size > ratio * max(part.compress_size, 1) for part in parts)
    if packed_oddly or sum(part.file_size for part in parts) > settings.IMPORT_MAX_XLSX_UNPACKED_MB * _MB:
        raise FileRejected(
            _(
                "The workbook would unpack to more than %(max)d MB, or is packed suspiciously small: "
                "save it again as XLSX or CSV."
            )
            % {"max": settings.IMPORT_MAX_XLSX_UNPACKED_MB}
        )
    stream.seek(0)


def _read_xlsx(stream: BinaryIO) -> RowSource:
    from openpyxl import load_workbook

    _check_zip(stream)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook fails inside openpyxl in many ways (e.g. a chartsheet)
        raise FileRejected(_("The file is not a readable XLSX workbook.")) from exc
    if not workbook.worksheets:
        raise FileRejected(_("The file is empty: it needs a header row and at least one row of data."))
    sheet = workbook.worksheets[0]
    # The sheet's declared size (<dimension ref="A1:XFD1048576"/>) is not trusted: read-only openpyxl would
    # pad every row to it. Rows are read as wide as the header (plus one column, to notice cells beyond it).
    sheet.reset_dimensions()
    first = _readable(sheet.iter_rows(max_row=1, max_col=settings.IMPORT_MAX_COLUMNS + 1, values_only=True))
    cells = list(next(first, ()))
    while cells and cells[-1] in (None, ""):  # iter_rows pads the row to max_col
        cells.pop()
    header = _normalise_header([_cell_text(v) for v in cells])
    while header and header[-1] == "":
        header.pop()
    if not header:
        raise FileRejected(_("The file is empty: it needs a header row and at least one row of data."))
    width = len(header)
    iterator = _readable(sheet.iter_rows(min_row=2, max_col=width + 1, values_only=True))

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        limit = settings.IMPORT_MAX_ROWS
        for line, values in enumerate(iterator, start=2):
            if line - 1 > limit:  # rows missing from the sheet count too: openpyxl yields them empty
                raise _too_many_rows()
            cells = [_cell_text(v) for v in values[:width]]
            cells += [""] * (width - len(cells))
            extra = [v for v in values[width:] if v not in (None, "")]
            if not any(cell.strip() for cell in cells) and not extra:
                continue
            if extra:
                yield line, {"__error__": _("cells beyond the last header column")}
                continue
            yield line, dict(zip(header, cells, strict=True))
        workbook.close()

    return RowSource(header=header, rows=rows())


def unpacked_size(stream: BinaryIO, file_name: str) -> int:
    """The bytes an import reads: a CSV's size, or what an XLSX's parts declare they unpack to (its zip
    directory, read without unpacking). A file that cannot be measured counts as large."""
    try:
        stream.seek(0)
        if stream.read(4) != b"PK\x03\x04" and not file_name.lower().endswith((".xlsx", ".xlsm")):
            stream.seek(0, io.SEEK_END)
            return stream.tell()
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            return sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return 1 << 62
    finally:
        stream.seek(0)


def may_exceed_rows(stream: BinaryIO, file_name: str) -> bool:
    """Whether the file may have more than IMPORT_MAX_ROWS rows: a CSV with fewer line breaks cannot
    (a quick count of bytes); an XLSX may, until it is read."""
    head = stream.read(4)
    stream.seek(0)
    if file_name.lower().endswith((".xlsx", ".xlsm")) or head == b"PK\x03\x04":
        return True
    breaks = 0
    while chunk := stream.read(_CHUNK):
        # LF, CRLF or CR alone (a CRLF split between chunks counts twice: the bound stays safe)
        breaks += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
    stream.seek(0)
    return breaks > settings.IMPORT_MAX_ROWS


def open_rows(stream: BinaryIO, file_name: str) -> RowSource:
    """Open an import file; raises FileRejected when it cannot be read at all."""
    head = stream.read(4)
    stream.seek(0)
    if file_name.lower().endswith((".xlsx", ".xlsm")) or head == b"PK\x03\x04":
        return _read_xlsx(stream)
    if file_name.lower().endswith(".xls"):
        raise FileRejected(_("Old .xls workbooks are not supported: save the file as XLSX or CSV."))
    return _read_csv(stream)
