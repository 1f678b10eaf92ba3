"""A whole page kept in the cache, with one per-request value (the CSRF token) filled in when it is served,
and kept compressed: gzip is most of what serving a cached page costs, and the page cannot be compressed
once for everyone because of that value.

The page is cut at the placeholder; each piece is compressed once, as raw deflate blocks ending on a
byte boundary (Z_SYNC_FLUSH) and referring to nothing before them. Serving compresses only the token and
joins: header, piece, token, piece, ..., a final empty block, and the CRC-32 and length of the whole.
The result is one ordinary gzip stream, as GZipMiddleware would send (with its random-length file name
against BREACH, and a weak ETag).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from apps.core.compression import gzip_header, gzip_trailer

_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_LEVEL = 6  # GZipMiddleware's (django.utils.text.compress_string)
_FINAL_EMPTY_BLOCK = zlib.compressobj(_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS).flush(zlib.Z_FINISH)
# GZipMiddleware.max_random_bytes.
_MAX_RANDOM_BYTES = 100


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


@dataclass(frozen=True)
class CachedPage:
    """A rendered page cut at its placeholders, plain and compressed; picklable, for the cache."""

    pieces: tuple[bytes, ...]
    deflated: tuple[bytes, ...]
    content_type: str

    @classmethod
    def cut(cls, content: bytes, placeholder: str, content_type: str) -> CachedPage:
        pieces = tuple(content.split(placeholder.encode()))
        return cls(pieces, tuple(_deflate(piece) for piece in pieces), content_type)

    def plain(self, value: str) -> bytes:
        return value.encode().join(self.pieces)

    def gzipped(self, value: str) -> bytes:
        token = value.encode()
        token_deflated = _deflate(token)
        parts = [gzip_header(_MAX_RANDOM_BYTES)]
        crc = size = 0
        for number, (piece, deflated) in enumerate(zip(self.pieces, self.deflated, strict=True)):
            if number:
                parts.append(token_deflated)
                crc = zlib.crc32(token, crc)
                size += len(token)
            parts.append(deflated)
            crc = zlib.crc32(piece, crc)
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
