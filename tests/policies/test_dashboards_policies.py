"""The statistics' rules asked by every kind of actor of one tenant."""

from __future__ import annotations

import pytest

from apps.core.policies import can
from apps.tenants.context import tenant_context
from tests.policies.actors import ROLES, one_tenant, row

pytestmark = pytest.mark.django_db

F, T = False, True
# fmt: off
RULES = {
    "dashboards.view":     row(F, F, F, F, T, T, F, F),  # the agency's own figures, or the division's countries
    "dashboards.refresh":  row(F, F, F, F, T, F, F, F),  # counting again is a tenant's job
}
# fmt: on


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_rule_answers_each_kind_of_actor_of_one_tenant(name):
    world = one_tenant()
    with tenant_context(world.tenant):
        assert {role: can(world.actors[role], name) for role in ROLES} == RULES[name]
