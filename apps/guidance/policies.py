"""Who may do what with the guidance topics (see apps.core.policies).

The topics and calculators are public. An agency's staff write their own agency's national overlay
of a topic (anyone reads any agency's). The action plan's rules move with its engine.
"""

from __future__ import annotations

from apps.core.policies import Actor, for_roles, rule
from apps.core.roles import Role
from apps.guidance.models import TopicOverlay


@rule("guidance.edit_overlay", message=for_roles(Role.AGENCY_STAFF))
def edit_overlay(actor: Actor, overlay: TopicOverlay | None = None) -> bool:
    if not actor.has_role(Role.AGENCY_STAFF) or actor.tenant is None:
        return False
    return overlay is None or overlay.tenant_id == actor.tenant.pk
