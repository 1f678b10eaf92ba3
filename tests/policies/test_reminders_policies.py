"""The reminders' rule with every kind of actor of one tenant, and its rows agreeing with its answers."""

from __future__ import annotations

import pytest

from apps.core.policies import can, rows
from apps.reminders import services
from apps.reminders.models import CalendarToken, ReminderDelivery, ReminderSettings
from apps.tenants.context import tenant_context
from tests.factories import IpAssetFactory, ReminderDeliveryFactory
from tests.policies.actors import OTHER, OWN, ROLES, one_tenant, row

pytestmark = pytest.mark.django_db

MANAGE = row(False, True, True, False, False, False, False, False)
OWN_ROW = row(False, True, False, False, False, False, False, False)


@pytest.fixture
def world():
    made = one_tenant()
    with tenant_context(made.tenant):
        member = made.msme.members.get()
        token, _secret = services.calendar_token_create(member=member, actor=None)
        settings = services.reminder_settings_update(member=member, data={"remind_7": False}, actor=None)
        delivery = ReminderDeliveryFactory(asset=IpAssetFactory(msme=made.msme), user=member.user)
    made.rows = {"token": token, "settings": settings, "delivery": delivery}
    return made


@pytest.mark.parametrize("role", ROLES)
def test_the_page_is_each_members_own(world, role):
    with tenant_context(world.tenant):
        assert can(world.actors[role], "reminders.manage_own") is MANAGE[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["token", "settings", "delivery"])
def test_a_members_rows_are_theirs_alone_and_rows_agrees(world, role, kind):
    actor = world.actors[role]
    obj = world.rows[kind]
    model = {"token": CalendarToken, "settings": ReminderSettings, "delivery": ReminderDelivery}[kind]
    with tenant_context(world.tenant):
        assert can(actor, "reminders.manage_own", obj) is OWN_ROW[role]
        listed = set(rows(actor, "reminders.manage_own", model.objects.all()).values_list("pk", flat=True))
    assert listed == ({obj.pk} if OWN_ROW[role] else set())


def test_the_other_member_gets_their_own_rows(world):
    with tenant_context(world.tenant):
        member = world.other_msme.members.get()
        token, _secret = services.calendar_token_create(member=member, actor=None)
        assert can(world.actors[OTHER], "reminders.manage_own", token)
        assert not can(world.actors[OWN], "reminders.manage_own", token)
