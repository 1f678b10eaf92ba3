"""The eight kinds of actor of the policies' tests, all around ONE tenant, built the way the tenant
middleware builds `request.actor` (role_for, then actor_for) so that the rules see real actors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apps.accounts.models import User
from apps.core.roles import Division, Role
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant
from apps.tenants.scope import ANONYMOUS, Actor, actor_for, role_for
from tests.factories import MsmeFactory, MsmeMemberFactory, TenantFactory, UserFactory, user_with_role

ANON, OWN, OTHER, HELPDESK, AGENCY, ANALYST, DIVISION_AGENT, ADMIN = (
    "anonymous",
    "msme_own",
    "msme_other",
    "helpdesk",
    "agency",
    "analyst",
    "division_agent",
    "admin",
)
ROLES = (ANON, OWN, OTHER, HELPDESK, AGENCY, ANALYST, DIVISION_AGENT, ADMIN)


def row(anon: Any, own: Any, other: Any, helpdesk: Any, agency: Any, analyst: Any, dagent: Any, admin: Any) -> dict:
    """Expected answers in the order of ROLES."""
    return dict(zip(ROLES, (anon, own, other, helpdesk, agency, analyst, dagent, admin), strict=True))


@dataclass
class OneTenant:
    tenant: Tenant
    msme: Msme  # the MSME `msme_own` is a member of
    other_msme: Msme  # the MSME `msme_other` is a member of
    actors: dict[str, Actor]


def actor_of(user: User | None) -> Actor:
    if user is None:
        return ANONYMOUS
    membership = user.memberships.select_related("tenant").first()
    return actor_for(user, role_for(user, membership), membership)


def one_tenant() -> OneTenant:
    tenant = TenantFactory()
    users: dict[str, User | None] = {
        ANON: None,
        OWN: user_with_role(Role.MSME_MEMBER, tenant),
        OTHER: user_with_role(Role.MSME_MEMBER, tenant),
        HELPDESK: user_with_role(Role.HELPDESK_AGENT, tenant),
        AGENCY: user_with_role(Role.AGENCY_STAFF, tenant),
        ANALYST: user_with_role(Role.DIVISION_ANALYST),
        DIVISION_AGENT: UserFactory(division=Division.AMC, division_role=User.DivisionRole.AGENT),
        ADMIN: user_with_role(Role.PLATFORM_ADMIN),
    }
    with tenant_context(tenant):
        msme, other_msme = MsmeFactory(), MsmeFactory()
        MsmeMemberFactory(msme=msme, user=users[OWN])
        MsmeMemberFactory(msme=other_msme, user=users[OTHER])
    actors = {role: actor_of(user) for role, user in users.items()}
    assert actors[DIVISION_AGENT].has_role(Role.HELPDESK_AGENT) and actors[DIVISION_AGENT].division == Division.AMC
    return OneTenant(tenant=tenant, msme=msme, other_msme=other_msme, actors=actors)
