"""The secret of a calendar address: `<the token's id, 32 hex digits><a random secret>`.

The id finds the row (by its primary key, so the feed's look-up across tenants is one index read); the secret
proves the address was handed out, and only its SHA-256 is stored, so a copy of the database gives no working
address. 256 random bits need no slow hash: there is nothing to guess.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

SECRET_BYTES = 32
ID_LENGTH = 32  # uuid.hex


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), secret_hash)


def join(token_id: uuid.UUID, secret: str) -> str:
    return token_id.hex + secret


def split(token: str) -> tuple[uuid.UUID, str] | None:
    """The id and secret of an address's token; None when it cannot be one."""
    if len(token) <= ID_LENGTH or len(token) > ID_LENGTH + 64:
        return None
    try:
        token_id = uuid.UUID(hex=token[:ID_LENGTH])
    except ValueError:
        return None
    if token_id.hex != token[:ID_LENGTH]:  # uuid accepts upper case and braces; the address has one spelling
        return None
    return token_id, token[ID_LENGTH:]
