"""apps/diagnostics, guidance, accounts and tenants policies (and core's `core.signed_in`): every rule
asked by every kind of actor of ONE tenant; a rule that narrows rows agrees with its own answers."""

from __future__ import annotations

import pytest
from django.test import override_settings

from apps.accounts.services import api_token_create
from apps.core import policies
from apps.diagnostics import selectors as diagnostics_selectors
from apps.diagnostics.models import Assessment
from apps.tenants.context import tenant_context
from tests.factories import AssessmentFactory, TenantFactory, TopicOverlayFactory
from tests.policies.actors import AGENCY, ROLES, one_tenant, row

pytestmark = pytest.mark.django_db

F, T = False, True
AGENCY_ONLY = row(F, F, F, F, T, F, F, F)
SIGNED_IN = row(F, T, T, T, T, T, T, T)

# fmt: off
PAGE_RULES = {
    "core.signed_in":                  SIGNED_IN,
    "diagnostics.view_assessment":     row(F, T, T, F, T, F, F, F),
    "diagnostics.browse_assessments":  AGENCY_ONLY,
    "diagnostics.record_assessment":   AGENCY_ONLY,
    "diagnostics.see_recorder":        AGENCY_ONLY,
    "diagnostics.self_assess":         row(F, T, T, F, F, F, F, F),
    "guidance.edit_overlay":           AGENCY_ONLY,
    "accounts.manage_api_tokens":      SIGNED_IN,
    "accounts.create_api_token":       SIGNED_IN,  # staff MFA off; see the test below
    "tenants.switch_tenant":           SIGNED_IN,
}
# The rule asked about the MSME of `msme_own` (or a row of it).
MSME_RULES = {
    "diagnostics.record_assessment":   AGENCY_ONLY,
    "diagnostics.see_recorder":        AGENCY_ONLY,
}
# fmt: on


@pytest.fixture
def world():
    return one_tenant()


def answers(world, name, obj=None):
    return {role: policies.can(world.actors[role], name, obj) for role in ROLES}


@override_settings(PORTAL_REQUIRE_STAFF_MFA=False)
@pytest.mark.parametrize("name", sorted(PAGE_RULES))
def test_page_rules_for_every_role_of_one_tenant(world, name):
    assert answers(world, name) == PAGE_RULES[name]


@pytest.mark.parametrize("name", sorted(MSME_RULES))
def test_msme_rules_for_every_role_of_one_tenant(world, name):
    with tenant_context(world.tenant):
        assert answers(world, name, world.msme) == MSME_RULES[name]


def test_an_assessment_is_read_by_its_msmes_members_and_the_agency(world):
    with tenant_context(world.tenant):
        own, other = AssessmentFactory(msme=world.msme), AssessmentFactory(msme=world.other_msme)
        assert answers(world, "diagnostics.view_assessment", own) == row(F, T, F, F, T, F, F, F)
        assert answers(world, "diagnostics.view_assessment", other) == row(F, F, T, F, T, F, F, F)
        for role in ROLES:
            actor = world.actors[role]
            given = set(policies.rows(actor, "diagnostics.view_assessment", Assessment.objects.all()))
            assert given == {a for a in (own, other) if policies.can(actor, "diagnostics.view_assessment", a)}, role
            assert set(diagnostics_selectors.assessments_visible(actor)) == given, role


@override_settings(PORTAL_REQUIRE_STAFF_MFA=True)
def test_staff_need_two_factor_authentication_before_an_api_token(world):
    # Nobody here has TOTP: members may create a token, every staff role may not.
    assert answers(world, "accounts.create_api_token") == row(F, T, T, F, F, F, F, F)


def test_an_api_token_is_managed_by_its_owner_only(world):
    agency = world.actors[AGENCY]
    token, _key = api_token_create(user=agency.user, membership=agency.membership, name="t")
    assert answers(world, "accounts.manage_api_tokens", token) == AGENCY_ONLY


def test_an_overlay_is_edited_by_its_own_agencys_staff_only(world):
    with tenant_context(world.tenant):
        own = TopicOverlayFactory()
    other_tenant = TenantFactory()
    with tenant_context(other_tenant):
        theirs = TopicOverlayFactory()
    assert answers(world, "guidance.edit_overlay", own) == AGENCY_ONLY
    assert not any(answers(world, "guidance.edit_overlay", theirs).values())
