"""apps/outreach's `outreach.manage_segments`: asked by every kind of actor of ONE tenant, about no row, a
segment of the tenant and another tenant's; its rows agree with its answers and with the selector."""

from __future__ import annotations

import pytest

from apps.core import policies
from apps.outreach.models import Segment
from apps.outreach.segments import segments_visible
from apps.tenants.context import tenant_context, unscoped
from tests.factories import SegmentFactory, TenantFactory
from tests.policies.actors import ROLES, one_tenant, row

pytestmark = pytest.mark.django_db

F, T = False, True
RULE = "outreach.manage_segments"


@pytest.fixture
def world():
    return one_tenant()


def answers(world, obj=None):
    return {role: policies.can(world.actors[role], RULE, obj) for role in ROLES}


def test_only_the_tenant_s_agency_staff_keep_segments(world):
    assert answers(world) == row(F, F, F, F, T, F, F, F)


def test_a_segment_of_the_tenant_and_one_of_another(world):
    with tenant_context(world.tenant):
        own = SegmentFactory()
    with tenant_context(TenantFactory(slug="elsewhere")) as other_tenant:
        foreign = SegmentFactory()
    assert other_tenant is not None
    assert answers(world, own) == row(F, F, F, F, T, F, F, F)
    assert answers(world, foreign) == row(F, F, F, F, F, F, F, F)


def test_rows_agree_with_the_answers_and_the_selector(world):
    with tenant_context(world.tenant):
        segments = {SegmentFactory(), SegmentFactory()}
        for role in ROLES:
            actor = world.actors[role]
            given = set(policies.rows(actor, RULE, Segment.objects.all()))
            assert given == {s for s in segments if policies.can(actor, RULE, s)}, role
            assert set(segments_visible(actor)) == given, role


def test_the_selector_never_reaches_another_tenant_s_segments(world):
    with tenant_context(TenantFactory(slug="elsewhere")):
        SegmentFactory()
    with tenant_context(world.tenant):
        mine = SegmentFactory()
        assert list(segments_visible(world.actors["agency"])) == [mine]
    with unscoped("test: both tenants' segments exist"):
        assert Segment.objects.count() == 2
