"""Who may do what in outreach (see apps.core.policies).

Agency staff target and reach their own tenant's MSMEs: they keep the segments and the campaigns, preview and
send them, and see what happened to each delivery. Nobody else sees a segment or a campaign: not the MSMEs
(an unsubscribe link works without signing in and shows nothing of the campaign), not the divisions (their
statistics come as aggregates from the statistics app).
"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.policies import Actor, for_roles, rule
from apps.core.roles import Role
from apps.outreach.models import Campaign, Segment

AGENCY = for_roles(Role.AGENCY_STAFF)


def is_agency_staff(actor: Actor) -> bool:
    return actor.has_role(Role.AGENCY_STAFF) and actor.tenant is not None


def _own_tenant_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    return queryset if is_agency_staff(actor) else queryset.none()


def _own(actor: Actor, row: Segment | Campaign | None) -> bool:
    if not is_agency_staff(actor):
        return False
    return row is None or row.tenant_id == actor.tenant.pk


@rule("outreach.manage_segments", rows=_own_tenant_rows, message=AGENCY)
def manage_segments(actor: Actor, segment: Segment | None = None) -> bool:
    return _own(actor, segment)


@rule("outreach.manage_campaigns", rows=_own_tenant_rows, message=AGENCY)
def manage_campaigns(actor: Actor, campaign: Campaign | None = None) -> bool:
    return _own(actor, campaign)
