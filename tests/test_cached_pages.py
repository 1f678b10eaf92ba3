"""apps.core.cached_pages: a page compressed once around its per-request value, sent as one gzip stream."""

from __future__ import annotations

import gzip
import zlib

import pytest
from django.test import RequestFactory

from apps.core.cached_pages import CachedPage

PAGE = ("<p>" + "lorem ipsum " * 4000 + "</p>").encode()


@pytest.mark.parametrize(
    "content",
    [PAGE + b"@@" + PAGE[:5000] + b"@@" + b"end", b"@@", b"no placeholder", b"", PAGE + b"@@"],
)
def test_the_spliced_stream_is_the_page_with_the_value_in_place(content):
    page = CachedPage.cut(content, "@@", "text/html")
    expected = content.replace(b"@@", "tökén".encode())
    packed = page.gzipped("tökén")
    assert gzip.decompress(packed) == expected == page.plain("tökén")
    one_stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert one_stream.decompress(packed) == expected and one_stream.eof and not one_stream.unused_data


def test_a_value_longer_than_one_stored_block_is_split_into_several():
    page = CachedPage.cut(b"<a>@@</a>@@", "@@", "text/html")
    value = "v" * 70_000 + "é"  # a stored block holds at most 65,535 bytes
    assert gzip.decompress(page.gzipped(value)) == f"<a>{value}</a>{value}".encode()


def test_the_value_is_sent_as_it_is_and_the_pieces_compressed():
    page = CachedPage.cut(PAGE + b"@@" + PAGE, "@@", "text/html")
    value = "q7Zx" * 16
    packed = page.gzipped(value)
    assert packed.count(value.encode()) == 1 and len(packed) < len(PAGE) / 20


def test_it_is_compressed_and_its_length_varies_against_breach():
    page = CachedPage.cut(PAGE + b"@@", "@@", "text/html")
    lengths = {len(page.gzipped("x")) for _ in range(30)}
    assert max(lengths) < len(PAGE) / 20 and len(lengths) > 1


def test_the_response_is_gzip_only_for_a_client_that_accepts_it():
    page = CachedPage.cut(PAGE + b"@@", "@@", "text/html; charset=utf-8")
    factory = RequestFactory()
    packed = page.response(factory.get("/", headers={"Accept-Encoding": "gzip, deflate"}), "t")
    plain = page.response(factory.get("/"), "t")
    assert packed["Content-Encoding"] == "gzip" and gzip.decompress(packed.content) == PAGE + b"t"
    assert not plain.has_header("Content-Encoding") and plain.content == PAGE + b"t"
    assert plain["Content-Type"] == "text/html; charset=utf-8" and "Accept-Encoding" in plain["Vary"]
