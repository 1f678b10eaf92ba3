"""Attachments are judged by their content: the allowed types pass, programs, markup, archives, zip bombs and names
that lie about the content are refused, and too large a file is refused before it is sniffed."""

from __future__ import annotations

import io
import zipfile

import pytest

from apps.helpdesk import attachments
from apps.helpdesk.attachments import AttachmentRefused, check_attachment, safe_display_name

# The smallest PDF readers open: one empty page, with a correct cross-reference table.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n166\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
PE_EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def _zip(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(entries):
            compression = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


CONTENT_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',)
DOCX = _zip([("[Content_Types].xml", CONTENT_TYPES[0]), ("_rels/.rels", b"<r/>"), ("word/document.xml", b"<w/>")])
XLSX = _zip([("[Content_Types].xml", CONTENT_TYPES[0]), ("xl/workbook.xml", b"<x/>")])
PPTX = _zip([("[Content_Types].xml", CONTENT_TYPES[0]), ("ppt/presentation.xml", b"<p/>")])
ODT = _zip(
    [("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<c/>")],
    stored_first=True,
)
ODS = _zip(
    [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", b"<c/>")],
    stored_first=True,
)


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        ("report.pdf", MINIMAL_PDF, attachments.PDF),
        ("scan", MINIMAL_PDF, attachments.PDF),  # no extension: the content decides
        ("logo.png", PNG, attachments.PNG),
        ("photo.JPG", JPEG, attachments.JPEG),
        ("photo.jpeg", JPEG, attachments.JPEG),
        ("anim.gif", GIF, attachments.GIF),
        ("picture.webp", WEBP, attachments.WEBP),
        ("notes.txt", "Bonjour, voici ma question : marque déposée ?\n".encode(), attachments.TEXT),
        ("arabic.txt", "مرحبا، لدي سؤال عن العلامة التجارية\n".encode(), attachments.TEXT),
        ("figures.csv", b"name,country,filings\nAcme,KE,3\nBeta,GH,5\n", attachments.CSV),
        ("figures.csv", b"just one line of text\n", attachments.TEXT),
        ("letter.docx", DOCX, attachments.DOCX),
        ("sheet.xlsx", XLSX, attachments.XLSX),
        ("slides.pptx", PPTX, attachments.PPTX),
        ("letter.odt", ODT, attachments.ODT),
        ("sheet.ods", ODS, attachments.ODS),
    ],
)
def test_allowed_types_are_recognised_by_content(filename, content, expected):
    assert check_attachment(filename, content, max_bytes=1024 * 1024) == expected


def _refused(filename: str, content: bytes, **kwargs) -> AttachmentRefused:
    with pytest.raises(AttachmentRefused) as refused:
        check_attachment(filename, content, max_bytes=kwargs.pop("max_bytes", 1024 * 1024), **kwargs)
    assert str(refused.value.reason)
    return refused.value


def test_an_executable_renamed_pdf_is_refused():
    assert _refused("invoice.pdf", PE_EXECUTABLE).code == "type"


@pytest.mark.parametrize(
    "content",
    [
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 32,
        b"\xcf\xfa\xed\xfe\x07\x00\x00\x01",
        b"#!/bin/sh\nrm -rf ~\n",
        b"\x00asm\x01\x00\x00\x00",
    ],
)
def test_other_programs_are_refused(content):
    assert _refused("file.txt", content).code == "type"


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body>hi</body></html>",
        b"  \n<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"Dear team,\nplease see <script>alert(document.cookie)</script>\n",
    ],
)
def test_markup_that_can_carry_scripts_is_refused_whatever_the_name(content):
    assert _refused("notes.txt", content).code == "type"


@pytest.mark.parametrize(
    "content",
    [
        b"Rar!\x1a\x07\x01\x00",
        b"7z\xbc\xaf\x27\x1c\x00\x04",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32,  # a legacy .doc or an .msi
        _zip([("readme.txt", b"hello"), ("setup.exe", PE_EXECUTABLE)]),
        _zip([("[Content_Types].xml", CONTENT_TYPES[0]), ("other/thing.xml", b"<t/>")]),
        _zip([("mimetype", b"application/x-something-else"), ("content.xml", b"<c/>")], stored_first=True),
        b"PK\x05\x06" + b"\x00" * 18,  # an empty zip
        b"PK\x03\x04 this is not really a zip",
    ],
)
def test_archives_that_are_not_documents_are_refused(content):
    assert _refused("letter.docx", content).code == "type"


def test_a_macro_enabled_office_document_is_refused():
    docm = _zip(
        [("[Content_Types].xml", CONTENT_TYPES[0]), ("word/document.xml", b"<w/>"), ("word/vbaProject.bin", b"\0")]
    )
    refused = _refused("letter.docx", docm)
    assert refused.code == "type"
    assert "macro" in str(refused.reason)


def test_an_encrypted_archive_is_refused():
    data = bytearray(DOCX)
    # Set the "encrypted" flag of the first entry in the central directory, which is what a reader trusts.
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0].flag_bits & 0x1
    assert "encrypted" in str(_refused("letter.docx", bytes(data)).reason)


def test_a_zip_bomb_is_refused_by_its_declared_sizes(settings):
    settings.HELPDESK_ATTACHMENT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    bomb = _zip([("[Content_Types].xml", CONTENT_TYPES[0]), ("word/document.xml", b"\0" * (2 * 1024 * 1024))])
    assert len(bomb) < 10 * 1024  # it is small on the wire
    assert _refused("letter.docx", bomb).code == "zip-bomb"


def test_a_document_with_too_many_entries_is_refused(settings):
    settings.HELPDESK_ATTACHMENT_MAX_ZIP_ENTRIES = 10
    many = _zip([("[Content_Types].xml", CONTENT_TYPES[0])] + [(f"word/part{n}.xml", b"<w/>") for n in range(10)])
    assert "too many entries" in str(_refused("letter.docx", many).reason)
    settings.HELPDESK_ATTACHMENT_MAX_ZIP_ENTRIES = 11
    assert check_attachment("letter.docx", many, max_bytes=1024 * 1024) == attachments.DOCX


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("invoice.exe", MINIMAL_PDF),
        ("photo.png", JPEG),
        ("page.html", b"plain words only\n"),
        ("image.svg", PNG),
        ("letter.doc", DOCX),
        ("sheet.xlsx", DOCX),
        ("archive.zip", DOCX),
    ],
)
def test_a_name_that_contradicts_the_content_is_refused(filename, content):
    assert _refused(filename, content).code == "extension"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"text with a \x00 NUL in it",
        "caf\u00e9 en latin-1".encode("latin-1"),
        b"\x00\x01\x02\x03 random binary",
    ],
)
def test_empty_binary_or_non_utf8_content_is_refused(content):
    _refused("notes.txt", content)


def test_too_large_is_refused_before_sniffing():
    refused = _refused("report.pdf", MINIMAL_PDF + b"\n" * 200, max_bytes=len(MINIMAL_PDF))
    assert refused.code == "size"
    # An executable that is too large is refused for its size: nothing past the limit is read.
    assert _refused("a.pdf", PE_EXECUTABLE, max_bytes=10).code == "size"


def test_the_default_limit_comes_from_the_settings(settings):
    settings.HELPDESK_ATTACHMENT_MAX_BYTES = 100
    assert check_attachment("report.txt", b"x" * 100) == attachments.TEXT
    with pytest.raises(AttachmentRefused) as refused:
        check_attachment("report.txt", b"x" * 101)
    assert refused.value.code == "size"
    assert "100" in str(refused.value.reason)


def test_the_default_limit_is_ten_megabytes():
    assert attachments.DEFAULT_MAX_BYTES == 10 * 1024 * 1024
    with pytest.raises(AttachmentRefused) as refused:
        check_attachment("big.txt", b"a" * (10 * 1024 * 1024 + 1))
    assert refused.value.code == "size"


def test_a_file_object_is_read_and_rewound():
    upload = io.BytesIO(b"prefix" + MINIMAL_PDF)
    upload.seek(6)
    assert check_attachment("report.pdf", upload, max_bytes=1024) == attachments.PDF
    assert upload.tell() == 6
    with pytest.raises(AttachmentRefused):
        check_attachment("report.pdf", upload, max_bytes=10)
    assert upload.tell() == 6


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\amina\\Desktop\\facture.pdf", "facture.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # the right-to-left override is gone
        ("line\nbreak\r\tname.txt", "line break name.txt"),
        ("bell\x07\x00.txt", "bell.txt"),
        ("...hidden", "hidden"),
        ("", "attachment"),
        ("/", "attachment"),
        ("  spaced   out  .pdf", "spaced out .pdf"),
        ("brevet d\u2019invention.pdf", "brevet d\u2019invention.pdf"),
        ("\u0639\u0644\u0627\u0645\u0629.pdf", "\u0639\u0644\u0627\u0645\u0629.pdf"),
    ],
)
def test_safe_display_name(filename, expected):
    assert safe_display_name(filename) == expected


def test_a_long_name_is_shortened_keeping_its_extension():
    name = safe_display_name("a" * 400 + ".pdf")
    assert len(name) == attachments.MAX_DISPLAY_NAME
    assert name.endswith("a.pdf")
    assert len(safe_display_name("b" * 400)) == attachments.MAX_DISPLAY_NAME


def test_a_django_upload_is_checked_and_left_readable():
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("facture.pdf", MINIMAL_PDF, content_type="text/html")  # the declared type is ignored
    assert check_attachment(upload.name, upload, max_bytes=1024) == attachments.PDF
    assert upload.read() == MINIMAL_PDF
