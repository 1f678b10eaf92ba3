"""Cache keys of entries shared by every tenant. Keys of tenant data are apps.tenants.cache's
`tenant_cache_key`; the two prefixes never collide."""

from __future__ import annotations


def join_key_parts(parts: tuple[object, ...]) -> str:
    if not parts:
        raise ValueError("a cache key needs at least one part")
    return ":".join(str(part) for part in parts)


def global_cache_key(*parts: object) -> str:
    """`global:<parts>`, for an entry shared by every tenant (never tenant data)."""
    return f"global:{join_key_parts(parts)}"
