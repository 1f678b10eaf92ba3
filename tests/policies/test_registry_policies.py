"""apps/registry/policies.py: every rule asked by every kind of actor of ONE tenant, about nothing (the
page or endpoint) and about each of the tenant's two MSMEs; the rows a rule gives agree with its answers."""

from __future__ import annotations

import pytest

from apps.core import policies
from apps.core.roles import Role
from apps.registry import selectors
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from tests.factories import ImportJobFactory, IpAssetFactory, MsmeFactory, TenantFactory, user_with_role
from tests.policies.actors import ROLES, one_tenant, row
from tests.policies.actors import actor_of as actor_for_user

pytestmark = pytest.mark.django_db

F, T = False, True
NOBODY = row(F, F, F, F, F, F, F, F)
AGENCY_ONLY = row(F, F, F, F, T, F, F, F)
OWN_OR_AGENCY = row(F, T, F, F, T, F, F, F)  # about the MSME of `msme_own`
MEMBERS_OR_AGENCY = row(F, T, T, F, T, F, F, F)

# rule: (asked with no object, asked about the MSME of `msme_own`)
# fmt: off
MSME_RULES = {
    "registry.view_msme":    (MEMBERS_OR_AGENCY, OWN_OR_AGENCY),
    "registry.edit_msme":    (MEMBERS_OR_AGENCY, OWN_OR_AGENCY),
    "registry.verify_msme":  (AGENCY_ONLY, AGENCY_ONLY),
    "registry.set_maturity": (AGENCY_ONLY, AGENCY_ONLY),
    "registry.export_msme":  (AGENCY_ONLY, AGENCY_ONLY),
    "registry.erase_msme":   (AGENCY_ONLY, AGENCY_ONLY),
    "registry.delete_msme":  (AGENCY_ONLY, AGENCY_ONLY),
}
PAGE_RULES = {
    "registry.browse":        AGENCY_ONLY,
    "registry.create_msme":   AGENCY_ONLY,
    "registry.import_msmes":  AGENCY_ONLY,
    "registry.view_own_msme": row(F, T, T, F, F, F, F, F),
    # Members may register a business (again); staff of any kind may not; anonymous visitors sign in first.
    "registry.self_register": row(F, T, T, F, F, F, F, F),
}
# fmt: on


@pytest.fixture
def world():
    return one_tenant()


def answers(world, name, obj=None):
    return {role: policies.can(world.actors[role], name, obj) for role in ROLES}


@pytest.mark.parametrize("name", sorted(MSME_RULES))
def test_msme_rules_for_every_role_of_one_tenant(world, name):
    page, own = MSME_RULES[name]
    assert answers(world, name) == page
    with tenant_context(world.tenant):
        assert answers(world, name, world.msme) == own
        # The other MSME: the same, with the two members' parts swapped.
        assert answers(world, name, world.other_msme) == {
            **own,
            "msme_own": own["msme_other"],
            "msme_other": own["msme_own"],
        }


@pytest.mark.parametrize("name", sorted(PAGE_RULES))
def test_page_rules_for_every_role_of_one_tenant(world, name):
    assert answers(world, name) == PAGE_RULES[name]


@pytest.mark.parametrize("name", sorted(MSME_RULES))
def test_the_rows_a_rule_gives_agree_with_its_answers(world, name):
    with tenant_context(world.tenant):
        for role in ROLES:
            actor = world.actors[role]
            given = set(policies.rows(actor, name, Msme.objects.all()).values_list("pk", flat=True))
            allowed = {msme.pk for msme in (world.msme, world.other_msme) if policies.can(actor, name, msme)}
            assert given == allowed, (name, role)


def test_msmes_visible_takes_the_actor(world):
    with tenant_context(world.tenant):
        seen = {role: set(selectors.msmes_visible(world.actors[role])) for role in ROLES}
    both = {world.msme, world.other_msme}
    assert seen == row(set(), {world.msme}, {world.other_msme}, set(), both, set(), set(), set())


def test_asset_rules_follow_their_msme(world):
    with tenant_context(world.tenant):
        asset = IpAssetFactory(msme=world.msme)
        for name in ("registry.view_asset", "registry.edit_asset"):
            assert answers(world, name, asset) == OWN_OR_AGENCY
            assert answers(world, name) == MEMBERS_OR_AGENCY


def test_import_jobs_are_their_tenants_agency_staffs(world):
    with tenant_context(world.tenant):
        job = ImportJobFactory()
    assert answers(world, "registry.import_msmes", job) == AGENCY_ONLY


def test_a_signed_in_user_with_no_place_may_register_a_business(world):
    newcomer = actor_for_user(user_with_role(None))
    assert policies.can(newcomer, "registry.self_register")
    assert not policies.can(newcomer, "registry.view_msme")


def test_another_tenants_agency_staff_are_refused_this_tenants_rows(world):
    other_tenant = TenantFactory()
    stranger = actor_for_user(user_with_role(Role.AGENCY_STAFF, other_tenant))
    with tenant_context(world.tenant):
        for name in MSME_RULES:
            assert not policies.can(stranger, name, world.msme), name
    with tenant_context(other_tenant):
        theirs = MsmeFactory()
        assert policies.can(stranger, "registry.edit_msme", theirs)
