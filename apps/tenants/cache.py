"""Cache keys that carry their tenant.

One Redis serves every tenant, so a key for tenant data must say whose it is: `tenant_cache_key`
prefixes the active tenant's id and refuses to build a key with no tenant, so an entry computed in one
tenant can never be read in another. An entry that is the same for everyone says so explicitly with
`global_cache_key`; the two prefixes never collide.
"""

from __future__ import annotations

from apps.core.cache_keys import global_cache_key, join_key_parts
from apps.tenants.context import require_active_tenant

__all__ = ["global_cache_key", "tenant_cache_key"]


def tenant_cache_key(*parts: object, tenant_id: object = None) -> str:
    """`tenant:<active tenant's id>:<parts>`; raises NoActiveTenant outside a tenant's context. `tenant_id`
    names the tenant instead, for code that forgets a tenant's entry from wherever the change happens (a
    signal of a row, which carries its tenant)."""
    if tenant_id is None:
        tenant_id = require_active_tenant().pk
    return f"tenant:{tenant_id}:{join_key_parts(parts)}"
