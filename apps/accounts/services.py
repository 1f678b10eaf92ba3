"""Account services: API tokens."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import ApiToken, User, hash_token_key
from apps.tenants.models import Membership

TOKEN_PREFIX_LENGTH = 8
# last_used_at is written at most this often, so that every API call is not a write.
_LAST_USED_RESOLUTION = timedelta(minutes=5)


@transaction.atomic
def api_token_create(*, user: User, membership: Membership | None, name: str) -> tuple[ApiToken, str]:
    """Make a token; returns it and its key, which is shown once and never stored."""
    if membership is not None and membership.user_id != user.pk:
        raise ValueError("A token can only act in one of its user's own memberships.")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        membership=membership,
        name=name.strip(),
        prefix=key[:TOKEN_PREFIX_LENGTH],
        key_hash=hash_token_key(key),
    )
    return token, key


def api_token_revoke(*, user: User, token_id: str) -> bool:
    """Revoke one of the user's tokens; False if there is no such active token."""
    updated = ApiToken.objects.filter(user=user, id=token_id, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return updated == 1


def api_token_authenticate(key: str) -> ApiToken | None:
    """The active token whose key this is, with its user and membership; None when there is none."""
    if len(key) < TOKEN_PREFIX_LENGTH:
        return None
    key_hash = hash_token_key(key)
    candidates = ApiToken.objects.select_related("user", "membership__tenant").filter(
        prefix=key[:TOKEN_PREFIX_LENGTH], revoked_at__isnull=True, user__is_active=True
    )
    for token in candidates:
        if hmac.compare_digest(token.key_hash, key_hash):
            now = timezone.now()
            if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
                token.last_used_at = now
            return token
    return None
