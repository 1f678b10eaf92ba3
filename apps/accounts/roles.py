"""How a user's role is found for a request (the enums themselves are in apps.core.roles)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.core.roles import Role

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenants.models import Membership


def role_for(user: User, membership: Membership | None) -> Role | None:
    """The role `user` acts in: platform admin first, then the active membership, then the division."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.PLATFORM_ADMIN
    if membership is not None:
        return Role(membership.role)
    if user.division:
        if user.division_role == user.DivisionRole.AGENT:
            return Role.HELPDESK_AGENT
        return Role.DIVISION_ANALYST
    return None
