"""The helpdesk API: members open and follow their tickets, agents work theirs; bad input is a 400 naming the
field, a refusal a 403, another's ticket a 404, and internal notes never reach a member."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.services import api_token_create
from apps.core.roles import Division, Role
from apps.guidance.topics import topic_slugs
from apps.helpdesk import rules, services
from apps.helpdesk.api.serializers import TicketSerializer
from apps.helpdesk.models import Message, Queue, QueueAgent, Status, Ticket
from apps.tenants.context import tenant_context, unscoped
from tests.factories import HelpdeskTicketFactory, TenantFactory, user_with_role

pytestmark = pytest.mark.django_db

TICKETS = "/api/v1/tickets/"
AGENT_FIELDS = set(TicketSerializer.AGENT_FIELDS)
NOTE = "Internal: the applicant's mark clashes with a registered one, check before answering."


def _url(ticket: Ticket | str, action: str = "") -> str:
    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    return f"{TICKETS}{pk}/" + (f"{action}/" if action else "")


def _client(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def _token_client(actor) -> Client:
    user = actor.user
    _token, key = api_token_create(user=user, membership=user.memberships.get(), name="helpdesk api test")
    return Client(headers={"Authorization": f"Token {key}"})


def _post(client: Client, url: str, data=None, **extra):
    return client.post(url, json.dumps(data if data is not None else {}), content_type="application/json", **extra)


@pytest.fixture
def clients(desk):
    return {
        "member": _token_client(desk.member),
        "other_member": _client(desk.other_member),
        "agent": _client(desk.agent),
        "division_agent": _client(desk.division_agent),
        "agency": _client(desk.agency),
        "anonymous": Client(),
    }


def _open(desk, **fields) -> Ticket:
    values = {"subject": "How do I protect my logo?", "body": "We sell honey under our brand.", "language": "en"}
    values.update(fields)
    with tenant_context(desk.tenant):
        return services.ticket_open(actor=desk.member, msme=desk.world.msme, **values)


def _note(desk, ticket: Ticket, body: str = NOTE) -> Message:
    with tenant_context(desk.tenant):
        return services.ticket_reply(actor=desk.agent, ticket=ticket, body=body, internal=True)


def _to_division(desk, ticket: Ticket) -> Ticket:
    with tenant_context(desk.tenant):
        return services.ticket_transfer(actor=desk.agent, ticket=ticket, queue=desk.division_queue)


def _foreign_ticket() -> Ticket:
    tenant = TenantFactory()
    with tenant_context(tenant):
        queue = Queue.objects.create(tenant=tenant, name="Foreign helpdesk", is_default=True)
        return HelpdeskTicketFactory(queue=queue)


# --- Opening a ticket -------------------------------------------------------------------------


def test_a_member_opens_a_ticket_and_gets_its_reference_status_and_due_times(desk, clients):
    response = _post(
        clients["member"], TICKETS, {"subject": "Protecting our logo", "body": "We sell honey.", "topic": "trademarks"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "new" and body["reference"].startswith("T-")
    assert body["first_response_due"] and body["resolution_due"]
    assert body["language"] == "en" and body["priority"] == "normal"
    assert not AGENT_FIELDS & set(body)
    with tenant_context(desk.tenant):
        ticket = Ticket.objects.get(pk=body["id"])
    assert ticket.requester_id == desk.member.user.pk and ticket.msme_id == desk.world.msme.pk
    assert ticket.queue_id == desk.queue.pk and ticket.topic == "trademarks"


def test_the_language_defaults_to_the_requests_and_the_priority_can_be_given(desk, clients):
    response = _post(
        clients["member"],
        TICKETS,
        {"subject": "Brevet", "body": "Comment breveter ?", "topic": "", "priority": "high"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 201, response.content
    assert response.json()["language"] == "fr" and response.json()["priority"] == "high"


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"subject", "body", "topic"}),
        ({"subject": "", "body": "b", "topic": ""}, {"subject"}),
        ({"subject": "   ", "body": "b", "topic": ""}, {"subject"}),
        ({"subject": "s", "body": "   ", "topic": ""}, {"body"}),
        ({"subject": "s", "body": ["b"], "topic": ""}, {"body"}),
        ({"subject": {"a": 1}, "body": "b", "topic": ""}, {"subject"}),
        ({"subject": "s", "body": 0, "topic": ""}, {"body"}),
        ({"subject": "s", "body": "b", "topic": "no-such-topic"}, {"topic"}),
        ({"subject": "s", "body": "b", "topic": 7}, {"topic"}),
        ({"subject": "s", "body": "b", "topic": "", "priority": "urgent"}, {"priority"}),
        ({"subject": "s", "body": "b", "topic": "", "language": "xx"}, {"language"}),
        ({"subject": "s", "body": "x" * (rules.BODY_MAX + 1), "topic": ""}, {"body"}),
        ({"subject": "s" * (rules.SUBJECT_MAX + 1), "body": "b", "topic": ""}, {"subject"}),
        ({"subject": "a\x00b", "body": "b", "topic": ""}, {"subject"}),
        ({"subject": "s", "body": "b\x00", "topic": ""}, {"body"}),
        ({"subject": "s", "body": "b", "topic": "pat\x00ents"}, {"topic"}),
        ({"subject": "s", "body": "b", "topic": "", "language": "e\x00n"}, {"language"}),
    ],
)
def test_bad_input_to_open_a_ticket_is_a_400_naming_the_fields(desk, clients, data, fields):
    response = _post(clients["member"], TICKETS, data)
    assert response.status_code == 400, response.content
    assert set(response.json()) == fields
    with tenant_context(desk.tenant):
        assert not Ticket.objects.exists()


def test_a_body_that_is_not_json_or_not_an_object_is_a_400(clients):
    response = clients["member"].post(TICKETS, "{not json", content_type="application/json")
    assert response.status_code == 400
    response = _post(clients["member"], TICKETS, ["subject"])
    assert response.status_code == 400 and "non_field_errors" in response.json()


@pytest.mark.parametrize(
    ("role", "status"), [("agent", 403), ("agency", 403), ("division_agent", 403), ("anonymous", 401)]
)
def test_only_msme_members_open_tickets(clients, role, status):
    response = _post(clients[role], TICKETS, {"subject": "s", "body": "b", "topic": ""})
    assert response.status_code == status


# --- Reading tickets ---------------------------------------------------------------------------


def test_a_member_lists_their_own_tickets_without_the_agents_fields(desk, clients):
    mine = _open(desk)
    with tenant_context(desk.tenant):
        theirs = HelpdeskTicketFactory(msme=desk.world.other_msme, queue=desk.queue)
    body = clients["member"].get(TICKETS).json()
    assert [row["id"] for row in body["results"]] == [str(mine.pk)]
    assert not AGENT_FIELDS & set(body["results"][0])
    assert [row["id"] for row in clients["other_member"].get(TICKETS).json()["results"]] == [str(theirs.pk)]


def test_a_member_cannot_filter_by_what_only_agents_see(desk, clients):
    ticket = _open(desk)
    # Ignored for a member (the list is not narrowed by tier), but a bad value is still a 400.
    response = clients["member"].get(TICKETS, {"tier": "ip_office", "assigned": "none"})
    assert [row["id"] for row in response.json()["results"]] == [str(ticket.pk)]
    assert clients["member"].get(TICKETS, {"tier": "gold"}).status_code == 400
    assert [row["id"] for row in clients["member"].get(TICKETS, {"status": "new"}).json()["results"]] == [
        str(ticket.pk)
    ]
    assert clients["member"].get(TICKETS, {"status": "open"}).json()["results"] == []
    assert clients["member"].get(TICKETS, {"q": ticket.reference}).json()["count"] == 1
    assert clients["member"].get(TICKETS, {"q": "no such words"}).json()["count"] == 0


def test_an_agent_lists_the_queue_with_its_filters_and_internals(desk, clients):
    first = _open(desk, subject="Logo question")
    second = _open(desk, subject="Patent question")
    with tenant_context(desk.tenant):
        services.ticket_assign(actor=desk.agent, ticket=second, assignee=desk.agent.user)
    body = clients["agent"].get(TICKETS).json()
    assert {row["id"] for row in body["results"]} == {str(first.pk), str(second.pk)}
    assert set(body["results"][0]) >= AGENT_FIELDS
    assigned = clients["agent"].get(TICKETS, {"assigned": "me"}).json()["results"]
    assert [(row["id"], row["assignee"]) for row in assigned] == [(str(second.pk), desk.agent.user.pk)]
    assert [row["id"] for row in clients["agent"].get(TICKETS, {"assigned": "none"}).json()["results"]] == [
        str(first.pk)
    ]
    assert [row["id"] for row in clients["agent"].get(TICKETS, {"q": "logo"}).json()["results"]] == [str(first.pk)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "bogus"}, "status"),
        ({"due": "tomorrow"}, "due"),
        ({"queue": "abc"}, "queue"),
        ({"queue": "9" * 40}, "queue"),  # past a bigint: refused, not a failing query
        ({"queue": "1.5"}, "queue"),
        ({"q": "a\x00b"}, "q"),
        ({"topic": "x" * 61}, "topic"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(clients, query, field):
    response = clients["agent"].get(TICKETS, query)
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]


@pytest.mark.parametrize(("role", "status"), [("agency", 403), ("anonymous", 401)])
def test_roles_the_helpdesk_is_not_for_are_refused_the_list(clients, role, status):
    assert clients[role].get(TICKETS).status_code == status


def test_a_ticket_is_shown_to_its_member_and_agents_and_is_a_404_to_others(desk, clients):
    ticket = _open(desk)
    member = clients["member"].get(_url(ticket))
    assert member.status_code == 200 and not AGENT_FIELDS & set(member.json())
    agent = clients["agent"].get(_url(ticket))
    assert agent.status_code == 200
    assert agent.json()["queue"] == desk.queue.pk and agent.json()["tier"] == "first_time"
    assert clients["other_member"].get(_url(ticket)).status_code == 404
    assert clients["division_agent"].get(_url(ticket)).status_code == 404
    assert clients["agency"].get(_url(ticket)).status_code == 403
    assert clients["member"].get(_url("not-a-uuid")).status_code == 404


def test_another_tenants_ticket_is_a_404_on_every_route(desk, clients):
    foreign = _foreign_ticket()
    for role in ("member", "agent"):
        client = clients[role]
        assert client.get(_url(foreign)).status_code == 404, role
        assert client.get(_url(foreign, "messages")).status_code == 404, role
        assert _post(client, _url(foreign, "messages"), {"body": "hello"}).status_code == 404, role
    for action, data in [
        ("assign", {"auto": True}),
        ("transfer", {"queue": desk.queue.pk}),
        ("status", {"status": "open"}),
    ]:
        assert _post(clients["agent"], _url(foreign, action), data).status_code == 404, action
    for action, data in [("close", {}), ("rate", {"rating": "good"})]:
        assert _post(clients["member"], _url(foreign, action), data).status_code == 404, action
    with unscoped("test: the foreign ticket is untouched"):
        foreign.refresh_from_db()
        assert foreign.status == Status.NEW and not Message.objects.filter(ticket=foreign).exists()


def test_a_division_agent_sees_only_the_tickets_routed_to_its_division(desk, clients):
    kept = _open(desk)
    routed = _to_division(desk, _open(desk))
    body = clients["division_agent"].get(TICKETS).json()
    assert [row["id"] for row in body["results"]] == [str(routed.pk)]
    assert body["results"][0]["division"] == Division.AMC
    client = clients["division_agent"]
    assert client.get(_url(routed)).status_code == 200
    assert client.get(_url(kept)).status_code == 404
    assert client.get(_url(kept, "messages")).status_code == 404
    for action, data in [
        ("messages", {"body": "hello"}),
        ("assign", {"auto": True}),
        ("transfer", {"queue": desk.division_queue.pk}),
        ("status", {"status": "open"}),
    ]:
        assert _post(client, _url(kept, action), data).status_code == 404, action


# --- The timeline and internal notes ----------------------------------------------------------


def test_internal_notes_never_reach_a_member_on_any_route(desk, clients):
    ticket = _open(desk)
    _note(desk, ticket)
    with tenant_context(desk.tenant):
        services.ticket_reply(actor=desk.agent, ticket=ticket, body="Public answer: file at the office.")
        services.ticket_set_status(actor=desk.agent, ticket=ticket, status=Status.RESOLVED)
    member = clients["member"]
    answers = [
        member.get(TICKETS),
        member.get(_url(ticket)),
        member.get(_url(ticket, "messages")),
        _post(member, _url(ticket, "rate"), {"rating": "good", "comment": "Clear"}),
        _post(member, _url(ticket, "messages"), {"body": "Thanks, one more question."}),
        _post(member, _url(ticket, "close")),
        member.get(_url(ticket, "messages"), {"page_size": 200}),
    ]
    for response in answers:
        assert response.status_code in (200, 201), response.content
        assert NOTE not in response.content.decode()
        assert '"note"' not in response.content.decode()
    kinds = [row["kind"] for row in answers[-1].json()["results"]]
    assert "note" not in kinds and "reply" in kinds
    agent_timeline = clients["agent"].get(_url(ticket, "messages"), {"page_size": 200}).json()["results"]
    assert [row["body"] for row in agent_timeline if row["kind"] == "note"] == [NOTE]


def test_a_member_sees_status_changes_but_not_assignment_or_transfer(desk, clients):
    ticket = _open(desk)
    with tenant_context(desk.tenant):
        services.ticket_assign(actor=desk.agent, ticket=ticket, assignee=desk.agent.user)
        services.ticket_set_status(actor=desk.agent, ticket=ticket, status=Status.WAITING)
    rows = clients["member"].get(_url(ticket, "messages")).json()["results"]
    assert [row["changes"] for row in rows] == [{"status": ["new", "waiting"]}]
    agent_rows = clients["agent"].get(_url(ticket, "messages")).json()["results"]
    assert [set(row["changes"]) for row in agent_rows] == [{"assignee"}, {"status"}]


def test_a_member_replies_through_the_api_and_may_not_write_an_internal_note(desk, clients):
    ticket = _open(desk)
    response = _post(clients["member"], _url(ticket, "messages"), {"body": "More detail", "internal": True})
    assert response.status_code == 403, response.content
    with tenant_context(desk.tenant):
        assert not Message.objects.filter(ticket=ticket).exists()
    response = _post(clients["member"], _url(ticket, "messages"), {"body": "More detail"})
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "reply" and response.json()["via"] == "api"
    assert response.json()["from_agent"] is False


def test_an_agent_writes_a_note_and_a_reply(desk, clients):
    ticket = _open(desk)
    note = _post(clients["agent"], _url(ticket, "messages"), {"body": "Checked the register", "internal": True})
    assert note.status_code == 201 and note.json()["kind"] == "note"
    reply = _post(clients["agent"], _url(ticket, "messages"), {"body": "Here is how"})
    assert reply.status_code == 201 and reply.json()["from_agent"] is True
    with tenant_context(desk.tenant):
        ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.first_responded_at is not None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "  "}, "body"),
        ({"body": 12}, "body"),  # a number is not text, as the schema says
        ({"body": ["a"]}, "body"),
        ({"body": "x" * (rules.BODY_MAX + 1)}, "body"),
        ({"body": "a\x00"}, "body"),
        ({"body": "ok", "internal": "perhaps"}, "internal"),
        ({"body": "ok", "internal": "true"}, "internal"),
        ({"body": "ok", "internal": 1}, "internal"),
    ],
)
def test_bad_input_to_a_message_is_a_400_naming_the_field(desk, clients, data, field):
    ticket = _open(desk)
    response = _post(clients["agent"], _url(ticket, "messages"), data)
    if field is None:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 400, response.content
        assert list(response.json()) == [field]


def test_a_member_cannot_reply_to_a_closed_ticket(desk, clients):
    ticket = _open(desk)
    assert _post(clients["member"], _url(ticket, "close")).status_code == 200
    assert _post(clients["member"], _url(ticket, "messages"), {"body": "again"}).status_code == 403


# --- The agents' actions ----------------------------------------------------------------------


def test_an_agent_assigns_unassigns_and_auto_assigns(desk, clients):
    ticket = _open(desk)
    agent = clients["agent"]
    response = _post(agent, _url(ticket, "assign"), {"assignee": desk.agent.user.pk})
    assert response.status_code == 200, response.content
    assert response.json()["assignee"] == desk.agent.user.pk and response.json()["assignee_name"]
    response = _post(agent, _url(ticket, "assign"), {"assignee": None})
    assert response.status_code == 200 and response.json()["assignee"] is None
    response = _post(agent, _url(ticket, "assign"), {"auto": True})
    assert response.status_code == 200 and response.json()["assignee"] == desk.agent.user.pk
    with tenant_context(desk.tenant):
        changes = list(Message.objects.filter(ticket=ticket, kind="change").values_list("via", flat=True))
    assert changes == ["api", "api", "api"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "assignee"),
        ({"assignee": "abc"}, "assignee"),
        ({"assignee": "5"}, "assignee"),
        ({"assignee": True}, "assignee"),
        ({"assignee": 1.5}, "assignee"),
        ({"assignee": 10**30}, "assignee"),
        ({"assignee": -1}, "assignee"),
        ({"assignee": "\x00"}, "assignee"),
        ({"auto": "maybe"}, "auto"),
        ({"auto": 1}, "auto"),
        ({"auto": True, "assignee": 1}, "auto"),
        ({"auto": False}, "assignee"),
    ],
)
def test_bad_input_to_assign_is_a_400_naming_the_field(desk, clients, data, field):
    ticket = _open(desk)
    response = _post(clients["agent"], _url(ticket, "assign"), data)
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]


def test_an_assignee_must_be_an_agent_of_the_tickets_queue(desk, clients):
    ticket = _open(desk)
    outsider = user_with_role(Role.HELPDESK_AGENT, desk.tenant)  # an agent of no queue
    for user_id in (outsider.pk, desk.division_agent.user.pk, desk.member.user.pk, 987654321):
        response = _post(clients["agent"], _url(ticket, "assign"), {"assignee": user_id})
        assert response.status_code == 400, user_id
        assert list(response.json()) == ["assignee"]
    # Nobody in the division queue speaks Arabic: automatic assignment says so.
    arabic = _to_division(desk, _open(desk, language="ar"))
    QueueAgent.objects.filter(queue=desk.division_queue).update(languages=["en"])
    response = _post(clients["division_agent"], _url(arabic, "assign"), {"auto": True})
    assert response.status_code == 400 and list(response.json()) == ["assignee"]


def test_a_ticket_is_transferred_to_a_division_and_back(desk, clients):
    ticket = _open(desk)
    response = _post(clients["agent"], _url(ticket, "transfer"), {"queue": desk.division_queue.pk})
    assert response.status_code == 200, response.content
    assert response.json()["division"] == Division.AMC and response.json()["queue"] == desk.division_queue.pk
    assert clients["agent"].get(_url(ticket)).status_code == 200  # the tenant's agents keep seeing it
    assert clients["division_agent"].get(_url(ticket)).status_code == 200
    response = _post(clients["division_agent"], _url(ticket, "transfer"), {"queue": desk.queue.pk})
    assert response.status_code == 200, response.content
    # The division no longer works it: its answer leaves out the internals, and then it is a 404.
    assert response.json()["status"] == "new" and not AGENT_FIELDS & set(response.json())
    assert clients["division_agent"].get(_url(ticket)).status_code == 404
    with tenant_context(desk.tenant):
        ticket.refresh_from_db()
    assert ticket.tenant == desk.tenant and ticket.queue == desk.queue


def test_a_transfer_to_a_queue_the_ticket_cannot_go_to_is_a_400(desk, clients):
    ticket = _open(desk)
    foreign = _foreign_ticket()
    inactive = Queue.objects.create(division=Division.MADRID, name="Closed desk", is_active=False)
    for data in ({"queue": foreign.queue_id}, {"queue": inactive.pk}, {"queue": 10**9}, {"queue": "x"}, {}):
        response = _post(clients["agent"], _url(ticket, "transfer"), data)
        assert response.status_code == 400, data
        assert list(response.json()) == ["queue"]
    # The same queue: nothing to do.
    assert _post(clients["agent"], _url(ticket, "transfer"), {"queue": desk.queue.pk}).status_code == 200


def test_an_agent_sets_the_status_and_a_bad_one_is_a_400(desk, clients):
    ticket = _open(desk)
    response = _post(clients["agent"], _url(ticket, "status"), {"status": "waiting"})
    assert response.status_code == 200 and response.json()["sla_paused"] is True
    for data in ({"status": "bogus"}, {"status": None}, {}, {"status": ["open"]}):
        response = _post(clients["agent"], _url(ticket, "status"), data)
        assert response.status_code == 400 and list(response.json()) == ["status"], data


@pytest.mark.parametrize("action", ["assign", "transfer", "status"])
def test_members_may_not_use_the_agents_actions(desk, clients, action):
    ticket = _open(desk)
    data = {"assign": {"auto": True}, "transfer": {"queue": desk.division_queue.pk}, "status": {"status": "closed"}}
    assert _post(clients["member"], _url(ticket, action), data[action]).status_code == 403
    with tenant_context(desk.tenant):
        ticket.refresh_from_db()
    assert ticket.status == Status.NEW and ticket.queue == desk.queue and ticket.assignee is None


# --- The member's close and rating ------------------------------------------------------------


def test_a_member_closes_their_ticket_once_and_agents_may_not_use_close(desk, clients):
    ticket = _open(desk)
    assert _post(clients["agent"], _url(ticket, "close")).status_code == 403
    assert _post(clients["other_member"], _url(ticket, "close")).status_code == 404
    response = _post(clients["member"], _url(ticket, "close"))
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert _post(clients["member"], _url(ticket, "close")).status_code == 403


def test_a_member_rates_a_resolved_ticket_once(desk, clients):
    ticket = _open(desk)
    member = clients["member"]
    assert _post(member, _url(ticket, "rate"), {"rating": "good"}).status_code == 403  # not resolved yet
    with tenant_context(desk.tenant):
        services.ticket_set_status(actor=desk.agent, ticket=ticket, status=Status.RESOLVED)
    for data, field in [
        ({}, "rating"),
        ({"rating": "great"}, "rating"),
        ({"rating": "good", "comment": "x" * (rules.COMMENT_MAX + 1)}, "comment"),
        ({"rating": "good", "comment": "a\x00"}, "comment"),
        ({"rating": "good", "comment": 5.5}, "comment"),
        ({"rating": "good", "comment": "Clear and quick"}, None),
    ]:
        response = _post(member, _url(ticket, "rate"), data)
        if field is None:
            assert response.status_code == 200, response.content
        else:
            assert response.status_code == 400 and list(response.json()) == [field], data
    assert _post(member, _url(ticket, "rate"), {"rating": "bad"}).status_code == 403  # once
    with tenant_context(desk.tenant):
        ticket.refresh_from_db()
    assert ticket.rating == "good" and ticket.rating_comment == "Clear and quick"
    assert _post(clients["agent"], _url(ticket, "rate"), {"rating": "good"}).status_code == 403


# --- Query counts -----------------------------------------------------------------------------


def _count_list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(TICKETS)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["agent", "member", "division_agent"])
def test_the_list_query_count_does_not_grow_with_the_tickets(desk, clients, role):
    def add(count: int) -> None:
        with tenant_context(desk.tenant):
            for _ in range(count):
                ticket = HelpdeskTicketFactory(
                    msme=desk.world.msme, queue=desk.queue, requester=desk.member.user, assignee=desk.agent.user
                )
                if role == "division_agent":
                    _to_division(desk, ticket)

    add(3)
    _count_list_queries(clients[role])  # once first: a token records its first use (then at most every few minutes)
    few = _count_list_queries(clients[role])
    add(57)
    many = _count_list_queries(clients[role])
    assert clients[role].get(TICKETS).json()["count"] == 60
    assert few == many, (few, many)


def test_the_timeline_query_count_does_not_grow_with_the_messages(desk, clients):
    ticket = _open(desk)
    for _ in range(3):
        _note(desk, ticket, "note")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert clients["agent"].get(_url(ticket, "messages")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(40):
        _note(desk, ticket, "note")
    assert count() == few


# --- The schema -------------------------------------------------------------------------------


def test_the_schema_says_who_sees_what_and_that_a_members_note_is_a_403(db):
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    ticket = schema["components"]["schemas"]["Ticket"]
    assert set(ticket["properties"]) >= AGENT_FIELDS
    assert not AGENT_FIELDS & set(ticket["required"])  # a member's answer leaves them out
    assert {"id", "reference", "status", "first_response_due", "resolution_due"} <= set(ticket["required"])
    post = schema["paths"]["/api/v1/tickets/{id}/messages/"]["post"]
    assert "403" in post["responses"] and "403" in post["description"]
    created = schema["paths"]["/api/v1/tickets/"]["post"]["responses"]
    assert created["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Ticket"}
    topic = schema["components"]["schemas"]["TicketCreateRequest"]["properties"]["topic"]
    refs = {option["$ref"].rsplit("/", 1)[-1] for option in topic["oneOf"]}
    enums = [value for name in refs for value in schema["components"]["schemas"][name]["enum"]]
    assert set(enums) == {*topic_slugs(), ""}  # the guidance topics, or "" when unsure
