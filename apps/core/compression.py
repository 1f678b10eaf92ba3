"""Gzip for pages: one member with a file name of random length in its header (against BREACH, as Django's
GZipMiddleware), deflated by ISA-L, which is several times faster than zlib at a like ratio; its CRC-32 by
ISA-L too (a 70 KB page in a quarter of zlib's time)."""

from __future__ import annotations

import struct
import zlib

from django.utils.text import _get_random_filename
from isal import isal_zlib

# ISA-L's deflate at its level 1: a registry page (44 KB) in 0.06 ms, against 0.3 ms for zlib's fastest level and
# 0.65 ms at Django's level 6 (zlib 6), for a body about the size of zlib's level 1 (8.4 KB; zlib 1: 8.7 KB,
# zlib 6: 7.5 KB). A page is compressed for every request: this was a twentieth of the registry list's time.
PAGE_GZIP_LEVEL = 1
# Magic, deflate, flags (FNAME: the random file name), no modification time, no extra flags, unknown OS.
_GZIP_HEADER = b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff"


def gzip_header(max_random_bytes: int) -> bytes:
    """A gzip member's header with a file name of random length: what django.utils.text.compress_string adds
    against BREACH (GZipMiddleware.max_random_bytes), so that the same page is not the same size twice."""
    return _GZIP_HEADER + _get_random_filename(max_random_bytes) + b"\x00"


def gzip_trailer(crc: int, size: int) -> bytes:
    """A gzip member's trailer: the CRC-32 and the length (modulo 2**32) of the uncompressed data."""
    return struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF)


def gzip_page(content: bytes, max_random_bytes: int) -> bytes:
    """`content` as one gzip member (`gzip_header`), deflated by ISA-L at PAGE_GZIP_LEVEL."""
    deflated = isal_zlib.compress(content, PAGE_GZIP_LEVEL, -zlib.MAX_WBITS)
    return gzip_header(max_random_bytes) + deflated + gzip_trailer(isal_zlib.crc32(content), len(content))
