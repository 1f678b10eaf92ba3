"""The roles and WIPO divisions of the portal: plain enums every app may read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
