"""The roles of DESIGN.md and how a user's role is found for a request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenants.models import Membership


class Role(models.TextChoices):
    MSME_MEMBER = "msme_member", _("MSME member")
    HELPDESK_AGENT = "helpdesk_agent", _("Helpdesk agent")
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    DIVISION_ANALYST = "division_analyst", _("Division analyst")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")


# The roles a membership of one tenant can carry; the other two come from the user (superuser, division).
TENANT_ROLES = (Role.MSME_MEMBER, Role.HELPDESK_AGENT, Role.AGENCY_STAFF)

STAFF_ROLES = frozenset({Role.HELPDESK_AGENT, Role.AGENCY_STAFF, Role.DIVISION_ANALYST, Role.PLATFORM_ADMIN})


class Division(models.TextChoices):
    """WIPO divisions and regional bureaus whose staff use the portal."""

    PATENT_LAW = "patent-law", _("Patent Law Division")
    COPYRIGHT = "copyright", _("Copyright Law Division")
    PCT = "pct", _("PCT (Patent Cooperation Treaty)")
    MADRID = "madrid", _("Madrid System")
    HAGUE = "hague", _("Hague System")
    AMC = "amc", _("Arbitration and Mediation Center")
    GLOBAL_CHALLENGES = "global-challenges", _("Global Challenges (WIPO GREEN, WIPO Re:Search)")
    TISC = "tisc", _("Technology and Innovation Support Centers")
    RBAC = "rbac", _("Regional Bureau for Africa")
    RBAP = "aspac", _("Regional Bureau for Asia and the Pacific")
    RBAS = "arab", _("Regional Bureau for Arab Countries")
    RBLAC = "lac", _("Regional Bureau for Latin America and the Caribbean")


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
