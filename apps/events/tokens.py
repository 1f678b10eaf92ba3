"""The signed link of a feedback request: it names the registration and its tenant, needs no sign-in, and
expires. A forged, altered or expired link reads as nothing, the same whether or not the registration
exists (no oracle)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "events.feedback"
# Long enough for a course's participants to answer after its last session.
MAX_AGE_SECONDS = 60 * 24 * 60 * 60


@dataclass(frozen=True)
class FeedbackClaim:
    tenant_id: int
    registration_id: str


def feedback_token(*, tenant_id: int, registration_id: str) -> str:
    return signing.dumps([tenant_id, str(registration_id)], salt=SALT, compress=True)


def read_feedback_token(token: str) -> FeedbackClaim | None:
    if len(token) > 300:
        return None
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        return None
    return FeedbackClaim(tenant_id=value[0], registration_id=value[1])
