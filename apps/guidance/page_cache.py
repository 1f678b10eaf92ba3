"""The topic pages from the cache: their content changes only on deploy or when an agency edits its overlay.

- A visitor (not signed in) gets the whole page from the cache, keyed by its path (topic and `?agency=`),
  the language, the build, with the content version it was rendered in (one cache read gets both). The
  page holds one thing per visitor, the CSRF token of the language form: it is cached as a placeholder,
  compressed around it, and filled in for each request (apps.core.cached_pages). The answer carries an
  ETag (the version, the key and the visitor's CSRF cookie), so a browser that has the page gets a 304.
- A signed-in user's page has their name, role and agency in the layout: only the topic's body is cached
  (keyed by the viewer's own agency and whether they may edit its overlay), the layout is rendered each time.

The content version is a token in the cache, replaced on every save or delete of an overlay or of a
tenant (the agency picker lists every agency's name). It is replaced at once and again when the
transaction commits, so a page rendered from the old rows between the two is not kept under the new one.
A lost token (Redis restarted or evicted it) is replaced by a new random one, never by an old value.

A process that read the version less than VISITOR_VERSION_SECONDS ago serves a visitor its own copy of
the page without reading it again: that read was the largest part of serving the page. So a visitor may
see a page up to that long after an edit made in another process; the process that made the edit, and
every signed-in page, sees it at once.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from apps.core.cached_pages import CachedPage
from apps.core.csrf import csrf_token
from apps.core.fragments import FRAGMENT_TIMEOUT, build_version
from apps.guidance import topics
from apps.tenants.cache import global_cache_key

# What the cached page holds instead of the CSRF token (the `csrf_token` the template is given).
CSRF_PLACEHOLDER = "csrf-token-of-this-request-6d1f0c"


def _version_key() -> str:
    return global_cache_key("guidance", "content-version")


def content_version() -> str:
    """The build, the topic files and the overlays' token: every key below carries it."""
    token = cache.get_or_set(_version_key(), _token, timeout=None)
    return _version(token)


def _version(token: str) -> str:
    return f"{build_version()}.{topics.content_hash()[:12]}.{token}"


def _token() -> str:
    return uuid.uuid4().hex


def bump_content_version(**_signal_kwargs: object) -> None:
    """A new token now and another on commit: connected to the saves and deletes of overlays and tenants."""
    _new_token()
    transaction.on_commit(_new_token)


def _new_token() -> None:
    cache.set(_version_key(), _token(), timeout=None)
    _forget_version()


def _page_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:24]
    return global_cache_key("guidance", "page", build_version(), get_language() or "-", path)


def _has_messages(request: HttpRequest) -> bool:
    # len() loads the messages without marking them shown.
    return bool(len(messages.get_messages(request)))


def page_is_shared(request: HttpRequest) -> bool:
    """A visitor's page with nothing of theirs in it but the CSRF token: cached whole."""
    return (
        not request.user.is_authenticated
        and getattr(request, "tenant", None) is None
        and set(request.GET) <= {"agency"}
        and not _has_messages(request)
    )


def _etag(version: str, key: str, request: HttpRequest) -> str:
    # The page holds a token of the visitor's CSRF secret: a new secret (a new cookie) is a new page. Weak:
    # the same page is sent compressed or not.
    secret = request.META.get("CSRF_COOKIE", "")
    return 'W/"' + hashlib.sha256(f"{version}:{key}:{secret}".encode()).hexdigest()[:32] + '"'


def _conditional(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


# The pages this process served last, each with the content version it was rendered in. A page is large (its
# pieces, plain and compressed): reading it from the cache for every visit was half of serving it, where
# reading the version alone tells whether this process's copy is still the page.
LOCAL_PAGES = 64
_local_pages: dict[str, tuple[str, CachedPage]] = {}

# How long this process trusts the version it read last, for visitors' pages (the module's docstring).
VISITOR_VERSION_SECONDS = 1.0
_version_read: tuple[str, float] | None = None  # the version, and time.monotonic() when it was read


def _forget_version() -> None:
    global _version_read
    _version_read = None


def forget_local_pages() -> None:
    _local_pages.clear()
    _forget_version()


def _recent_version() -> str | None:
    """The version this process read less than VISITOR_VERSION_SECONDS ago, if it did."""
    read = _version_read
    if read is not None and time.monotonic() - read[1] < VISITOR_VERSION_SECONDS:
        return read[0]
    return None


def _read_version(key: str, with_page: bool) -> tuple[str, tuple[str, CachedPage] | None]:
    """The content version from the cache (remembered, with when it was read), and the page when asked."""
    global _version_read
    version_key = _version_key()
    found = cache.get_many([version_key, key] if with_page else [version_key])
    version = _version(found.get(version_key) or cache.get_or_set(version_key, _token, timeout=None))
    _version_read = (version, time.monotonic())
    return version, found.get(key)


def shared_page(request: HttpRequest, render: Callable[[str], HttpResponse]) -> HttpResponse:
    """The visitor's page: 304 when their copy is current, else this process's copy or the cache's, else
    `render(placeholder)` (the page with `csrf_token` set to the placeholder), kept when it is a 200. What it
    reads from the cache: nothing when this process has a copy of the version it read less than
    VISITOR_VERSION_SECONDS ago; else the version alone when it has a copy, the version and the page in one
    read when it has none; and the page after the version when its copy is of an older version."""
    key = _page_key(request)
    local = _local_pages.get(key)
    version, found = _recent_version(), None
    if local is None or version != local[0]:
        version, found = _read_version(key, with_page=local is None)
    if "CSRF_COOKIE" in request.META:
        etag = _etag(version, key, request)
        if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
            return _conditional(HttpResponseNotModified(), etag)
    stored = local if local is not None and local[0] == version else found
    if stored is None and local is not None:
        stored = cache.get(key)  # this process's copy is of an older version: another may have rendered it
    if stored is None or stored[0] != version:
        response = render(CSRF_PLACEHOLDER)
        if response.status_code != 200:
            return response
        stored = (version, CachedPage.cut(response.content, CSRF_PLACEHOLDER, response["Content-Type"]))
        cache.set(key, stored, FRAGMENT_TIMEOUT)
    if _local_pages.get(key) is not stored:
        if len(_local_pages) >= LOCAL_PAGES:
            _local_pages.clear()
        _local_pages[key] = stored
    page = stored[1]
    token = csrf_token(request)  # sets the CSRF cookie for a first visit, as rendering the tag would
    return _conditional(page.response(request, token), _etag(version, key, request))
