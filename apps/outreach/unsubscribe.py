"""Signed unsubscribe links: they work without signing in, in the tenant they were made for.

The token names the tenant and the delivery (not the MSME), signed with a salt of its own so that no other
signed value of the portal (a survey link, a session) can be replayed here. A forged, altered or expired
token reads as None, exactly like one whose delivery no longer exists: the page cannot tell an outsider
whether an MSME exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from apps.outreach.links import absolute_url

SALT = "outreach.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeClaim:
    tenant_id: int
    delivery_id: str  # "" for a test message: the link works but changes nothing


def make_token(*, tenant_id: int, delivery_id: str) -> str:
    return signing.dumps({"t": tenant_id, "d": delivery_id}, salt=SALT, compress=True)


# Stands for the token in the URL reversed once per batch (`unsubscribe_urls`): a token is URL-safe base64,
# ":" and ".", which `reverse()` writes as they are, so the URL is this one with the token put in its place.
_TOKEN_SLOT = "TOKEN"


def read_token(token: str) -> UnsubscribeClaim | None:
    max_age = settings.OUTREACH_UNSUBSCRIBE_MAX_AGE_DAYS * 24 * 60 * 60
    try:
        data = signing.loads(token[:1000], salt=SALT, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("t"), int) or not isinstance(data.get("d"), str):
        return None
    return UnsubscribeClaim(tenant_id=data["t"], delivery_id=data["d"])


def unsubscribe_url(*, tenant_id: int, delivery_id: str) -> str:
    token = make_token(tenant_id=tenant_id, delivery_id=delivery_id)
    return absolute_url(reverse("outreach:unsubscribe", args=[token]))


def unsubscribe_urls(*, tenant_id: int) -> Callable[[str], str]:
    """`unsubscribe_url(tenant_id=tenant_id, delivery_id=·)` for the many deliveries of a batch: the URL is
    reversed once and one signer signs every token."""
    before, after = absolute_url(reverse("outreach:unsubscribe", args=[_TOKEN_SLOT])).rsplit(_TOKEN_SLOT, 1)
    signer = signing.TimestampSigner(salt=SALT)

    def url(delivery_id: str) -> str:
        token = signer.sign_object({"t": tenant_id, "d": delivery_id}, compress=True)
        return f"{before}{token}{after}"

    return url
