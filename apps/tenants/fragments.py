"""Cached HTML that holds a tenant's data: keyed by the active tenant, never readable in another."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString

from apps.core.fragments import cached_fragment
from apps.tenants.cache import tenant_cache_key


def cached_tenant_fragment(name: str, parts: tuple[object, ...], render: Callable[[], str]) -> SafeString:
    """`cached_fragment` under the active tenant's key (raises NoActiveTenant with none active)."""
    return cached_fragment(name, parts, render, tenant_key=tenant_cache_key)
