"""Cached HTML fragments: the parts of a page that change only on deploy (or on an explicit content edit).

Rendering Django templates is most of a page's time. A fragment that depends only on the code, the
language and a few explicit inputs (a list's filter form for a given query string, a guidance topic's
body for a given agency) is rendered once and kept in the cache under a key that carries all of them:

- the build (`build_version`): `PORTAL_BUILD` from the environment when the deployment sets it (a
  commit id), else a fingerprint of the code, templates, translations and static manifest, so that a
  deploy never serves a fragment rendered by the previous code;
- the active language;
- the caller's parts (never user-specific: a fragment is shared by everyone with the same parts).

A fragment holding tenant data goes through `apps.tenants.fragments.cached_tenant_fragment`: its key
then carries the active tenant (`tenant_cache_key`) and cannot be read in another tenant.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Callable
from contextlib import suppress
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from apps.core.cache_keys import global_cache_key

# A day: the keys change with every deploy and edit, so an old entry is never read; this only bounds
# how long it takes Redis's memory.
FRAGMENT_TIMEOUT = 24 * 60 * 60
_FINGERPRINTED = ("apps", "templates", "locale", "portal")
_SUFFIXES = {".py", ".html", ".txt", ".mo", ".json", ".yaml", ".yml", ".md"}


@memoize
def build_version() -> str:
    """What a deploy changes: `PORTAL_BUILD` if set, else a fingerprint (names, sizes, modification times)
    of the code, templates, translations and the static files' manifest. Computed once per process."""
    if build := os.environ.get("PORTAL_BUILD", "").strip():
        return build[:40]
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in _FINGERPRINTED:
        for root, dirs, files in os.walk(base / folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                path = Path(root, name)
                if path.suffix in _SUFFIXES:
                    stat = path.stat()
                    digest.update(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def fragment_key(name: str, *parts: object, tenant_key: Callable[..., str] | None = None) -> str:
    """The cache key of fragment `name` for `parts`, in this build and the active language: global, or
    under the active tenant with `tenant_key` (the tenant layer passes its `tenant_cache_key`)."""
    hashed = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    parts_of_key = ("fragment", name, build_version(), get_language() or "-", hashed)
    return tenant_key(*parts_of_key) if tenant_key is not None else global_cache_key(*parts_of_key)


# The fragments this process read or rendered last. What a key holds never changes (the key carries the
# build, the language, the parts, and the tenant for tenant data; an edit changes a version in the parts),
# so a copy in memory is as good as the cache's, without its round trip.
LOCAL_ENTRIES = 256
_local: OrderedDict[str, str] = OrderedDict()


def forget_local_fragments(**_signal_kwargs: object) -> None:
    """Empty this process's copies (tests that empty the cache and expect fragments rendered again)."""
    _local.clear()


setting_changed.connect(forget_local_fragments, dispatch_uid="fragments.forget_local")


def cached_fragment(
    name: str, parts: tuple[object, ...], render: Callable[[], str], *, tenant_key: Callable[..., str] | None = None
) -> SafeString:
    """The fragment `name` for `parts`: from this process's copies, else from the cache, else `render()`ed
    (a template's output, escaped already) and kept. Shared by everyone: tenant data goes through
    `cached_tenant_fragment`."""
    key = fragment_key(name, *parts, tenant_key=tenant_key)
    html = _local.get(key)
    if html is not None:
        with suppress(KeyError):  # another thread may have dropped it meanwhile
            _local.move_to_end(key)
        return mark_safe(html)  # noqa: S308 (rendered by a template, which escaped it)
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, FRAGMENT_TIMEOUT)
    _local[key] = html
    if len(_local) > LOCAL_ENTRIES:
        with suppress(KeyError):
            _local.popitem(last=False)
    return mark_safe(html)  # noqa: S308 (rendered by a template, which escaped it)
