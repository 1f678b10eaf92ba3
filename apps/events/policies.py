"""Who may do what with events and trainings (see apps.core.policies).

The tenant's MSME members see its events and register their own MSME (or cancel its registration); agency
staff run the events: create, edit and cancel them, see who registered, register an MSME of their registry on
its behalf, mark attendance and read the feedback. Nobody else sees the events of a tenant: helpdesk agents,
divisions and platform admins (through the admin only) have no page here. A feedback link works without
signing in and carries its own proof (apps.events.tokens).
"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.policies import Actor, for_roles, rule
from apps.core.roles import Role
from apps.events.models import Event, Registration
from apps.registry.models import MsmeMember

MEMBERS_AND_AGENCY = for_roles(Role.MSME_MEMBER, Role.AGENCY_STAFF)
MEMBERS = for_roles(Role.MSME_MEMBER)
AGENCY = for_roles(Role.AGENCY_STAFF)


def is_agency_staff(actor: Actor) -> bool:
    return actor.has_role(Role.AGENCY_STAFF) and actor.tenant is not None


def is_member(actor: Actor) -> bool:
    return actor.has_role(Role.MSME_MEMBER) and actor.tenant is not None


def _in_tenant(actor: Actor, row: Event | Registration | None) -> bool:
    if row is None:
        return True
    return actor.tenant is not None and row.tenant_id == actor.tenant.pk


def member_msme_ids(actor: Actor) -> QuerySet:
    return MsmeMember.objects.filter(user_id=actor.user.pk).values("msme_id")


def _event_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    return queryset if is_member(actor) or is_agency_staff(actor) else queryset.none()


def _managed_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    return queryset if is_agency_staff(actor) else queryset.none()


def _registration_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    if is_agency_staff(actor):
        return queryset
    if is_member(actor):
        return queryset.filter(msme_id__in=member_msme_ids(actor))
    return queryset.none()


@rule("events.view_event", rows=_event_rows, message=MEMBERS_AND_AGENCY)
def view_event(actor: Actor, event: Event | None = None) -> bool:
    return (is_member(actor) or is_agency_staff(actor)) and _in_tenant(actor, event)


@rule("events.register", rows=_event_rows, message=MEMBERS_AND_AGENCY)
def register(actor: Actor, event: Event | None = None) -> bool:
    """A member for their MSME, staff on an MSME's behalf; an event that takes registrations (the service
    says why not, by field, when it is full, closed, cancelled or over)."""
    return view_event(actor, event)


@rule("events.manage", rows=_managed_rows, message=AGENCY)
def manage(actor: Actor, event: Event | None = None) -> bool:
    """Create, edit and cancel events; registrations, attendance, registering on behalf, feedback."""
    return is_agency_staff(actor) and _in_tenant(actor, event)


@rule("events.view_registration", rows=_registration_rows, message=MEMBERS_AND_AGENCY)
def view_registration(actor: Actor, registration: Registration | None = None) -> bool:
    if registration is None:
        return is_member(actor) or is_agency_staff(actor)
    if not _in_tenant(actor, registration):
        return False
    if is_agency_staff(actor):
        return True
    return is_member(actor) and member_msme_ids(actor).filter(msme_id=registration.msme_id).exists()


@rule("events.cancel_registration", rows=_registration_rows, message=MEMBERS_AND_AGENCY)
def cancel_registration(actor: Actor, registration: Registration | None = None) -> bool:
    if registration is not None and registration.status == Registration.Status.CANCELLED:
        return False
    return view_registration(actor, registration)


@rule("events.my_registrations", rows=_registration_rows, message=MEMBERS)
def my_registrations(actor: Actor, registration: Registration | None = None) -> bool:
    """The member's page of their MSME's registrations (staff see an event's on its registrations page)."""
    if not is_member(actor):
        return False
    return registration is None or view_registration(actor, registration)
