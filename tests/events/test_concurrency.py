"""Two registrations for the last seat at the same moment (PostgreSQL: two connections): one gets it, the
other waits; a cancellation promotes the first waiting exactly once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from apps.core.roles import Role
from apps.events import services
from apps.events.models import Registration
from apps.tenants.context import tenant_context
from tests.factories import EventFactory, MsmeFactory, MsmeMemberFactory, user_with_role
from tests.policies.actors import actor_of, one_tenant


def _in_thread(target):
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = target()
        except Exception as error:  # the test reads it
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.fixture
def committed(transactional_db):
    with transaction.atomic():
        world = one_tenant()
        with tenant_context(world.tenant):
            start = timezone.now() + timedelta(days=2)
            event = EventFactory(capacity=1, starts_at=start, ends_at=start + timedelta(hours=1))
            members = []
            for _ in range(2):
                user = user_with_role(Role.MSME_MEMBER, world.tenant)
                MsmeMemberFactory(msme=MsmeFactory(), user=user)
                members.append(actor_of(user))
    return world, event, members


def test_two_registrations_for_the_last_seat_never_both_get_it(committed):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent transactions need PostgreSQL")
    world, event, (first_member, second_member) = committed
    registered, release = threading.Event(), threading.Event()

    def first():
        with tenant_context(world.tenant), transaction.atomic():
            registration = services.registration_create(actor=first_member, event=event)
            registered.set()
            release.wait(10)  # hold the seat, uncommitted, while the second registers
            return registration.status

    def second():
        registered.wait(10)
        with tenant_context(world.tenant), transaction.atomic():
            return services.registration_create(actor=second_member, event=event).status

    one, first_outcome = _in_thread(first)
    two, second_outcome = _in_thread(second)
    registered.wait(10)
    two.join(1)
    assert two.is_alive(), "the second registration must wait on the event's row lock"
    release.set()
    one.join(10)
    two.join(10)
    assert "error" not in first_outcome and "error" not in second_outcome, (first_outcome, second_outcome)
    assert sorted([first_outcome["result"], second_outcome["result"]]) == ["confirmed", "waiting"]
    with tenant_context(world.tenant), transaction.atomic():
        assert Registration.objects.filter(event=event, status="confirmed").count() == 1


def test_two_cancellations_at_once_promote_each_waiting_once(committed):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent transactions need PostgreSQL")
    world, event, (first_member, second_member) = committed

    def seat_both():
        with tenant_context(world.tenant), transaction.atomic():
            return (
                services.registration_create(actor=first_member, event=event),
                services.registration_create(actor=second_member, event=event),
            )

    setup, made = _in_thread(seat_both)
    setup.join(10)
    seated, waiting = made["result"]
    staff = world.actors["agency"]
    started = threading.Event()

    def cancel(actor, hold):
        def run():
            with tenant_context(world.tenant), transaction.atomic():
                services.registration_cancel(actor=actor, registration=seated)
                started.set()
                hold.wait(5)

        return run

    hold = threading.Event()
    one, first_outcome = _in_thread(cancel(first_member, hold))
    started.wait(10)
    two, second_outcome = _in_thread(cancel(staff, threading.Event()))
    two.join(1)
    hold.set()
    one.join(10)
    two.join(10)
    errors = [outcome.get("error") for outcome in (first_outcome, second_outcome) if "error" in outcome]
    assert len(errors) == 1  # the second was told the registration is cancelled already
    with tenant_context(world.tenant), transaction.atomic():
        statuses = dict(Registration.objects.filter(event=event).values_list("pk", "status"))
    assert statuses == {seated.pk: "cancelled", waiting.pk: "confirmed"}
