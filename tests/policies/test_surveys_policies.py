"""apps/surveys policies: every rule asked by every kind of actor of ONE tenant; `rows` agrees with the
per-row answers, and another tenant's survey is never the actor's."""

from __future__ import annotations

import pytest

from apps.core import policies
from apps.surveys.models import Survey
from apps.tenants.context import tenant_context
from tests.factories import SurveyFactory, TenantFactory
from tests.policies.actors import AGENCY, ROLES, one_tenant, row

pytestmark = pytest.mark.django_db

F, T = False, True
AGENCY_ONLY = row(F, F, F, F, T, F, F, F)


@pytest.fixture
def world():
    return one_tenant()


def test_only_agency_staff_manage_surveys(world):
    assert {role: policies.can(world.actors[role], "surveys.manage_surveys") for role in ROLES} == AGENCY_ONLY


def test_the_rule_on_a_survey_agrees_with_its_rows(world):
    with tenant_context(world.tenant):
        survey = SurveyFactory()
        for role in ROLES:
            actor = world.actors[role]
            allowed = policies.can(actor, "surveys.manage_surveys", survey)
            listed = policies.rows(actor, "surveys.manage_surveys", Survey.objects.all()).filter(pk=survey.pk).exists()
            assert allowed == listed == AGENCY_ONLY[role], role


def test_another_tenant_s_survey_is_not_the_agency_s(world):
    other = TenantFactory()
    with tenant_context(other):
        foreign = SurveyFactory()
    assert not policies.can(world.actors[AGENCY], "surveys.manage_surveys", foreign)
