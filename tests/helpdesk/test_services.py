"""The helpdesk's services: opening, routing, replying, the SLA clock's stops, transfer, merge, rating."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.core.roles import Division, Role
from apps.helpdesk import services
from apps.helpdesk.models import Message, Queue, QueueAgent, RequesterTier, RoutingRule, SlaTarget, Status, Ticket, Tier
from apps.helpdesk.sla_jobs import sweep_tenant
from apps.tenants.audit import AuditEvent
from apps.tenants.context import division_context, tenant_context
from tests.factories import user_with_role

# A Monday, 10:00 UTC.
MONDAY_10 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def _open(desk, *, actor=None, **fields):
    values = {"subject": "How do I protect my logo?", "body": "We sell honey under our brand.", "language": "en"}
    values.update(fields)
    return services.ticket_open(actor=actor or desk.member, msme=desk.world.msme, **values)


@pytest.fixture
def frozen(monkeypatch):
    from django.utils import timezone

    clock = {"now": MONDAY_10}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    return clock


def test_a_member_opens_a_ticket_routed_to_the_default_queue_with_due_times(in_tenant, frozen):
    ticket = _open(in_tenant)
    assert ticket.queue == in_tenant.queue and ticket.division is None
    assert ticket.status == Status.NEW and ticket.tier == Tier.FIRST_TIME
    assert ticket.reference.startswith("T-") and ticket.msme_name == in_tenant.world.msme.name
    # First-time user, normal priority: 480 business minutes (one 08:00-16:00 day) from Monday 10:00
    # is Tuesday 10:00; resolution 2400 minutes = five such days: next Monday 10:00.
    assert ticket.first_response_due == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert ticket.resolution_due == datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    assert AuditEvent.objects.filter(object_id=ticket.pk, action="create").exists()


def test_the_second_ticket_of_an_msme_is_an_experienced_users_and_a_set_tier_wins(in_tenant, frozen):
    _open(in_tenant)
    assert _open(in_tenant).tier == Tier.EXPERIENCED
    RequesterTier.objects.create(msme=in_tenant.world.msme, tier=Tier.FREQUENT_FILER)
    assert _open(in_tenant).tier == Tier.FREQUENT_FILER
    RequesterTier.objects.create(user=in_tenant.member.user, tier=Tier.IP_OFFICE)
    assert _open(in_tenant).tier == Tier.IP_OFFICE


def test_a_queue_target_overrides_the_built_in_one(in_tenant, frozen):
    SlaTarget.objects.create(
        queue=in_tenant.queue,
        tier=Tier.FIRST_TIME,
        priority="normal",
        first_response_minutes=60,
        resolution_minutes=120,
    )
    ticket = _open(in_tenant)
    assert ticket.first_response_due == MONDAY_10 + timedelta(hours=1)
    assert ticket.resolution_due == MONDAY_10 + timedelta(hours=2)


def test_routing_rules_first_match_wins_agency_rules_before_platform_rules(in_tenant, frozen):
    madrid = Queue.objects.create(division=Division.MADRID, name="Madrid")
    other = Queue.objects.create(tenant=in_tenant.tenant, name="Trademarks desk")
    RoutingRule.objects.create(tenant=None, position=1, topic="madrid", queue=madrid)
    RoutingRule.objects.create(tenant=in_tenant.tenant, position=5, topic="madrid", language="fr", queue=other)
    assert _open(in_tenant, topic="madrid", language="fr").queue == other
    routed = _open(in_tenant, topic="madrid", language="en")
    assert routed.queue == madrid and routed.division == Division.MADRID
    assert _open(in_tenant, topic="patents").queue == in_tenant.queue


def test_nobody_but_a_member_opens_a_ticket_and_bad_input_names_the_field(in_tenant):
    with pytest.raises(PermissionDenied):
        _open(in_tenant, actor=in_tenant.agent)
    with pytest.raises(ValidationError) as error:
        _open(in_tenant, subject=" ", topic="no-such-topic", language="xx")
    assert set(error.value.message_dict) == {"subject", "topic", "language"}


def test_first_agent_reply_stops_the_first_response_clock_and_opens_the_ticket(in_tenant, frozen):
    ticket = _open(in_tenant)
    frozen["now"] = MONDAY_10 + timedelta(hours=2)
    services.ticket_reply(actor=in_tenant.agent, ticket=ticket, body="Register it as a trademark.")
    ticket.refresh_from_db()
    assert ticket.first_responded_at == MONDAY_10 + timedelta(hours=2)
    # The due time stays, so that compliance can be measured: answered two hours in, one day allowed.
    assert ticket.first_response_due == datetime(2026, 12, 1, 10, 0, tzinfo=UTC) and ticket.status == Status.OPEN
    assert ticket.next_due == ticket.resolution_due


def test_an_internal_note_is_for_agents_only_and_stops_no_clock(in_tenant, frozen):
    ticket = _open(in_tenant)
    with pytest.raises(PermissionDenied):
        services.ticket_reply(actor=in_tenant.member, ticket=ticket, body="psst", internal=True)
    note = services.ticket_reply(
        actor=in_tenant.agent, ticket=ticket, body="Check their earlier filing.", internal=True
    )
    ticket.refresh_from_db()
    assert note.kind == Message.Kind.NOTE and ticket.first_responded_at is None and ticket.status == Status.NEW


def test_waiting_on_the_customer_pauses_the_clock_and_the_reply_resumes_it(in_tenant, frozen):
    ticket = _open(in_tenant)
    services.ticket_set_status(actor=in_tenant.agent, ticket=ticket, status=Status.WAITING)
    ticket.refresh_from_db()
    assert ticket.resolution_due is None and ticket.is_paused
    # The MSME answers a business day later (Tuesday 10:00): the 8 paused business hours are added.
    frozen["now"] = MONDAY_10 + timedelta(days=1)
    services.ticket_reply(actor=in_tenant.member, ticket=ticket, body="Here are the documents.")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and not ticket.is_paused
    assert ticket.resolution_due == datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


def test_a_ticket_resolved_while_waiting_on_the_customer_keeps_a_resolution_due_time(in_tenant, frozen):
    """So that the statistics can tell whether it was resolved on time (the clock stopped while waiting)."""
    ticket = _open(in_tenant)
    services.ticket_set_status(actor=in_tenant.agent, ticket=ticket, status=Status.WAITING)
    frozen["now"] = MONDAY_10 + timedelta(days=1)
    services.ticket_set_status(actor=in_tenant.agent, ticket=ticket, status=Status.RESOLVED)
    ticket.refresh_from_db()
    assert not ticket.is_paused and ticket.next_due is None
    # The 8 business hours it waited are added, as when the customer answers (the test above).
    assert ticket.resolution_due == datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


def test_resolving_records_when_and_the_member_rates_once(in_tenant, frozen):
    ticket = _open(in_tenant)
    with pytest.raises(PermissionDenied):
        services.ticket_rate(actor=in_tenant.member, ticket=ticket, rating="good")
    services.ticket_set_status(actor=in_tenant.agent, ticket=ticket, status=Status.RESOLVED)
    ticket.refresh_from_db()
    assert ticket.resolved_at == MONDAY_10 and ticket.next_due is None
    assert ticket.resolution_due == datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # kept: met
    with pytest.raises(ValidationError):
        services.ticket_rate(actor=in_tenant.member, ticket=ticket, rating="meh")
    with pytest.raises(PermissionDenied):
        services.ticket_rate(actor=in_tenant.other_member, ticket=ticket, rating="bad")
    services.ticket_rate(actor=in_tenant.member, ticket=ticket, rating="good", comment="Clear answer")
    with pytest.raises(PermissionDenied):
        services.ticket_rate(actor=in_tenant.member, ticket=ticket, rating="bad")
    ticket.refresh_from_db()
    assert ticket.rating == "good" and ticket.rating_comment == "Clear answer"


def test_a_member_cannot_reply_to_a_closed_ticket(in_tenant):
    ticket = _open(in_tenant)
    services.ticket_close_own(actor=in_tenant.member, ticket=ticket)
    with pytest.raises(PermissionDenied):
        services.ticket_reply(actor=in_tenant.member, ticket=ticket, body="One more thing")


def test_assignment_only_to_the_queues_agents_and_auto_assignment_by_language_and_load(in_tenant):
    ticket = _open(in_tenant)
    with pytest.raises(ValidationError):
        services.ticket_assign(actor=in_tenant.agent, ticket=ticket, assignee=in_tenant.agency.user)
    french = user_with_role(Role.HELPDESK_AGENT, in_tenant.tenant)
    QueueAgent.objects.create(queue=in_tenant.queue, user=french, languages=["fr"])
    busy_french = user_with_role(Role.HELPDESK_AGENT, in_tenant.tenant)
    QueueAgent.objects.create(queue=in_tenant.queue, user=busy_french, languages=["fr"])
    services.ticket_assign(actor=in_tenant.agent, ticket=_open(in_tenant, language="fr"), assignee=busy_french)
    fr_ticket = _open(in_tenant, language="fr")
    services.ticket_auto_assign(actor=in_tenant.agent, ticket=fr_ticket)
    assert fr_ticket.assignee == french  # speaks French and holds nothing yet
    services.ticket_auto_assign(actor=in_tenant.agent, ticket=ticket)
    assert ticket.assignee == in_tenant.agent.user  # the only English speaker
    with pytest.raises(ValidationError):
        services.ticket_auto_assign(actor=in_tenant.agent, ticket=_open(in_tenant, language="es"))


def test_transfer_to_a_division_and_back_keeps_the_tenant_and_moves_the_timeline(desk, frozen):
    with tenant_context(desk.tenant), transaction.atomic():
        ticket = _open(desk)
        services.ticket_reply(actor=desk.agent, ticket=ticket, body="Passing you to the AMC.", internal=True)
        services.ticket_transfer(actor=desk.agent, ticket=ticket, queue=desk.division_queue)
        ticket.refresh_from_db()
        assert ticket.division == Division.AMC and ticket.tenant_id == desk.tenant.pk
        assert set(ticket.messages.values_list("division", flat=True)) == {Division.AMC}
    with division_context(Division.AMC), transaction.atomic():
        seen = Ticket.objects.get(pk=ticket.pk)
        services.ticket_reply(actor=desk.division_agent, ticket=seen, body="Mediation may fit.")
        services.ticket_transfer(actor=desk.division_agent, ticket=seen, queue=desk.queue)
    with tenant_context(desk.tenant), transaction.atomic():
        back = Ticket.objects.get(pk=ticket.pk)
        assert back.division is None and back.queue == desk.queue and back.tenant_id == desk.tenant.pk
        assert back.messages.filter(kind="reply", from_agent=True).count() == 1
        assert set(back.messages.values_list("division", flat=True)) == {None}
    with division_context(Division.AMC), transaction.atomic():
        assert not Ticket.objects.filter(pk=ticket.pk).exists()


def test_a_division_agent_cannot_work_a_tenants_own_ticket(desk):
    with tenant_context(desk.tenant), transaction.atomic():
        ticket = _open(desk)
    with pytest.raises(PermissionDenied):
        services.ticket_reply(actor=desk.division_agent, ticket=ticket, body="Not mine")


def test_merge_closes_the_duplicate_and_links_show_both_ways(in_tenant):
    first, duplicate = _open(in_tenant), _open(in_tenant)
    services.ticket_merge(actor=in_tenant.agent, ticket=duplicate, into=first)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.CLOSED and duplicate.merged_into == first
    assert first.messages.filter(kind="change", changes__merged__1=duplicate.reference).exists()
    with pytest.raises(ValidationError):
        services.ticket_merge(actor=in_tenant.agent, ticket=first, into=first)
    third = _open(in_tenant)
    services.ticket_link(actor=in_tenant.agent, ticket=third, other=first)
    services.ticket_link(actor=in_tenant.agent, ticket=first, other=third)
    from apps.helpdesk.selectors import linked_tickets

    assert linked_tickets(first) == [third] and linked_tickets(third) == [first]


def test_every_change_is_on_the_timeline_with_old_and_new_values(in_tenant):
    ticket = _open(in_tenant)
    services.ticket_set_status(actor=in_tenant.agent, ticket=ticket, status=Status.OPEN)
    services.ticket_assign(actor=in_tenant.agent, ticket=ticket, assignee=in_tenant.agent.user)
    changes = list(ticket.messages.filter(kind="change").values_list("changes", flat=True))
    assert {"status": ["new", "open"]} in changes
    assert {"assignee": [None, in_tenant.agent.user.pk]} in changes


def test_the_sweep_warns_then_escalates_once_each(in_tenant, frozen, settings, mailoutbox):
    settings.HELPDESK_SLA_WARNING_MINUTES = 60
    ticket = _open(in_tenant)
    services.ticket_assign(actor=in_tenant.agent, ticket=ticket, assignee=in_tenant.agent.user)
    frozen["now"] = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # half an hour before the first answer is due
    assert sweep_tenant().warned == 1
    assert sweep_tenant().warned == 0
    frozen["now"] = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
    result = sweep_tenant()
    assert result.escalated == 1 and sweep_tenant().escalated == 0
    ticket.refresh_from_db()
    assert ticket.response_warned_at and ticket.response_breached_at


def test_an_answered_ticket_is_not_escalated_for_its_first_response(in_tenant, frozen):
    ticket = _open(in_tenant)
    services.ticket_reply(actor=in_tenant.agent, ticket=ticket, body="On it.")
    frozen["now"] = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)  # past the first-response due time
    assert sweep_tenant().escalated == 0
    ticket.refresh_from_db()
    assert ticket.response_breached_at is None


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_warn_once(desk, frozen):
    """Two workers sweep the same tenant at the same moment: the rows one holds, the other skips."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    with tenant_context(desk.tenant), transaction.atomic():
        ticket = _open(desk)
        services.ticket_assign(actor=desk.agent, ticket=ticket, assignee=desk.agent.user)
    frozen["now"] = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    first_done, results = threading.Event(), {}

    def second_worker():
        try:
            with tenant_context(desk.tenant), transaction.atomic():
                results["second"] = sweep_tenant().warned
        finally:
            connections.close_all()

    with tenant_context(desk.tenant), transaction.atomic():
        results["first"] = sweep_tenant().warned  # holds its rows until this block commits
        worker = threading.Thread(target=second_worker)
        worker.start()
        worker.join(timeout=30)
        first_done.set()
    with tenant_context(desk.tenant), transaction.atomic():
        results["again"] = sweep_tenant().warned
    assert results == {"first": 1, "second": 0, "again": 0}


def test_closing_a_resolved_ticket_keeps_when_it_was_resolved_and_reopening_takes_it_back(in_tenant, frozen):
    ticket = _open(in_tenant)
    services.ticket_set_status(actor=in_tenant.agent, ticket=ticket, status=Status.RESOLVED)
    frozen["now"] = MONDAY_10 + timedelta(days=3)
    services.ticket_close_own(actor=in_tenant.member, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.resolved_at == MONDAY_10 and ticket.closed_at == MONDAY_10 + timedelta(days=3)
    services.ticket_set_status(actor=in_tenant.agent, ticket=ticket, status=Status.OPEN)
    ticket.refresh_from_db()
    assert ticket.resolved_at is None and ticket.closed_at is None and ticket.next_due_at is not None


def test_a_merged_ticket_is_not_merged_again_nor_into_a_closed_one(in_tenant):
    first, duplicate, third = _open(in_tenant), _open(in_tenant), _open(in_tenant)
    services.ticket_merge(actor=in_tenant.agent, ticket=duplicate, into=first)
    with pytest.raises(ValidationError):
        services.ticket_merge(actor=in_tenant.agent, ticket=duplicate, into=third)
    services.ticket_set_status(actor=in_tenant.agent, ticket=third, status=Status.CLOSED)
    with pytest.raises(ValidationError):
        services.ticket_merge(actor=in_tenant.agent, ticket=first, into=third)


def test_an_answered_ticket_gets_no_first_response_warning(in_tenant, frozen):
    ticket = _open(in_tenant)
    services.ticket_reply(actor=in_tenant.agent, ticket=ticket, body="On it.")
    frozen["now"] = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # half an hour before the first answer was due
    assert sweep_tenant().warned == 0


def test_a_new_due_time_is_warned_of_afresh(in_tenant, frozen, settings):
    settings.HELPDESK_SLA_WARNING_MINUTES = 60
    ticket = _open(in_tenant)
    frozen["now"] = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert sweep_tenant().warned == 1
    ticket.refresh_from_db()
    services.ticket_set_status(actor=in_tenant.agent, ticket=ticket, status=Status.WAITING)
    frozen["now"] = datetime(2026, 12, 1, 11, 30, tzinfo=UTC)  # two business hours paused
    services.ticket_reply(actor=in_tenant.member, ticket=ticket, body="Here it is.")
    ticket.refresh_from_db()
    assert ticket.first_response_due == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert ticket.response_warned_at is None
    assert sweep_tenant().warned == 1


def test_someone_who_left_the_agency_gets_no_tickets_from_its_queue(in_tenant):
    from apps.helpdesk import routing
    from apps.tenants.models import Membership

    Membership.objects.filter(user=in_tenant.agent.user, tenant=in_tenant.tenant).update(role="msme_member")
    assert routing.agents_of(in_tenant.queue) == []
    assert not routing.is_agent_of(in_tenant.queue, in_tenant.agent.user)
    assert routing.least_loaded_agent(in_tenant.queue, language="en") is None
    # The division's agent still serves the division's queue.
    assert routing.lead_of(in_tenant.division_queue) == in_tenant.division_agent.user


def test_an_answered_ticket_past_its_first_response_due_time_is_not_breached(in_tenant, frozen):
    from apps.helpdesk.selectors import ticket_queue

    ticket = _open(in_tenant)
    services.ticket_reply(actor=in_tenant.agent, ticket=ticket, body="On it.")
    frozen["now"] = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)  # past the first answer's due time, which was met
    _filters, breached = ticket_queue(in_tenant.agent, filters={"due": "breached"})
    assert list(breached) == []
    frozen["now"] = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)  # past the resolution's
    _filters, breached = ticket_queue(in_tenant.agent, filters={"due": "breached"})
    assert list(breached) == [ticket]
