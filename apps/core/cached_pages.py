"""A whole page kept in the cache, with one per-request value (the CSRF token) filled in when it is served,
and kept compressed: gzip is most of what serving a cached page costs, and the page cannot be compressed
once for everyone because of that value.

The page is cut at the placeholder; each piece is compressed once, as raw deflate blocks ending on a
byte boundary (Z_SYNC_FLUSH) and referring to nothing before them, and its CRC-32 is kept. Serving joins:
header, piece, token, piece, ..., a final empty block, and the CRC-32 and length of the whole, combined
from the pieces' and the token's without reading the page again. The token goes in as a stored
(uncompressed) block: it is random, so deflating it would save a few bytes and cost a compressor. The
result is one ordinary gzip stream, as GZipMiddleware would send (with its random-length file name
against BREACH, and a weak ETag).
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from isal import isal_zlib

from apps.core.compression import gzip_header, gzip_trailer

_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_LEVEL = 6  # GZipMiddleware's (django.utils.text.compress_string)
_FINAL_EMPTY_BLOCK = zlib.compressobj(_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS).flush(zlib.Z_FINISH)
# GZipMiddleware.max_random_bytes.
_MAX_RANDOM_BYTES = 100


# A stored block holds at most this many bytes (its length is 16 bits).
_STORED_BLOCK_MAX = 0xFFFF


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def _stored(data: bytes) -> bytes:
    """`data` as deflate stored blocks, none of them final (RFC 1951, 3.2.4): each a zero byte (not final,
    type 00, padding), its length and the length's complement, then the bytes. They start on a byte
    boundary, as every piece ends on one."""
    blocks = []
    for start in range(0, len(data), _STORED_BLOCK_MAX):
        chunk = data[start : start + _STORED_BLOCK_MAX]
        blocks += [struct.pack("<BHH", 0, len(chunk), len(chunk) ^ 0xFFFF), chunk]
    return b"".join(blocks)


@dataclass(frozen=True)
class CachedPage:
    """A rendered page cut at its placeholders, plain and compressed; picklable, for the cache."""

    pieces: tuple[bytes, ...]
    deflated: tuple[bytes, ...]
    crcs: tuple[int, ...]
    content_type: str

    @classmethod
    def cut(cls, content: bytes, placeholder: str, content_type: str) -> CachedPage:
        pieces = tuple(content.split(placeholder.encode()))
        deflated = tuple(_deflate(piece) for piece in pieces)
        return cls(pieces, deflated, tuple(isal_zlib.crc32(piece) for piece in pieces), content_type)

    def plain(self, value: str) -> bytes:
        return value.encode().join(self.pieces)

    def gzipped(self, value: str) -> bytes:
        token = value.encode()
        token_stored, token_crc = _stored(token), isal_zlib.crc32(token)
        parts = [gzip_header(_MAX_RANDOM_BYTES)]
        crc = size = 0  # the CRC-32 of nothing is 0
        for number, (piece, deflated, piece_crc) in enumerate(zip(self.pieces, self.deflated, self.crcs, strict=True)):
            if number:
                parts.append(token_stored)
                crc = isal_zlib.crc32_combine(crc, token_crc, len(token))
                size += len(token)
            parts.append(deflated)
            crc = isal_zlib.crc32_combine(crc, piece_crc, len(piece))
            size += len(piece)
        parts += [_FINAL_EMPTY_BLOCK, gzip_trailer(crc, size)]
        return b"".join(parts)

    def response(self, request: HttpRequest, value: str) -> HttpResponse:
        """The page with `value` in place of the placeholder, compressed when the client accepts gzip."""
        gzip_it = _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
        response = HttpResponse(self.gzipped(value) if gzip_it else self.plain(value), content_type=self.content_type)
        if gzip_it:
            response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves an encoded answer as it is
        patch_vary_headers(response, ["Accept-Encoding"])
        return response
