"""Who may do what with surveys (see apps.core.policies).

Agency staff build their own tenant's surveys, open and close them, and read the answers. An MSME answers
through its signed link, which needs no sign-in and no rule (the page is public and the token decides);
nobody else sees a survey: not the MSMEs' members through the pages, not the divisions (the statistics
app aggregates the answers across tenants).
"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.policies import Actor, for_roles, rule
from apps.core.roles import Role
from apps.surveys.models import Survey

AGENCY = for_roles(Role.AGENCY_STAFF)


def _is_agency_staff(actor: Actor) -> bool:
    return actor.has_role(Role.AGENCY_STAFF) and actor.tenant is not None


def _own_tenant_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    return queryset if _is_agency_staff(actor) else queryset.none()


@rule("surveys.manage_surveys", rows=_own_tenant_rows, message=AGENCY)
def manage_surveys(actor: Actor, survey: Survey | None = None) -> bool:
    if not _is_agency_staff(actor):
        return False
    return survey is None or survey.tenant_id == actor.tenant.pk
