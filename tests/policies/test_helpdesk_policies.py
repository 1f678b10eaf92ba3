"""apps/helpdesk/policies.py: every ticket rule asked by every kind of actor of ONE tenant, about nothing
(the page or endpoint), about the own MSME's ticket and about the same ticket routed to the Arbitration
and Mediation Center (the division agent's); the rows a rule gives agree with its answers."""

from __future__ import annotations

import pytest
from django.db import transaction

from apps.core import policies
from apps.core.roles import Division
from apps.helpdesk.models import Queue, Ticket
from apps.tenants.context import division_context, tenant_context
from tests.factories import HelpdeskTicketFactory
from tests.policies.actors import DIVISION_AGENT, ROLES, one_tenant, row

pytestmark = pytest.mark.django_db

F, T = False, True

# rule: (no object, the own MSME's ticket in the agency's queue, the same routed to the AMC)
# fmt: off
TICKET_RULES = {
    "helpdesk.view_ticket":   (row(F, T, T, T, F, F, T, F), row(F, T, F, T, F, F, F, F), row(F, T, F, T, F, F, T, F)),
    "helpdesk.reply":         (row(F, T, T, T, F, F, T, F), row(F, T, F, T, F, F, F, F), row(F, T, F, T, F, F, T, F)),
    "helpdesk.work_tickets":  (row(F, F, F, T, F, F, T, F), row(F, F, F, T, F, F, F, F), row(F, F, F, T, F, F, T, F)),
    "helpdesk.read_internal": (row(F, F, F, T, F, F, T, F), row(F, F, F, T, F, F, F, F), row(F, F, F, T, F, F, T, F)),
    "helpdesk.close_own":     (row(F, T, T, F, F, F, F, F), row(F, T, F, F, F, F, F, F), row(F, T, F, F, F, F, F, F)),
}
PAGE_RULES = {
    "helpdesk.open_ticket":    row(F, T, T, F, F, F, F, F),
    "helpdesk.view_queue":     row(F, F, F, T, F, F, T, F),
    "helpdesk.configure":      row(F, F, F, F, T, F, F, F),
    "helpdesk.book_session":   row(F, T, T, F, F, F, F, F),
    "helpdesk.offer_sessions": row(F, F, F, T, F, F, F, F),  # the agency's agents; a division has no visits
}
# fmt: on


@pytest.fixture
def world():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        queue = Queue.objects.create(tenant=world.tenant, name="Agency helpdesk", is_default=True)
        amc = Queue.objects.create(division=Division.AMC, name="AMC")
        requester = world.actors["msme_own"].user
        world.ticket = HelpdeskTicketFactory(msme=world.msme, queue=queue, requester=requester)
        world.routed = HelpdeskTicketFactory(msme=world.msme, queue=amc, division=Division.AMC, requester=requester)
    return world


def answers(world, name, obj=None):
    with tenant_context(world.tenant), transaction.atomic():
        return {role: policies.can(world.actors[role], name, obj) for role in ROLES}


@pytest.mark.parametrize("name", sorted(TICKET_RULES))
def test_ticket_rules_for_every_role_of_one_tenant(world, name):
    page, own, routed = TICKET_RULES[name]
    assert answers(world, name) == page
    assert answers(world, name, world.ticket) == own
    assert answers(world, name, world.routed) == routed


@pytest.mark.parametrize("name", sorted(PAGE_RULES))
def test_page_rules_for_every_role_of_one_tenant(world, name):
    assert answers(world, name) == PAGE_RULES[name]


@pytest.mark.parametrize("name", ["helpdesk.view_ticket", "helpdesk.reply", "helpdesk.work_tickets"])
def test_the_rows_agree_with_the_answers(world, name):
    for role in ROLES:
        actor = world.actors[role]
        # Each actor reads in its own scope, as its requests do: the division agent in the AMC's.
        scope = division_context(Division.AMC) if role == DIVISION_AGENT else tenant_context(world.tenant)
        with scope, transaction.atomic():
            seen = set(policies.rows(actor, name, Ticket.objects.all()).values_list("pk", flat=True))
            expected = {
                ticket.pk
                for ticket in (world.ticket, world.routed)
                if policies.can(actor, name, ticket) and (role != DIVISION_AGENT or ticket.division == Division.AMC)
            }
        assert seen == expected, role


def test_rating_waits_for_the_resolution_and_is_asked_once(world):
    with tenant_context(world.tenant), transaction.atomic():
        _rating_waits_for_the_resolution_and_is_asked_once(world)


def _rating_waits_for_the_resolution_and_is_asked_once(world):
    member = world.actors["msme_own"]
    assert not policies.can(member, "helpdesk.rate", world.ticket)
    world.ticket.status = "resolved"
    assert policies.can(member, "helpdesk.rate", world.ticket)
    assert not policies.can(world.actors["msme_other"], "helpdesk.rate", world.ticket)
    world.ticket.rating = "good"
    assert not policies.can(member, "helpdesk.rate", world.ticket)
