"""A first visit's CSRF secret from one read of the system's random source.

Django draws each of a new CSRF secret's 32 characters with a call of its own to `os.urandom`
(`django.utils.crypto.get_random_string`). A page served whole from the cache to first visits
(apps.guidance.page_cache) does little else, and those 32 calls (60 µs, against 5 µs for one) were a
twentieth of its time. `csrf_token`
draws the same kind of secret (32 characters of Django's alphabet, each equally likely) from one call,
puts it where CsrfViewMiddleware puts the secret of a visitor's cookie, and leaves the rest to Django's
`get_token`: the token's mask, the cookie and its renewal.
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

# Bytes at or above the largest multiple of the alphabet's size are dropped, so that no character is likelier.
_ACCEPTED_BELOW = 256 - 256 % len(CSRF_ALLOWED_CHARS)
# Enough bytes that one draw almost always gives the whole secret (each byte is kept with p = 248/256).
_BYTES_PER_DRAW = CSRF_SECRET_LENGTH + 8


def new_csrf_secret() -> str:
    """A secret such as Django's `_get_new_csrf_string` gives: CSRF_SECRET_LENGTH characters of CSRF_ALLOWED_CHARS."""
    alphabet, size = CSRF_ALLOWED_CHARS, len(CSRF_ALLOWED_CHARS)
    chars: list[str] = []
    while len(chars) < CSRF_SECRET_LENGTH:
        chars += [alphabet[byte % size] for byte in secrets.token_bytes(_BYTES_PER_DRAW) if byte < _ACCEPTED_BELOW]
    return "".join(chars[:CSRF_SECRET_LENGTH])


def csrf_token(request: HttpRequest) -> str:
    """Django's `get_token(request)`: the visitor's own secret when their cookie has one, else a new one
    (from `new_csrf_secret`), which the response then sets as their cookie."""
    if "CSRF_COOKIE" not in request.META:
        request.META["CSRF_COOKIE"] = new_csrf_secret()
    return get_token(request)
