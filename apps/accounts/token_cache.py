"""A used API token from the cache: the look-up every API call makes first, without its query.

Checking a token costs a query with two joins (its user, its membership and tenant) and building three
objects: a millisecond, a fifth of an API list's time. An entry is the token exactly as that query returned
it (with its user, membership and tenant), under the hash of its key; it is used only when its hash still
matches and it is still usable now (not revoked, not expired, its user active, its agency active), and
lives at most until its `last_used_at` is due to be written again.

Invalidation follows apps.tenants.signed_in, whose rules it shares: saving or deleting a token, and the
revoke services (bulk updates), replace its entry with a marker (`STALE`) at once and again when the
transaction commits; a change of its user, membership or tenant reaches it through
`signed_in.forget_users`. A request that finds the marker reads the database and stores nothing; one that
found no entry stores what it read with `cache.add`, which fails if a marker arrived meanwhile. A Redis
outage makes every read a miss (apps.core.cache): the database answers.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from apps.accounts.models import ApiToken
from apps.core.cache import mark_stale
from apps.tenants import signed_in
from apps.tenants.cache import global_cache_key
from apps.tenants.models import Membership, Tenant

TIMEOUT_SECONDS = 300


@functools.cache
def _schema() -> str:
    """Part of the key: an entry pickled by code with other fields on these models is never read."""
    from django.contrib.auth import get_user_model

    fields = ",".join(
        f"{model._meta.label}.{field.attname}"
        for model in (ApiToken, get_user_model(), Membership, Tenant)
        for field in model._meta.concrete_fields
    )
    return hashlib.blake2s(fields.encode(), digest_size=6).hexdigest()


def cache_key(key_hash: str) -> str:
    return global_cache_key("api-token", _schema(), key_hash)


def cached(key_hash: str) -> Any:
    """The entry: an ApiToken, the STALE marker, or None."""
    return cache.get(cache_key(key_hash))


def usable(token: ApiToken, now: datetime) -> bool:
    """What the database look-up requires of a token, checked again on the cached copy."""
    return (
        token.revoked_at is None
        and (token.expires_at is None or token.expires_at > now)
        and token.user.is_active
        and (token.membership_id is None or token.membership.tenant.is_active)
    )


def keep(token: ApiToken, now: datetime, resolution: timedelta) -> None:
    """Store a token just read from the database, unless a marker (or another entry) is there already."""
    deadline = (token.last_used_at or now) + resolution
    if token.expires_at is not None:
        deadline = min(deadline, token.expires_at)
    seconds = min(TIMEOUT_SECONDS, int((deadline - now).total_seconds()))
    if seconds >= 1:
        cache.add(cache_key(token.key_hash), token, seconds)


def drop(key_hash: str) -> None:
    """Remove an entry that is out of date (its last use was just written): the next call reads it anew."""
    cache.delete(cache_key(key_hash))


def forget(key_hashes: Iterable[str]) -> None:
    """Mark these tokens' entries stale, now and once the open transaction (if any) commits."""
    mark_stale(cache_key(key_hash) for key_hash in set(key_hashes))


def forget_tokens(**lookup: Any) -> None:
    """Forget the entries of the tokens that `ApiToken.objects.filter(**lookup)` finds."""
    forget(ApiToken.objects.filter(**lookup).values_list("key_hash", flat=True))


def _forget_users_tokens(user_ids: set[object]) -> None:
    if user_ids:
        forget_tokens(user_id__in=user_ids)


def _token_changed(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    if kwargs.get("created"):
        return  # no entry yet
    forget([instance.key_hash])


def connect_signals() -> None:
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_token_changed, sender=ApiToken, dispatch_uid=f"token_cache.token.{name}")
    signed_in.on_forget_users(_forget_users_tokens)
