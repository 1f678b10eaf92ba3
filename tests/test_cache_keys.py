"""Cache keys carry their tenant (tenant_cache_key) or say they are shared (global_cache_key)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.cache import cache

from apps.tenants.cache import global_cache_key, tenant_cache_key
from apps.tenants.context import NoActiveTenant, tenant_context, unscoped

APPS = Path(__file__).resolve().parent.parent / "apps"
KEY_FUNCTIONS = {"tenant_cache_key", "global_cache_key"}
# Modules that use the cache only with keys their callers built with those functions.
TAKES_KEYS_FROM_CALLERS = {"apps/core/cache.py": "mark_stale and read_through: the caller's keys"}


@pytest.mark.django_db
def test_a_tenant_key_carries_the_active_tenant_and_entries_do_not_cross(tenant_a, tenant_b):
    with tenant_context(tenant_a):
        key_a = tenant_cache_key("dashboard", 7)
        cache.set(key_a, "a's numbers")
    with tenant_context(tenant_b):
        key_b = tenant_cache_key("dashboard", 7)
        assert cache.get(key_b) is None
    assert key_a == f"tenant:{tenant_a.pk}:dashboard:7"
    assert key_b == f"tenant:{tenant_b.pk}:dashboard:7"
    cache.delete(key_a)


def test_a_tenant_key_needs_an_active_tenant():
    with pytest.raises(NoActiveTenant):
        tenant_cache_key("dashboard")
    with unscoped("test: no tenant is active in unscoped either"), pytest.raises(NoActiveTenant):
        tenant_cache_key("dashboard")


@pytest.mark.django_db
def test_a_global_key_is_the_same_in_every_tenant_and_never_a_tenant_key(tenant_a):
    assert global_cache_key("healthz", "x") == "global:healthz:x"
    with tenant_context(tenant_a):
        assert global_cache_key("healthz", "x") == "global:healthz:x"
        assert not tenant_cache_key("healthz", "x").startswith("global:")


def test_a_key_needs_a_part():
    with pytest.raises(ValueError):
        global_cache_key()


def test_every_module_that_uses_the_cache_builds_its_keys_with_the_key_functions():
    """A module that imports Django's cache must call tenant_cache_key or global_cache_key: a bare key
    string is how one tenant's cached data ends up shown to another."""
    offenders = []
    for path in sorted(APPS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        uses_cache = any(
            isinstance(node, ast.ImportFrom)
            and node.module == "django.core.cache"
            and {alias.name for alias in node.names} & {"cache", "caches"}
            for node in ast.walk(tree)
        )
        calls = {
            node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
        }
        if (
            uses_cache
            and not calls & KEY_FUNCTIONS
            and str(path.relative_to(APPS.parent)) not in TAKES_KEYS_FROM_CALLERS
        ):
            offenders.append(str(path.relative_to(APPS.parent)))
    assert not offenders, f"These modules use the cache with keys not built by tenant/global_cache_key: {offenders}"
