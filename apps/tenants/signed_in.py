"""The signed-in user and their memberships, from the cache: what every signed-in request needs first.

Django's own path costs two queries per request (the user, then the memberships), and, inside the
request's transaction, its BEGIN and COMMIT too. Here one cache read answers both. An entry is the user
exactly as Django's `get_user` returned it (the backend's checks passed) and their memberships; it is
used only when the session names the same user and backend and its hash still verifies against the
cached user (a password change ends other sessions as before). Anything else takes Django's path.

Invalidation: saving or deleting a user, a membership or a tenant replaces the entries it touches with a
marker (`STALE`) at once and again when the transaction commits. A request that sees the marker reads
the database and stores nothing; one that found no entry stores what it read with `cache.add`, which
fails if a marker arrived meanwhile, so what a request read before a change committed is never kept.
`QuerySet.update()` sends no signal: code that updates users, memberships or tenants in bulk calls
`forget_users`. A Redis outage makes every read a miss (apps.core.cache): the database answers.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from apps.core.cache import mark_stale
from apps.tenants.cache import global_cache_key
from apps.tenants.models import Membership, Tenant
from apps.tenants.selectors import request_memberships

TIMEOUT_SECONDS = 300
# A sign-in saves only these (django.contrib.auth's update_last_login): a cached user keeps the previous
# value (nothing in a request reads it) rather than every sign-in making the next seconds uncached.
_NOT_INVALIDATING = frozenset({"last_login"})


@dataclass(frozen=True, slots=True)
class Entry:
    backend: str
    user: Any
    memberships: tuple[Membership, ...]
    extras: tuple[tuple[str, Any], ...] = ()  # what other apps keep with the user (keep_with_user)


@dataclass(frozen=True, slots=True)
class _Extra:
    load: Callable[[Any], Any]
    shape: str


# What other apps keep in the user's entry, by name: read with it in the same cache read, forgotten with it.
_extras: dict[str, _Extra] = {}


def keep_with_user(name: str, load: Callable[[Any], Any], *, shape: str) -> None:
    """Keep `load(user)` in the user's entry under `name` (registered at start-up). `shape` names what the
    value is made of (an item's fields): part of the key, so that an entry of other code is never read. The
    app forgets the entry (`forget_users`) whenever what it loaded changes."""
    _extras[name] = _Extra(load, shape)
    _schema.cache_clear()


def kept_with_user(request: HttpRequest, name: str) -> Any:
    """What `keep_with_user` loaded under `name` for the request's user, if the request's user came from the
    entry; else `NOT_KEPT` (then read it the usual way)."""
    return getattr(request, "_signed_in_extras", {}).get(name, NOT_KEPT)


NOT_KEPT = object()


@functools.cache
def _schema() -> str:
    """Part of the key: an entry pickled by code with other fields on these models, or other extras, is never
    read."""
    fields = ",".join(
        f"{model._meta.label}.{field.attname}"
        for model in (get_user_model(), Membership, Tenant)
        for field in model._meta.concrete_fields
    )
    extras = ",".join(f"{name}:{extra.shape}" for name, extra in sorted(_extras.items()))
    return hashlib.blake2s(f"{fields};{extras}".encode(), digest_size=6).hexdigest()


def cache_key(user_id: object) -> str:
    return global_cache_key("signed-in", _schema(), user_id)


def resolve(request: HttpRequest) -> None:
    """Set `request.user` and the request's memberships (apps.tenants.selectors.request_memberships) from
    the cache when it holds them for this session; else let Django resolve the user, and keep both."""
    if getattr(request, "api_token", None) is not None or hasattr(request, "_cached_user"):
        return  # the API token's user, or a user some earlier code already resolved
    session = getattr(request, "session", None)
    if session is None:
        return  # no session middleware in front (a bare RequestFactory request): nothing to read
    user_id, backend = session.get(SESSION_KEY), session.get(BACKEND_SESSION_KEY)
    if user_id is None or backend not in settings.AUTHENTICATION_BACKENDS:
        return  # not signed in: Django's path answers AnonymousUser without a query
    key = cache_key(user_id)
    entry = cache.get(key)
    if isinstance(entry, Entry) and entry.backend == backend and _session_verifies(session, entry.user):
        request.user = request._cached_user = entry.user
        request._memberships = list(entry.memberships)
        request._signed_in_extras = dict(entry.extras)
        return
    if not request.user.is_authenticated:
        return
    # What Django's get_user returned: the backend's checks and the session's hash passed.
    user = getattr(request, "_cached_user", None)
    memberships = request_memberships(request)
    if entry is None and user is not None and str(user.pk) == str(user_id):
        for membership in memberships:
            membership.user = user  # the entry holds one user object, read back with its memberships
        extras = tuple((name, extra.load(user)) for name, extra in sorted(_extras.items()))
        cache.add(key, Entry(backend, user, tuple(memberships), extras), TIMEOUT_SECONDS)


def _session_verifies(session: Any, user: Any) -> bool:
    session_hash = session.get(HASH_SESSION_KEY)
    return bool(session_hash) and constant_time_compare(session_hash, user.get_session_auth_hash())


# Other caches of what a user may do (apps.accounts.token_cache: API tokens) that must be forgotten with them.
_listeners: list[Callable[[set[object]], None]] = []


def on_forget_users(listener: Callable[[set[object]], None]) -> None:
    """Call `listener(user_ids)` whenever these users' entries are forgotten (registered at start-up)."""
    if listener not in _listeners:
        _listeners.append(listener)


def forget_users(user_ids: Iterable[object]) -> None:
    """Mark these users' entries stale, now and once the open transaction (if any) commits; and tell the
    caches registered with `on_forget_users`."""
    ids = set(user_ids)
    for listener in _listeners:
        listener(ids)
    mark_stale(cache_key(user_id) for user_id in ids)


def _user_changed(sender: Any, instance: Any, update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
    if kwargs.get("created") or (update_fields is not None and set(update_fields) <= _NOT_INVALIDATING):
        return  # a new user has no entry yet
    forget_users([instance.pk])


def _membership_changed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    forget_users([instance.user_id])


def _tenant_changed(sender: Any, instance: Tenant, **kwargs: Any) -> None:
    if kwargs.get("created"):
        return  # no one is a member of a new tenant yet
    forget_users(Membership.objects.filter(tenant_id=instance.pk).values_list("user_id", flat=True))


def connect_signals() -> None:
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_user_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid=f"signed_in.user.{name}")
        signal.connect(_membership_changed, sender=Membership, dispatch_uid=f"signed_in.membership.{name}")
        signal.connect(_tenant_changed, sender=Tenant, dispatch_uid=f"signed_in.tenant.{name}")
