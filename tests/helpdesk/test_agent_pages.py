"""The agents' pages: the queue (filters, due marks, bulk actions, constant queries), the work page (timeline
with internal notes, canned replies, guidance, the MSME at a glance) and its actions, in a tenant's scope
and in a division's."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.roles import Division, Role
from apps.helpdesk import services
from apps.helpdesk.models import CannedReply, Message, Queue, QueueAgent, Status, Ticket
from apps.tenants.context import tenant_context
from tests.factories import HelpdeskAttachmentFactory, HelpdeskTicketFactory, user_with_role

pytestmark = pytest.mark.django_db


def _open(desk, **fields) -> Ticket:
    values = {"subject": "How do I protect my logo?", "body": "We sell honey under our brand.", "language": "en"}
    values.update(fields)
    with tenant_context(desk.tenant), transaction.atomic():
        return services.ticket_open(actor=desk.member, msme=desk.world.msme, **values)


def _tickets(desk, count: int, **fields) -> list[Ticket]:
    with tenant_context(desk.tenant), transaction.atomic():
        return [HelpdeskTicketFactory(msme=desk.world.msme, queue=desk.queue, **fields) for _ in range(count)]


def _reload(desk, ticket: Ticket) -> Ticket:
    with tenant_context(desk.tenant), transaction.atomic():
        return Ticket.objects.select_related("queue", "assignee").get(pk=ticket.pk)


def _routed(desk, ticket: Ticket) -> Ticket:
    with tenant_context(desk.tenant), transaction.atomic():
        return services.ticket_transfer(actor=desk.agent, ticket=ticket, queue=desk.division_queue)


@pytest.fixture
def agent_client(client, desk):
    client.force_login(desk.agent.user)
    return client


@pytest.fixture
def division_client(client, desk):
    client.force_login(desk.division_agent.user)
    return client


def _work(ticket: Ticket) -> str:
    return reverse("helpdesk:work", kwargs={"ticket_pk": ticket.pk})


def _action(name: str, ticket: Ticket) -> str:
    return reverse(name, kwargs={"ticket_pk": ticket.pk})


def _text(response) -> str:
    return response.content.decode()


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr data-ticket="([^"]+)">', page)


# --- the queue ---------------------------------------------------------------------------------


def test_the_queue_lists_the_tenants_tickets_with_labels_and_links(agent_client, desk):
    ticket = _open(desk, priority="urgent")
    response = agent_client.get(reverse("helpdesk:queue"))
    assert response.status_code == 200
    page = _text(response)
    assert _rows(page) == [ticket.reference]
    assert _work(ticket) in page
    assert "Urgent" in page and "First-time user" in page and "New" in page
    assert desk.world.msme.name in page and "Agency helpdesk" in page
    for label in ("My tickets", "Unassigned", "Due soon", "Breached"):
        assert label in page


def test_the_queue_marks_breached_and_soon_due_tickets_and_lists_the_soonest_due_first(agent_client, desk):
    now = timezone.now()
    later, breached, soon = _tickets(desk, 3)
    with tenant_context(desk.tenant), transaction.atomic():
        # Each with its due times and the nearer one still to meet (what sla.refresh_due_times keeps).
        for ticket, field, due in (
            (later, "first_response_due", now + timedelta(days=3)),
            (breached, "first_response_due", now - timedelta(hours=1)),
            (soon, "resolution_due", now + timedelta(minutes=30)),
        ):
            Ticket.objects.filter(pk=ticket.pk).update(**{field: due, "next_due_at": due})
        done = HelpdeskTicketFactory(msme=desk.world.msme, queue=desk.queue, status=Status.CLOSED)
    page = _text(agent_client.get(reverse("helpdesk:queue")))
    assert _rows(page) == [breached.reference, soon.reference, later.reference, done.reference]
    assert page.count('data-due="breached"') == 1 and page.count('data-due="soon"') == 1
    breached_page = _text(agent_client.get(reverse("helpdesk:queue"), {"due": "breached"}))
    assert _rows(breached_page) == [breached.reference]


def test_my_tickets_and_unassigned(agent_client, desk):
    mine = _tickets(desk, 1, assignee=desk.agent.user)[0]
    nobodys = _tickets(desk, 1)[0]
    assert _rows(_text(agent_client.get(reverse("helpdesk:queue"), {"assigned": "me"}))) == [mine.reference]
    assert _rows(_text(agent_client.get(reverse("helpdesk:queue"), {"assigned": "none"}))) == [nobodys.reference]


def test_invalid_filters_answer_400_and_list_nothing(agent_client, desk):
    _tickets(desk, 2)
    response = agent_client.get(reverse("helpdesk:queue"), {"status": "bogus"})
    assert response.status_code == 400 and _rows(_text(response)) == []


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("helpdesk:queue"))
        assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_queues_query_count_does_not_grow_with_the_tickets(agent_client, desk):
    _tickets(desk, 3, assignee=desk.agent.user)
    _queue_queries(agent_client)  # the first reads the user's saved filters into the cache (apps.accounts.selectors)
    few = _queue_queries(agent_client)
    other_agent = user_with_role(Role.HELPDESK_AGENT, desk.tenant)
    QueueAgent.objects.create(queue=desk.queue, user=other_agent)
    _tickets(desk, 30, assignee=other_agent)
    _tickets(desk, 27)
    many = _queue_queries(agent_client)
    assert many == few


def test_a_division_agent_sees_the_routed_ticket_and_not_the_tenants_own(division_client, desk):
    own = _open(desk, subject="Question kept by the agency")
    routed = _routed(desk, _open(desk, subject="Question for the Good Offices"))
    page = _text(division_client.get(reverse("helpdesk:queue")))
    assert _rows(page) == [routed.reference]
    assert own.subject not in page


def test_members_and_agency_staff_are_refused_the_queue(client, desk):
    for actor in (desk.member, desk.agency):
        client.force_login(actor.user)
        assert client.get(reverse("helpdesk:queue")).status_code == 403


# --- bulk actions ------------------------------------------------------------------------------


def test_bulk_assign_to_me_then_close(agent_client, desk):
    tickets = _tickets(desk, 3)
    ids = [str(ticket.pk) for ticket in tickets[:2]]
    response = agent_client.post(reverse("helpdesk:bulk"), {"ids": ids, "action": "assign_me"}, follow=True)
    assert "2 tickets assigned to" in _text(response)
    assert [_reload(desk, t).assignee_id for t in tickets] == [desk.agent.user.pk, desk.agent.user.pk, None]
    agent_client.post(reverse("helpdesk:bulk"), {"ids": ids, "action": "close"})
    assert [_reload(desk, t).status for t in tickets] == [Status.CLOSED, Status.CLOSED, Status.NEW]


def test_bulk_assign_to_another_agent_of_the_queue(agent_client, desk):
    colleague = user_with_role(Role.HELPDESK_AGENT, desk.tenant, full_name="Colleague Agent")
    QueueAgent.objects.create(queue=desk.queue, user=colleague)
    ticket = _tickets(desk, 1)[0]
    page = _text(agent_client.get(reverse("helpdesk:queue")))
    assert f'value="{colleague.pk}"' in page
    agent_client.post(
        reverse("helpdesk:bulk"), {"ids": [str(ticket.pk)], "action": "assign", "assignee": str(colleague.pk)}
    )
    assert _reload(desk, ticket).assignee_id == colleague.pk


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"action": "close"}, "Tick at least one ticket."),
        ({"ids": ["not-a-uuid"], "action": "close"}, "Some of the tickets picked were not found."),
        ({"ids": [str(uuid.uuid4())], "action": "close"}, "Some of the tickets picked were not found."),
        ({"ids": [str(uuid.uuid4()) for _ in range(101)], "action": "close"}, "Pick at most 100 tickets"),
        ({"ids": "TICKET", "action": "explode"}, "Pick an action."),
        ({"ids": "TICKET", "action": "assign", "assignee": "999999"}, "Pick an agent to assign the tickets to."),
    ],
)
def test_bad_bulk_input_redirects_back_with_an_error(agent_client, desk, payload, message):
    ticket = _tickets(desk, 1)[0]
    if payload.get("ids") == "TICKET":
        payload = {**payload, "ids": [str(ticket.pk)]}
    response = agent_client.post(reverse("helpdesk:bulk"), {**payload, "back": "assigned=none"})
    assert response.status_code == 302 and response["Location"] == reverse("helpdesk:queue") + "?assigned=none"
    assert message in _text(agent_client.get(response["Location"]))
    assert _reload(desk, ticket).status == Status.NEW


def test_a_bulk_assignment_the_service_refuses_changes_nothing(agent_client, desk):
    # The colleague works another queue the agent sees: offered, but not an agent of this ticket's queue.
    with tenant_context(desk.tenant), transaction.atomic():
        other_queue = Queue.objects.create(tenant=desk.tenant, name="Patents desk")
    colleague = user_with_role(Role.HELPDESK_AGENT, desk.tenant)
    QueueAgent.objects.create(queue=other_queue, user=colleague)
    tickets = _tickets(desk, 2)
    response = agent_client.post(
        reverse("helpdesk:bulk"),
        {"ids": [str(t.pk) for t in tickets], "action": "assign", "assignee": str(colleague.pk)},
        follow=True,
    )
    assert "Nothing was changed" in _text(response)
    assert all(_reload(desk, t).assignee_id is None for t in tickets)


# --- the work page -----------------------------------------------------------------------------


def test_the_work_page_shows_the_timeline_with_internal_notes_changes_and_attachments(agent_client, desk):
    ticket = _open(desk)
    with tenant_context(desk.tenant), transaction.atomic():
        services.ticket_reply(actor=desk.agent, ticket=ticket, body="Public answer about logos")
        services.ticket_reply(actor=desk.agent, ticket=ticket, body="Secret hint for colleagues", internal=True)
        services.ticket_assign(actor=desk.agent, ticket=ticket, assignee=desk.agent.user)
        reply = Message.objects.filter(ticket=ticket, kind="reply").get()
        attachment = HelpdeskAttachmentFactory(message=reply, ticket=ticket, name="logo-draft.pdf")
    response = agent_client.get(_work(ticket))
    assert response.status_code == 200
    page = _text(response)
    assert "Public answer about logos" in page and "Secret hint for colleagues" in page
    assert "Internal note — never shown to the MSME" in page
    assert page.count('data-kind="note"') == 1
    # Changes in words: the status label, the agent's name, not ids.
    assert "New</bdi> → <bdi" in page and "Open</bdi>" in page
    assert f"/helpdesk/attachments/{attachment.pk}/" in page and "logo-draft.pdf" in page
    assert 'id="reply-body"' in page and '<label class="form-label fw-semibold" for="reply-body">' in page
    assert 'value="note"' in page and 'value="reply"' in page


def test_the_work_page_shows_the_msme_at_a_glance_and_earlier_tickets_to_tenant_agents(agent_client, desk):
    earlier = _open(desk, subject="Our first question")
    ticket = _open(desk)
    page = _text(agent_client.get(_work(ticket)))
    assert desk.world.msme.name in page and desk.world.msme.get_size_class_display() in page
    assert 'id="earlier-tickets"' in page and earlier.reference in page and _work(earlier) in page


def test_the_work_page_suggests_guidance_from_the_topic_and_the_subject(agent_client, desk):
    ticket = _open(desk, subject="Registering a trademark for our honey brand", topic="patents")
    page = _text(agent_client.get(_work(ticket)))
    links = re.findall(r'<ul class="small mb-0 ps-3" id="guidance-suggestions">(.*?)</ul>', page, re.S)
    assert links
    assert reverse("guidance:topic", kwargs={"slug": "patents"}) in links[0]
    assert reverse("guidance:topic", kwargs={"slug": "trademarks"}) in links[0]


def test_canned_replies_of_the_queue_come_filled_in(agent_client, desk):
    desk.agent.user.full_name = "Amina Agent"
    desk.agent.user.save()
    CannedReply.objects.create(
        queue=desk.queue, title="Greeting", body="Dear {requester_name} of {msme_name}, {agent_name} on {reference}."
    )
    CannedReply.objects.create(queue=desk.division_queue, title="Other queue's", body="Not offered here")
    ticket = _open(desk)
    page = _text(agent_client.get(_work(ticket)))
    data = re.search(r'<script id="canned-replies" type="application/json">(.*?)</script>', page, re.S)
    texts = list(json.loads(data.group(1)).values())
    assert texts == [f"Dear {ticket.requester_name} of {desk.world.msme.name}, Amina Agent on {ticket.reference}."]
    assert "Greeting" in page and "Other queue&#x27;s" not in page and "Other queue's" not in page


def test_a_division_agent_works_a_routed_ticket_seeing_only_the_names_it_keeps(division_client, desk):
    ticket = _routed(desk, _open(desk))
    response = division_client.get(_work(ticket))
    assert response.status_code == 200
    page = _text(response)
    assert ticket.msme_name in page and ticket.requester_name in page
    assert 'id="earlier-tickets"' not in page
    assert "not shared with WIPO divisions" in page


def test_a_division_agent_gets_404_on_a_tenant_ticket(division_client, desk):
    ticket = _open(desk)
    assert division_client.get(_work(ticket)).status_code == 404
    assert division_client.post(_action("helpdesk:status", ticket), {"status": "open"}).status_code == 404
    assert _reload(desk, ticket).status == Status.NEW


def test_a_member_is_refused_the_work_page_of_their_own_ticket(client, desk):
    ticket = _open(desk)
    client.force_login(desk.member.user)
    assert client.get(_work(ticket)).status_code == 403
    assert client.post(_action("helpdesk:work-reply", ticket), {"body": "x", "kind": "note"}).status_code == 403


# --- actions -----------------------------------------------------------------------------------


def test_a_public_reply_and_an_internal_note_from_the_page(agent_client, desk):
    ticket = _open(desk)
    response = agent_client.post(_action("helpdesk:work-reply", ticket), {"body": "Here is how.", "kind": "reply"})
    assert response.status_code == 302 and response["Location"].startswith(_work(ticket))
    agent_client.post(_action("helpdesk:work-reply", ticket), {"body": "Check the fee.", "kind": "note"})
    with tenant_context(desk.tenant), transaction.atomic():
        kinds = list(Message.objects.filter(ticket=ticket).exclude(kind="change").values_list("kind", "body"))
        ticket.refresh_from_db()
    assert kinds == [("reply", "Here is how."), ("note", "Check the fee.")]
    assert ticket.status == Status.OPEN and ticket.first_responded_at is not None


def test_an_empty_reply_shows_the_page_again_with_the_error(agent_client, desk):
    ticket = _open(desk)
    response = agent_client.post(_action("helpdesk:work-reply", ticket), {"body": "   ", "kind": "note"})
    assert response.status_code == 400
    page = _text(response)
    assert 'aria-invalid="true"' in page and 'id="reply-error"' in page
    assert 'id="kind-note" checked' in page


def test_status_and_assignment_from_the_page(agent_client, desk):
    ticket = _open(desk)
    agent_client.post(_action("helpdesk:status", ticket), {"status": "waiting"})
    assert _reload(desk, ticket).status == Status.WAITING
    response = agent_client.post(_action("helpdesk:status", ticket), {"status": "bogus"}, follow=True)
    assert "Pick a status from the list." in _text(response)
    agent_client.post(_action("helpdesk:assign", ticket), {"assignee": str(desk.agent.user.pk)})
    assert _reload(desk, ticket).assignee_id == desk.agent.user.pk
    agent_client.post(_action("helpdesk:assign", ticket), {"assignee": ""})
    assert _reload(desk, ticket).assignee_id is None
    agent_client.post(_action("helpdesk:assign", ticket), {"assignee": "auto"})
    assert _reload(desk, ticket).assignee_id == desk.agent.user.pk
    response = agent_client.post(_action("helpdesk:assign", ticket), {"assignee": "12345678"}, follow=True)
    assert "Pick an agent of the ticket&#x27;s queue." in _text(response)


def test_transfer_to_a_division_and_back_through_the_pages(client, desk):
    ticket = _open(desk)
    client.force_login(desk.agent.user)
    page = _text(client.get(_work(ticket)))
    assert f'value="{desk.division_queue.pk}"' in page
    response = client.post(_action("helpdesk:transfer", ticket), {"queue": desk.division_queue.pk})
    assert response.status_code == 302 and response["Location"] == reverse("helpdesk:queue")
    assert _reload(desk, ticket).division == Division.AMC
    # The agency still sees it in its tenant.
    assert client.get(_work(ticket)).status_code == 200

    client.force_login(desk.division_agent.user)
    assert client.get(_work(ticket)).status_code == 200
    assert ticket.reference in _text(client.get(reverse("helpdesk:queue")))
    response = client.post(_action("helpdesk:transfer", ticket), {"queue": desk.queue.pk})
    assert response.status_code == 302 and response["Location"] == reverse("helpdesk:queue")
    back = _reload(desk, ticket)
    assert back.division is None and back.queue_id == desk.queue.pk and back.tenant_id == desk.tenant.pk
    assert client.get(_work(ticket)).status_code == 404
    assert ticket.reference not in _text(client.get(reverse("helpdesk:queue")))


def test_a_transfer_to_an_unknown_queue_is_refused_with_a_message(agent_client, desk):
    ticket = _open(desk)
    response = agent_client.post(_action("helpdesk:transfer", ticket), {"queue": "not-a-number"}, follow=True)
    assert "Pick one of the agency" in _text(response)
    assert _reload(desk, ticket).queue_id == desk.queue.pk


def test_merge_and_link_by_reference(agent_client, desk):
    keeper, duplicate, related = _open(desk), _open(desk), _open(desk)
    response = agent_client.post(_action("helpdesk:link", keeper), {"reference": related.reference.lower()})
    assert response["Location"] == _work(keeper)
    assert related.reference in _text(agent_client.get(_work(keeper)))
    response = agent_client.post(_action("helpdesk:merge", duplicate), {"reference": keeper.reference})
    assert response["Location"] == _work(keeper)
    merged = _reload(desk, duplicate)
    assert merged.merged_into_id == keeper.pk and merged.status == Status.CLOSED
    # The merged ticket leaves the queue.
    assert duplicate.reference not in _rows(_text(agent_client.get(reverse("helpdesk:queue"))))
    for name in ("helpdesk:merge", "helpdesk:link"):
        response = agent_client.post(_action(name, keeper), {"reference": "T-NOPE"}, follow=True)
        assert "No ticket of yours has that reference." in _text(response)
    response = agent_client.post(_action("helpdesk:link", keeper), {"reference": keeper.reference}, follow=True)
    assert "Link another ticket of the same agency." in _text(response)


def test_the_work_pages_query_count_does_not_grow_with_the_timeline(agent_client, desk):
    ticket = _open(desk)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert agent_client.get(_work(ticket)).status_code == 200
        return len(captured.captured_queries)

    with tenant_context(desk.tenant), transaction.atomic():
        services.ticket_reply(actor=desk.agent, ticket=ticket, body="First answer")
    few = count()
    with tenant_context(desk.tenant), transaction.atomic():
        for index in range(10):
            services.ticket_reply(actor=desk.agent, ticket=ticket, body=f"Note {index}", internal=True)
            services.ticket_set_status(actor=desk.agent, ticket=ticket, status="waiting" if index % 2 else "open")
    assert count() == few


def test_a_division_agent_is_offered_no_links_and_refused_one(division_client, desk):
    # Links are the agency's own rows (not routed to divisions).
    ticket, other = _routed(desk, _open(desk)), _routed(desk, _open(desk))
    assert 'id="action-link"' not in _text(division_client.get(_work(ticket)))
    response = division_client.post(_action("helpdesk:link", ticket), {"reference": other.reference}, follow=True)
    assert "Only the agency&#x27;s agents link tickets." in _text(response)


def test_a_division_agent_assigns_routed_tickets_to_themselves_in_bulk(division_client, desk):
    routed = _routed(desk, _open(desk))
    own = _open(desk)
    response = division_client.post(
        reverse("helpdesk:bulk"), {"ids": [str(routed.pk)], "action": "assign_me"}, follow=True
    )
    assert "1 ticket assigned to" in _text(response)
    assert _reload(desk, routed).assignee_id == desk.division_agent.user.pk
    # The tenant's own ticket is not found in the division's scope: nothing changes.
    response = division_client.post(reverse("helpdesk:bulk"), {"ids": [str(own.pk)], "action": "close"}, follow=True)
    assert "Some of the tickets picked were not found." in _text(response)
    assert _reload(desk, own).status == Status.NEW


def test_the_queue_links_the_agencys_agents_to_their_counselling_sessions(desk, agent_client):
    page = agent_client.get(reverse("helpdesk:queue")).content.decode()
    assert f'href="{reverse("helpdesk:sessions")}"' in page


def test_a_division_agents_queue_has_no_counselling_link(desk, division_client):
    page = division_client.get(reverse("helpdesk:queue")).content.decode()
    assert reverse("helpdesk:sessions") not in page


def test_the_work_page_names_the_language_the_msme_asked_in(agent_client, desk):
    ticket = _open(desk, language="fr")
    page = agent_client.get(_work(ticket)).content.decode()
    assert '<bdi lang="fr">French</bdi>' in page


def test_an_agent_sends_a_report_with_a_reply_and_a_refused_file_keeps_nothing(agent_client, desk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.helpdesk.models import Attachment

    ticket = _open(desk)
    url = reverse("helpdesk:work-reply", args=[ticket.pk])
    refused = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 60, "application/octet-stream")
    response = agent_client.post(url, {"body": "See the file.", "kind": "reply", "attachments": refused})
    assert response.status_code == 400 and "tool.exe" in response.content.decode()
    with tenant_context(desk.tenant), transaction.atomic():
        assert not Message.objects.filter(ticket=ticket, body="See the file.").exists()
    report = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    response = agent_client.post(url, {"body": "Your search report.", "kind": "reply", "attachments": report})
    assert response.status_code == 302
    with tenant_context(desk.tenant), transaction.atomic():
        attachment = Attachment.objects.get(ticket=ticket)
        assert attachment.name == "report.pdf" and attachment.message.body == "Your search report."
