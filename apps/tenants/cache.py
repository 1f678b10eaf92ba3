"""Cache keys that carry their tenant.

One Redis serves every tenant, so a key for tenant data must say whose it is: `tenant_cache_key`
prefixes the active tenant's id and refuses to build a key with no tenant, so an entry computed in one
tenant can never be read in another. An entry that is the same for everyone says so explicitly with
`global_cache_key`; the two prefixes never collide.
"""

from __future__ import annotations

from apps.tenants.context import require_active_tenant


def _join(parts: tuple[object, ...]) -> str:
    if not parts:
        raise ValueError("a cache key needs at least one part")
    return ":".join(str(part) for part in parts)


def tenant_cache_key(*parts: object) -> str:
    """`tenant:<active tenant's id>:<parts>`; raises NoActiveTenant outside a tenant's context."""
    return f"tenant:{require_active_tenant().pk}:{_join(parts)}"


def global_cache_key(*parts: object) -> str:
    """`global:<parts>`, for an entry shared by every tenant (never tenant data)."""
    return f"global:{_join(parts)}"
