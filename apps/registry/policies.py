"""Who may do what in the registry (see apps.core.policies).

Agency staff work their tenant's whole registry; an MSME member sees and edits their own MSME and its
IP assets only. Nobody else (the tenant's helpdesk, division staff, platform admins outside the
Django admin) reads the registry.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.policies import Actor, for_roles, rule
from apps.core.roles import Role
from apps.registry.models import ImportJob, IpAsset, Msme, MsmeMember

AGENCY_ONLY = for_roles(Role.AGENCY_STAFF)
REGISTRY_USERS = for_roles(Role.AGENCY_STAFF, Role.MSME_MEMBER)


def _in_tenant(actor: Actor, obj: Any) -> bool:
    return actor.tenant is not None and obj.tenant_id == actor.tenant.pk


def _agency_staff(actor: Actor, obj: Any = None) -> bool:
    """The tenant's agency staff, and the row (if any) is their tenant's."""
    if not actor.has_role(Role.AGENCY_STAFF) or actor.tenant is None:
        return False
    return obj is None or _in_tenant(actor, obj)


def _member_of(actor: Actor, msme: Msme) -> bool:
    return (
        actor.has_role(Role.MSME_MEMBER)
        and _in_tenant(actor, msme)
        and MsmeMember.objects.filter(msme_id=msme.pk, user_id=actor.user.pk).exists()
    )


def _registry_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    """The MSMEs of `view_msme` and `edit_msme`: agency staff all (the scoped manager keeps them to
    the tenant), members their own, nobody else any."""
    if actor.has_role(Role.AGENCY_STAFF):
        return queryset
    if actor.has_role(Role.MSME_MEMBER):
        return queryset.filter(pk__in=MsmeMember.objects.filter(user_id=actor.user.pk).values("msme_id"))
    return queryset.none()


def _own_or_agency(actor: Actor, msme: Msme | None = None) -> bool:
    if msme is None:
        return actor.has_role(Role.AGENCY_STAFF, Role.MSME_MEMBER) and actor.tenant is not None
    return _agency_staff(actor, msme) or _member_of(actor, msme)


@rule("registry.view_msme", rows=_registry_rows, message=REGISTRY_USERS)
def view_msme(actor: Actor, msme: Msme | None = None) -> bool:
    """An MSME's page, its assets and deadlines: agency staff any of their tenant's, members their own."""
    return _own_or_agency(actor, msme)


@rule("registry.edit_msme", rows=_registry_rows, message=REGISTRY_USERS)
def edit_msme(actor: Actor, msme: Msme | None = None) -> bool:
    """An MSME's profile and IP asset register: members keep their own (the agency re-verifies a
    changed identity), agency staff any of their tenant's."""
    return _own_or_agency(actor, msme)


@rule("registry.view_asset", message=REGISTRY_USERS)
def view_asset(actor: Actor, asset: IpAsset | None = None) -> bool:
    return view_msme(actor, asset.msme if asset is not None else None)


@rule("registry.edit_asset", message=REGISTRY_USERS)
def edit_asset(actor: Actor, asset: IpAsset | None = None) -> bool:
    return edit_msme(actor, asset.msme if asset is not None else None)


@rule("registry.browse", message=AGENCY_ONLY)
def browse(actor: Actor, obj: None = None) -> bool:
    """The tenant's whole registry: the list, its filters and its CSV export."""
    return _agency_staff(actor)


@rule("registry.create_msme", message=AGENCY_ONLY)
def create_msme(actor: Actor, obj: None = None) -> bool:
    """Add an MSME (a business registers itself through `self_register` instead)."""
    return _agency_staff(actor)


@rule("registry.verify_msme", message=AGENCY_ONLY)
def verify_msme(actor: Actor, msme: Msme | None = None) -> bool:
    return _agency_staff(actor, msme)


@rule("registry.set_maturity", message=AGENCY_ONLY)
def set_maturity(actor: Actor, msme: Msme | None = None) -> bool:
    """The IP maturity level is the agency's assessment, never the MSME's own claim."""
    return _agency_staff(actor, msme)


@rule("registry.export_msme", message=AGENCY_ONLY)
def export_msme(actor: Actor, msme: Msme | None = None) -> bool:
    """Everything kept about an MSME, as a file (the data subject's access request goes through the agency)."""
    return _agency_staff(actor, msme)


@rule("registry.erase_msme", message=AGENCY_ONLY)
def erase_msme(actor: Actor, msme: Msme | None = None) -> bool:
    return _agency_staff(actor, msme)


@rule("registry.delete_msme", message=AGENCY_ONLY)
def delete_msme(actor: Actor, msme: Msme | None = None) -> bool:
    return _agency_staff(actor, msme)


@rule("registry.import_msmes", message=AGENCY_ONLY)
def import_msmes(actor: Actor, job: ImportJob | None = None) -> bool:
    """Bulk imports and their jobs, reports and uploaded files."""
    return _agency_staff(actor, job)


@rule("registry.view_own_msme", message=for_roles(Role.MSME_MEMBER))
def view_own_msme(actor: Actor, obj: None = None) -> bool:
    """The MSME a member acts for ("My business")."""
    return actor.has_role(Role.MSME_MEMBER) and actor.tenant is not None


@rule("registry.self_register", message=_("Staff accounts cannot register a business."))
def self_register(actor: Actor, obj: None = None) -> bool:
    """A signed-in user with no place yet registers a business (a member whose MSME is gone, again)."""
    if not actor.is_authenticated:
        return False
    if actor.membership is not None:
        return actor.has_role(Role.MSME_MEMBER)
    return actor.role is None
