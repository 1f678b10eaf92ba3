"""Programme requests: sent as helpdesk tickets to the programme's queue, worked by its staff, followed by the MSME,
and invisible to other MSMEs and other tenants."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.core.policies import can
from apps.core.roles import Division
from apps.helpdesk import services as helpdesk
from apps.helpdesk.models import Message, Queue, RoutingRule, Status, Ticket
from apps.programmes import selectors, services
from apps.programmes.catalogue import ADR, IAP, RESEARCH, TISC
from apps.programmes.forms import REQUEST_FORMS
from apps.programmes.models import ProgrammeRequest, Stage, Tisc
from apps.tenants.context import division_context, tenant_context
from tests.policies.actors import one_tenant


def _send(desk, programme=ADR, *, actor=None, kind=None, details=None, tisc=None, description="We need help."):
    details = details if details is not None else {"other_party": "Rival Ltd"}
    return services.request_send(
        actor=actor or desk.member,
        programme=programme,
        kind=kind or programme.kinds[0][0],
        description=description,
        details=details,
        detail_lines=[("Other party", "Rival Ltd")],
        language="en",
        msme=desk.world.msme,
        tisc=tisc,
    )


def test_an_adr_request_is_a_ticket_in_the_arbitration_and_mediation_center_s_queue(in_tenant):
    sent = _send(in_tenant, kind="mediation")
    ticket = sent.ticket
    assert ticket.queue == in_tenant.division_queue and ticket.division == Division.AMC
    assert sent.division == Division.AMC and sent.stage == Stage.SUBMITTED
    assert ticket.topic == "adr" and ticket.msme == in_tenant.world.msme
    assert ticket.subject.endswith(": Mediation")
    assert ticket.body.startswith("Other party: Rival Ltd\n\nWe need help.")


@pytest.mark.parametrize(
    ("programme", "division"), [(RESEARCH, Division.GLOBAL_CHALLENGES), (IAP, Division.PATENT_LAW)]
)
def test_the_other_divisions_programmes_reach_a_queue_of_their_division_made_on_first_use(
    in_tenant, programme, division
):
    sent = _send(in_tenant, programme)
    queue = sent.ticket.queue
    assert queue.division == division and sent.division == division
    assert queue.topics == [programme.topic]
    assert _send(in_tenant, programme).ticket.queue == queue  # the same queue the next time


def test_a_division_queue_listing_the_topic_wins_over_its_others(in_tenant):
    Queue.objects.create(division=Division.AMC, name="AAA first by name", languages=["en"])
    listed = Queue.objects.create(division=Division.AMC, name="ZZZ domain names and ADR", topics=["adr"])
    assert _send(in_tenant).ticket.queue == listed


def test_a_tisc_request_goes_to_the_tisc_s_queue_when_it_is_the_agency_s(in_tenant):
    tisc_queue = Queue.objects.create(tenant=in_tenant.tenant, name="TISC desk", languages=["en"], auto_assign=False)
    tisc = Tisc.objects.create(
        name="City TISC", host_institution="University", country="KE", city="Nairobi", queue=tisc_queue
    )
    sent = _send(in_tenant, TISC, kind="patentability", details={"technology": "Solar dryers"}, tisc=tisc)
    assert sent.ticket.queue == tisc_queue and sent.division is None and sent.tisc == tisc
    assert sent.ticket.body.startswith("TISC: City TISC (Nairobi)")


def test_a_tisc_request_without_the_agency_s_queue_follows_the_routing_rules(in_tenant):
    other_world_queue = Queue.objects.create(division=Division.TISC, name="TISC network")
    tisc = Tisc.objects.create(
        name="Far TISC", host_institution="Host", country="KE", city="Mombasa", queue=other_world_queue
    )
    routed = Queue.objects.create(tenant=in_tenant.tenant, name="Searches", languages=["en"], auto_assign=False)
    RoutingRule.objects.create(tenant=in_tenant.tenant, topic="tiscs", queue=routed, position=1)
    sent = _send(in_tenant, TISC, kind="patentability", details={"technology": "x"}, tisc=tisc)
    assert sent.ticket.queue == routed  # a division's queue is not a TISC's answer for this agency
    assert _send(in_tenant, TISC, kind="validity", details={}, tisc=None).ticket.queue == routed


def test_the_nearest_tisc_is_one_of_the_msme_s_region_else_one_that_answers_through_a_queue(in_tenant):
    queue = Queue.objects.create(tenant=in_tenant.tenant, name="TISC desk")
    answering = Tisc.objects.create(name="B", host_institution="h", country="KE", city="Nairobi", queue=queue)
    coastal = Tisc.objects.create(name="A", host_institution="h", country="KE", city="Mombasa", region="KE-28")
    Tisc.objects.create(name="Gone", host_institution="h", country="KE", city="Kisumu", region="KE-17", is_active=False)
    assert selectors.nearest_tisc(country="KE", region="KE-28") == coastal
    assert selectors.nearest_tisc(country="KE", region="KE-17") == answering
    assert selectors.nearest_tisc(country="KE") == answering
    assert selectors.nearest_tisc(country="EG") is None


def test_only_members_send_and_bad_input_names_the_field(in_tenant):
    with pytest.raises(PermissionDenied):
        _send(in_tenant, actor=in_tenant.agent)
    with pytest.raises(ValidationError) as caught:
        _send(in_tenant, kind="litigation", description=" ", details={"other_party": "x" * 301})
    assert set(caught.value.message_dict) == {"kind", "description", "other_party"}
    assert not ProgrammeRequest.objects.exists() and not Ticket.objects.exists()


def test_the_division_s_agent_moves_the_stage_the_msme_reads_it_on_its_ticket_and_a_done_request_resolves_it(desk):
    with tenant_context(desk.tenant), transaction.atomic():
        sent = _send(desk)
    with division_context(Division.AMC), transaction.atomic():
        fresh = ProgrammeRequest.objects.get(pk=sent.pk)
        services.request_set_stage(actor=desk.division_agent, request=fresh, stage=Stage.IN_PROGRESS, outcome="")
        services.request_set_stage(
            actor=desk.division_agent, request=fresh, stage=Stage.COMPLETED, outcome="The parties settled."
        )
    with tenant_context(desk.tenant), transaction.atomic():
        fresh = ProgrammeRequest.objects.get(pk=sent.pk)
        assert fresh.stage == Stage.COMPLETED and fresh.outcome == "The parties settled."
        ticket = Ticket.objects.get(pk=sent.ticket_id)
        assert ticket.status == Status.RESOLVED and ticket.first_responded_at is not None
        replies = list(Message.objects.filter(ticket=ticket, kind=Message.Kind.REPLY).values_list("body", flat=True))
        assert replies == [
            "Your request is now: In progress.",
            "Your request is now: Completed.\n\nThe parties settled.",
        ]


def test_the_stage_is_the_staff_s_to_move_and_withdrawn_is_the_msme_s(in_tenant):
    sent = _send(in_tenant)
    with pytest.raises(PermissionDenied):
        services.request_set_stage(actor=in_tenant.member, request=sent, stage=Stage.COMPLETED)
    with pytest.raises(PermissionDenied):
        services.request_set_stage(actor=in_tenant.agency, request=sent, stage=Stage.COMPLETED)
    with pytest.raises(ValidationError) as caught:
        services.request_set_stage(actor=in_tenant.agent, request=sent, stage=Stage.WITHDRAWN)
    assert "stage" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.request_set_stage(actor=in_tenant.agent, request=sent, stage=Stage.MATCHED)  # not an ADR stage


def test_the_msme_withdraws_a_request_being_worked_and_its_ticket_closes(in_tenant):
    sent = _send(in_tenant)
    with pytest.raises(PermissionDenied):
        services.request_withdraw(actor=in_tenant.other_member, request=sent)
    services.request_withdraw(actor=in_tenant.member, request=sent)
    sent.refresh_from_db()
    assert sent.stage == Stage.WITHDRAWN and sent.ticket.status == Status.CLOSED
    with pytest.raises(PermissionDenied):
        services.request_withdraw(actor=in_tenant.member, request=sent)


def test_a_request_follows_its_ticket_to_the_division_it_is_transferred_to(in_tenant):
    sent = _send(in_tenant, TISC, kind="patentability", details={"technology": "x"})
    assert sent.ticket.queue == in_tenant.queue and sent.division is None
    helpdesk.ticket_transfer(actor=in_tenant.agent, ticket=sent.ticket, queue=in_tenant.division_queue)
    sent.refresh_from_db()
    assert sent.division == Division.AMC


def test_who_sees_a_request(desk):
    with tenant_context(desk.tenant), transaction.atomic():
        adr = _send(desk)
        tisc = _send(desk, TISC, kind="validity", details={"technology": "x"})
        mine = set(selectors.requests_visible(desk.member).values_list("pk", flat=True))
        assert mine == {adr.pk, tisc.pk}
        assert not selectors.requests_visible(desk.other_member).exists()
        assert set(selectors.requests_visible(desk.agent).values_list("pk", flat=True)) == {adr.pk, tisc.pk}
        assert not selectors.requests_visible(desk.agency).exists()
        assert can(desk.member, "programmes.view_request", adr) and not can(
            desk.other_member, "programmes.view_request", adr
        )
    with division_context(Division.AMC), transaction.atomic():
        # The Center's agent sees the ADR request of every tenant, never the tenant's TISC request.
        assert list(selectors.requests_visible(desk.division_agent).values_list("pk", flat=True)) == [adr.pk]
    other = one_tenant()
    with tenant_context(other.tenant), transaction.atomic():
        assert not ProgrammeRequest.objects.exists()
        assert not selectors.requests_visible(other.actors["helpdesk"]).exists()


def test_the_forms_details_are_what_the_request_keeps_and_the_agents_read(in_tenant):
    form = REQUEST_FORMS["adr"](
        data={
            "kind": "expedited_arbitration",
            "subject": "patent",
            "other_party": "Licensee SA",
            "other_party_country": "FR",
            "amount": "250000",
            "has_clause": "on",
            "language": "fr",
            "description": "Unpaid royalties.",
        }
    )
    assert form.is_valid(), form.errors
    assert form.details()["other_party_country"] == "FR" and form.details()["has_clause"] == "True"
    lines = dict(form.detail_lines())
    assert lines["The other party's country"] == "France" and lines["Amount in dispute (USD)"] == "250000"
