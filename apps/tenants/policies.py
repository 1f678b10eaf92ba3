"""Who may do what with tenants (see apps.core.policies)."""

from __future__ import annotations

from apps.core.policies import Actor, rule


@rule("tenants.switch_tenant")
def switch_tenant(actor: Actor, obj: None = None) -> bool:
    """Pick which of one's own agencies to work in (the form offers the user's memberships only)."""
    return actor.is_authenticated
