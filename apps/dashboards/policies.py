"""Who sees which statistics (see apps.core.policies).

Agency staff see their own tenant's figures in full (they already see its registry) and may have them counted
again; division analysts see their countries' figures side by side, summed and suppressed; nobody else has
a dashboard (the platform's operators have the Django admin).
"""

from __future__ import annotations

from apps.core.policies import Actor, for_roles, rule
from apps.core.roles import Role

DASHBOARD_USERS = for_roles(Role.AGENCY_STAFF, Role.DIVISION_ANALYST)
AGENCY_ONLY = for_roles(Role.AGENCY_STAFF)


def is_agency_staff(actor: Actor) -> bool:
    return actor.has_role(Role.AGENCY_STAFF) and actor.tenant is not None


def is_division_analyst(actor: Actor) -> bool:
    return actor.has_role(Role.DIVISION_ANALYST) and bool(actor.division)


@rule("dashboards.view", message=DASHBOARD_USERS)
def view(actor: Actor, obj: None = None) -> bool:
    """The statistics page and its downloads: an agency's own tenant, or a division's countries."""
    return is_agency_staff(actor) or is_division_analyst(actor)


@rule("dashboards.refresh", message=AGENCY_ONLY)
def refresh(actor: Actor, obj: None = None) -> bool:
    """Count the tenant's MSMEs again now, instead of at night."""
    return is_agency_staff(actor)
