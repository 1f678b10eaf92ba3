"""Who is acting, and in which scope: the typed request attribute `request.actor`.

Every request (and task) works in exactly one scope: a tenant, a WIPO division, or the platform
(or none, for anonymous visitors and users with no place yet). The tenant middleware builds the
`Actor` once per request; views, API views, selectors, policies and templates read it instead of
loose request attributes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from apps.core.roles import Role

if TYPE_CHECKING:
    from apps.tenants.models import Membership, Tenant


class ScopeKind(enum.StrEnum):
    NONE = "none"
    TENANT = "tenant"
    DIVISION = "division"
    PLATFORM = "platform"


@dataclass(frozen=True, slots=True)
class Scope:
    kind: ScopeKind
    tenant: Tenant | None = None
    division: str = ""

    @classmethod
    def none(cls) -> Scope:
        return cls(ScopeKind.NONE)


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in user (or an anonymous visitor), the role they act in and their scope."""

    user: Any
    role: Role | None
    membership: Membership | None
    scope: Scope

    @property
    def tenant(self) -> Tenant | None:
        return self.scope.tenant

    @property
    def division(self) -> str:
        return self.scope.division

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


def role_for(user: Any, membership: Membership | None) -> Role | None:
    """The role `user` acts in: platform admin first, then the active membership, then the division."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.PLATFORM_ADMIN
    if membership is not None:
        return Role(membership.role)
    if user.division:
        # Through the instance: tenants does not import accounts.
        if user.division_role == user.DivisionRole.AGENT:
            return Role.HELPDESK_AGENT
        return Role.DIVISION_ANALYST
    return None


def scope_for(user: Any, role: Role | None, membership: Membership | None) -> Scope:
    """The one scope this actor works in: the membership's tenant, else the user's division, else the
    platform for a platform admin; nobody else has a scope."""
    if membership is not None:
        return Scope(ScopeKind.TENANT, tenant=membership.tenant)
    if role == Role.PLATFORM_ADMIN:
        return Scope(ScopeKind.PLATFORM)
    division = getattr(user, "division", "") if user is not None and user.is_authenticated else ""
    if division and role in (Role.DIVISION_ANALYST, Role.HELPDESK_AGENT):
        return Scope(ScopeKind.DIVISION, division=division)
    return Scope.none()


def actor_for(user: Any, role: Role | None, membership: Membership | None) -> Actor:
    return Actor(user=user, role=role, membership=membership, scope=scope_for(user, role, membership))


ANONYMOUS = Actor(user=None, role=None, membership=None, scope=Scope.none())
