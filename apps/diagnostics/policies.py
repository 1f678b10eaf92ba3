"""Who may do what with the IP-maturity diagnostic (see apps.core.policies).

Anyone takes the diagnostic (a visitor's result stays in their session); an MSME member's is saved to
their own MSME; agency staff record assessments for their tenant's MSMEs and read them all.
"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.policies import Actor, for_roles, rule
from apps.core.roles import Role
from apps.diagnostics.models import Assessment
from apps.registry.models import Msme, MsmeMember

ASSESSMENT_USERS = for_roles(Role.MSME_MEMBER, Role.AGENCY_STAFF)


def _agency_staff(actor: Actor, obj: Msme | Assessment | None = None) -> bool:
    if not actor.has_role(Role.AGENCY_STAFF) or actor.tenant is None:
        return False
    return obj is None or obj.tenant_id == actor.tenant.pk


def _assessment_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    """Agency staff: the tenant's assessments (the scoped manager keeps them to it); members: their MSME's."""
    if actor.has_role(Role.AGENCY_STAFF):
        return queryset
    if actor.has_role(Role.MSME_MEMBER):
        return queryset.filter(msme_id__in=MsmeMember.objects.filter(user_id=actor.user.pk).values("msme_id"))
    return queryset.none()


@rule("diagnostics.view_assessment", rows=_assessment_rows, message=ASSESSMENT_USERS)
def view_assessment(actor: Actor, assessment: Assessment | None = None) -> bool:
    if assessment is None:
        return actor.has_role(Role.AGENCY_STAFF, Role.MSME_MEMBER) and actor.tenant is not None
    if _agency_staff(actor, assessment):
        return True
    return (
        actor.has_role(Role.MSME_MEMBER)
        and actor.tenant is not None
        and assessment.tenant_id == actor.tenant.pk
        and MsmeMember.objects.filter(msme_id=assessment.msme_id, user_id=actor.user.pk).exists()
    )


@rule("diagnostics.browse_assessments", message=ASSESSMENT_USERS)
def browse_assessments(actor: Actor, obj: None = None) -> bool:
    """Every assessment of the tenant, any MSME's (members see their own MSME's only)."""
    return _agency_staff(actor)


@rule("diagnostics.record_assessment", message=for_roles(Role.AGENCY_STAFF))
def record_assessment(actor: Actor, msme: Msme | None = None) -> bool:
    """An assessment recorded by the agency for an MSME (after a visit), kept with who recorded it."""
    return _agency_staff(actor, msme)


@rule("diagnostics.see_recorder", message=for_roles(Role.AGENCY_STAFF))
def see_recorder(actor: Actor, msme: Msme | None = None) -> bool:
    """Which staff member recorded an assessment: the agency's own business, not the MSME's."""
    return _agency_staff(actor, msme)


@rule("diagnostics.self_assess", message=for_roles(Role.MSME_MEMBER))
def self_assess(actor: Actor, obj: None = None) -> bool:
    """A member's diagnostic is saved to their own MSME (anyone else's stays in their session)."""
    return actor.has_role(Role.MSME_MEMBER) and actor.tenant is not None
