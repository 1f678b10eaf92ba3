"""apps/events/policies.py: every rule asked by every kind of actor of ONE tenant, about nothing (the page
or endpoint), about an event and about the own MSME's registration; the rows a rule gives agree with its
answers."""

from __future__ import annotations

import pytest
from django.db import transaction

from apps.core import policies
from apps.events.models import Event, Registration
from apps.tenants.context import tenant_context
from tests.factories import EventFactory, RegistrationFactory
from tests.policies.actors import ROLES, one_tenant, row

pytestmark = pytest.mark.django_db

F, T = False, True

# rule: (no object, an event of the tenant)
# fmt: off
EVENT_RULES = {
    "events.view_event": (row(F, T, T, F, T, F, F, F), row(F, T, T, F, T, F, F, F)),
    "events.register":   (row(F, T, T, F, T, F, F, F), row(F, T, T, F, T, F, F, F)),
    "events.manage":     (row(F, F, F, F, T, F, F, F), row(F, F, F, F, T, F, F, F)),
}
# rule: (no object, the own MSME's registration)
REGISTRATION_RULES = {
    "events.view_registration":   (row(F, T, T, F, T, F, F, F), row(F, T, F, F, T, F, F, F)),
    "events.cancel_registration": (row(F, T, T, F, T, F, F, F), row(F, T, F, F, T, F, F, F)),
    "events.my_registrations":    (row(F, T, T, F, F, F, F, F), row(F, T, F, F, F, F, F, F)),
}
# fmt: on


@pytest.fixture
def world():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        world.event = EventFactory()
        world.registration = RegistrationFactory(event=world.event, msme=world.msme)
        world.other_registration = RegistrationFactory(event=world.event, msme=world.other_msme)
    return world


def answers(world, name, obj=None):
    with tenant_context(world.tenant), transaction.atomic():
        return {role: policies.can(world.actors[role], name, obj) for role in ROLES}


@pytest.mark.parametrize("name", sorted(EVENT_RULES))
def test_event_rules_for_every_role_of_one_tenant(world, name):
    page, event = EVENT_RULES[name]
    assert answers(world, name) == page
    assert answers(world, name, world.event) == event


@pytest.mark.parametrize("name", sorted(REGISTRATION_RULES))
def test_registration_rules_for_every_role_of_one_tenant(world, name):
    page, own = REGISTRATION_RULES[name]
    assert answers(world, name) == page
    assert answers(world, name, world.registration) == own


def test_a_cancelled_registration_cannot_be_cancelled_again(world):
    with tenant_context(world.tenant), transaction.atomic():
        Registration.objects.filter(pk=world.registration.pk).update(status="cancelled")
        world.registration.refresh_from_db()
    assert not any(answers(world, "events.cancel_registration", world.registration).values())


@pytest.mark.parametrize("name", ["events.view_event", "events.manage"])
def test_the_event_rows_agree_with_the_answers(world, name):
    for role in ROLES:
        with tenant_context(world.tenant), transaction.atomic():
            seen = set(policies.rows(world.actors[role], name, Event.objects.all()).values_list("pk", flat=True))
            expected = {world.event.pk} if policies.can(world.actors[role], name, world.event) else set()
        assert seen == expected, role


@pytest.mark.parametrize("name", ["events.view_registration", "events.cancel_registration"])
def test_the_registration_rows_agree_with_the_answers(world, name):
    for role in ROLES:
        with tenant_context(world.tenant), transaction.atomic():
            actor = world.actors[role]
            seen = set(policies.rows(actor, name, Registration.objects.all()).values_list("pk", flat=True))
            expected = {
                registration.pk
                for registration in (world.registration, world.other_registration)
                if policies.can(actor, name, registration)
            }
        assert seen == expected, role
