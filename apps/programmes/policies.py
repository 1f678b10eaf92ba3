"""Who may do what with the programmes (see apps.core.policies).

The programmes' pages (what each is, the directories, the clause generator, the fee estimate) are public. An
MSME member sends their MSME's requests, follows them and withdraws one still being worked. A request is a
helpdesk ticket: the agents who work its ticket (the agency's helpdesk agents, or the agents of the division
whose queue it is in) work the request and move its stage. Nobody else sees a request.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from apps.core.policies import Actor, for_roles, rule
from apps.core.roles import Role
from apps.helpdesk.policies import is_agent
from apps.programmes.models import ProgrammeRequest
from apps.registry.models import MsmeMember

MEMBERS = for_roles(Role.MSME_MEMBER)
AGENTS = for_roles(Role.HELPDESK_AGENT)
MEMBERS_AND_AGENTS = for_roles(Role.MSME_MEMBER, Role.HELPDESK_AGENT)


def is_member(actor: Actor) -> bool:
    return actor.has_role(Role.MSME_MEMBER) and actor.tenant is not None


def _members_msmes(actor: Actor) -> QuerySet:
    return MsmeMember.objects.filter(user_id=actor.user.pk).values("msme_id")


def _works(actor: Actor, request: ProgrammeRequest) -> bool:
    if not is_agent(actor):
        return False
    if actor.tenant is not None:
        return request.tenant_id == actor.tenant.pk
    return request.division == actor.division


def _sent_by(actor: Actor, request: ProgrammeRequest) -> bool:
    """The member sent it, or it is their MSME's."""
    if not is_member(actor) or request.tenant_id != actor.tenant.pk:
        return False
    if request.requester_id == actor.user.pk:
        return True
    return (
        request.msme_id is not None
        and MsmeMember.objects.filter(msme_id=request.msme_id, user_id=actor.user.pk).exists()
    )


def _request_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    if is_agent(actor):
        return queryset  # the scoped manager keeps a tenant's agents to it, a division's to what is routed there
    if is_member(actor):
        return queryset.filter(Q(requester_id=actor.user.pk) | Q(msme_id__in=_members_msmes(actor)))
    return queryset.none()


def _withdrawable_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    """A member's own (and its MSME's); the agents work a request, they do not withdraw it."""
    return _request_rows(actor, queryset) if is_member(actor) else queryset.none()


def _worked_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    return queryset if is_agent(actor) else queryset.none()


@rule("programmes.send_request", message=MEMBERS)
def send_request(actor: Actor, obj: None = None) -> bool:
    return is_member(actor)


@rule("programmes.view_request", rows=_request_rows, message=MEMBERS_AND_AGENTS)
def view_request(actor: Actor, request: ProgrammeRequest | None = None) -> bool:
    if request is None:
        return is_member(actor) or is_agent(actor)
    return _works(actor, request) or _sent_by(actor, request)


@rule("programmes.work_request", rows=_worked_rows, message=AGENTS)
def work_request(actor: Actor, request: ProgrammeRequest | None = None) -> bool:
    """Move the request's stage and write its outcome."""
    if request is None:
        return is_agent(actor)
    return _works(actor, request)


@rule("programmes.withdraw_request", rows=_withdrawable_rows, message=MEMBERS)
def withdraw_request(actor: Actor, request: ProgrammeRequest | None = None) -> bool:
    if request is None:
        return is_member(actor)
    return _sent_by(actor, request) and not request.is_final


@rule("programmes.use_green", message=MEMBERS)
def use_green(actor: Actor, obj: None = None) -> bool:
    """List technologies and needs for one's MSME, express interest, answer introductions."""
    return is_member(actor)


def _mentoring_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    if actor.has_role(Role.AGENCY_STAFF) and actor.tenant is not None:
        return queryset
    if is_member(actor):
        return queryset.filter(msme_id__in=_members_msmes(actor))
    return queryset.none()


@rule("programmes.view_mentoring", rows=_mentoring_rows, message=for_roles(Role.MSME_MEMBER, Role.AGENCY_STAFF))
def view_mentoring(actor: Actor, obj: object = None) -> bool:
    return is_member(actor) or (actor.has_role(Role.AGENCY_STAFF) and actor.tenant is not None)


def _agency_mentoring_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    return queryset if actor.has_role(Role.AGENCY_STAFF) and actor.tenant is not None else queryset.none()


@rule("programmes.manage_mentoring", rows=_agency_mentoring_rows, message=for_roles(Role.AGENCY_STAFF))
def manage_mentoring(actor: Actor, obj: object = None) -> bool:
    """Register mentors and assign requests to them."""
    return actor.has_role(Role.AGENCY_STAFF) and actor.tenant is not None


def _network_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    return queryset if actor.has_role(Role.AGENCY_STAFF) and actor.tenant is not None else queryset.none()


@rule("programmes.manage_network", rows=_network_rows, message=for_roles(Role.AGENCY_STAFF))
def manage_network(actor: Actor, obj: object = None) -> bool:
    """Keep the agency's intermediaries, post partnership offers and introduce the MSMEs that ask."""
    return actor.has_role(Role.AGENCY_STAFF) and actor.tenant is not None


@rule("programmes.view_partnerships", message=for_roles(Role.MSME_MEMBER, Role.AGENCY_STAFF))
def view_partnerships(actor: Actor, obj: object = None) -> bool:
    return is_member(actor) or (actor.has_role(Role.AGENCY_STAFF) and actor.tenant is not None)
