"""The MSMEs' helpdesk pages: the front door, opening a ticket (with guidance suggested), following,
replying, closing, rating, downloading files; internal notes on no member page; constant query counts."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.guidance.topics import get_topic, localized
from apps.helpdesk import services
from apps.helpdesk.models import Attachment, Message, Status, Ticket
from apps.tenants.context import tenant_context
from tests.factories import HelpdeskAttachmentFactory, HelpdeskMessageFactory

NOTE = "INTERNAL-NOTE-7Q3 the MSME must never read this"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def client_of(actor) -> Client:
    client = Client(raise_request_exception=False)
    if actor.user is not None and actor.user.is_authenticated:
        client.force_login(actor.user)
    return client


@pytest.fixture
def member(desk):
    return client_of(desk.member)


def open_ticket(desk, actor=None, **fields) -> Ticket:
    values = {"subject": "Protecting our honey brand", "body": "Can we register our logo abroad?", "language": "en"}
    values.update(fields)
    actor = actor or desk.member
    with tenant_context(desk.tenant), transaction.atomic():
        msme = desk.world.msme if actor is desk.member else desk.world.other_msme
        return services.ticket_open(actor=actor, msme=msme, **values)


def agent_does(desk, func, ticket, **kwargs):
    with tenant_context(desk.tenant), transaction.atomic():
        ticket = Ticket.objects.get(pk=ticket.pk)
        return func(actor=desk.agent, ticket=ticket, **kwargs)


def answered(desk, ticket, *, resolved=False):
    """An agent's public reply, an internal note with a file, and perhaps the resolution."""
    agent_does(desk, services.ticket_reply, ticket, body="Yes: file with the Madrid system.")
    note = agent_does(desk, services.ticket_reply, ticket, body=NOTE, internal=True)
    with tenant_context(desk.tenant), transaction.atomic():
        note_file = HelpdeskAttachmentFactory(message=note, name="agents-only-memo.pdf")
    if resolved:
        agent_does(desk, services.ticket_set_status, ticket, status=Status.RESOLVED)
    return note_file


def reload(desk, ticket) -> Ticket:
    with tenant_context(desk.tenant), transaction.atomic():
        return Ticket.objects.get(pk=ticket.pk)


def ticket_url(ticket, name="helpdesk:ticket") -> str:
    return reverse(name, kwargs={"ticket_pk": ticket.pk})


def form_data(**fields) -> dict:
    data = {
        "subject": "How do I register a trademark for my logo?",
        "body": "We sell honey in three countries under one brand.",
        "topic": "trademarks",
        "language": "en",
        "priority": "normal",
    }
    data.update(fields)
    return data


# --- The front door ------------------------------------------------------------------------------


def test_a_visitor_reads_what_the_helpdesk_is_and_is_pointed_to_sign_up(desk):
    response = Client().get(reverse("helpdesk:home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("account_signup") in page and reverse("account_login") in page
    assert "registered with your national IP agency" in page


def test_members_go_to_their_tickets_and_agents_to_the_queue(desk):
    home = reverse("helpdesk:home")
    assert client_of(desk.member).get(home)["Location"] == reverse("helpdesk:mine")
    assert client_of(desk.agent).get(home)["Location"] == "/helpdesk/queue/"
    assert client_of(desk.division_agent).get(home)["Location"] == "/helpdesk/queue/"


def test_other_signed_in_roles_are_told_whom_the_helpdesk_is_for(desk):
    response = client_of(desk.agency).get(reverse("helpdesk:home"))
    assert response.status_code == 200
    assert "for members of registered MSMEs" in response.content.decode()


# --- Opening a ticket ----------------------------------------------------------------------------


def test_the_form_lists_topics_in_the_active_language_and_defaults_to_it(desk, member):
    response = member.get(reverse("helpdesk:new"), HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert response.status_code == 200
    french_title = localized(get_topic("trademarks").title, "fr")[0]
    assert re.search(r'<option value="trademarks">\s*' + re.escape(french_title), page)
    assert re.search(r'<option value="fr" selected>', page)
    # Agents' priority is not the MSME's to pick.
    assert 'value="urgent"' not in page and 'value="high"' in page
    assert "js/helpdesk-suggest.js" in page and reverse("helpdesk:suggest") in page


def test_without_the_script_the_first_post_shows_suggestions_then_the_second_sends(desk, member):
    url = reverse("helpdesk:new")
    first = member.post(url, form_data())
    page = first.content.decode()
    assert first.status_code == 200 and "helpdesk-confirm" in page
    assert 'data-suggested="trademarks"' in page
    assert re.search(r'name="suggested" value="[^"]*trademarks', page)
    assert re.search(r'name="confirmed" value="1"', page)
    with tenant_context(desk.tenant), transaction.atomic():
        assert not Ticket.objects.exists()

    second = member.post(url, form_data(confirmed="1", suggested="trademarks,madrid,not-a-topic", read="trademarks"))
    with tenant_context(desk.tenant), transaction.atomic():
        ticket = Ticket.objects.get()
    assert second.status_code == 302 and second["Location"] == ticket_url(ticket)
    assert ticket.msme_id == desk.world.msme.pk and ticket.requester_id == desk.member.user.pk
    assert ticket.topic == "trademarks" and ticket.priority == "normal" and ticket.language == "en"
    assert ticket.suggested_articles == ["trademarks", "madrid"]
    assert ticket.read_articles == ["trademarks"]
    followed = member.get(second["Location"])
    assert ticket.reference in followed.content.decode()  # the success message names it


def test_with_nothing_to_suggest_the_first_post_sends(desk, member):
    response = member.post(reverse("helpdesk:new"), form_data(subject="Zzxq qqvv", topic=""))
    assert response.status_code == 302
    with tenant_context(desk.tenant), transaction.atomic():
        assert Ticket.objects.get().suggested_articles == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"subject": "  "}, "subject", "Say in a few words what your question is about."),
        ({"body": ""}, "body", "Write your message."),
        ({"priority": "urgent"}, "priority", "Select a valid choice."),
        ({"topic": "astrology"}, "topic", "Select a valid choice."),
        ({"subject": "x" * 201}, "subject", "Keep the subject under 200 characters."),
    ],
)
def test_bad_input_reshows_the_form_with_the_fields_error(desk, member, fields, field, message):
    response = member.post(reverse("helpdesk:new"), form_data(confirmed="1", **fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'href="#id_{field}"' in response.content.decode()
    with tenant_context(desk.tenant), transaction.atomic():
        assert not Ticket.objects.exists()


def test_files_are_kept_privately_and_checked_by_their_content(desk, member):
    url = reverse("helpdesk:new")
    files = [SimpleUploadedFile("scan.pdf", PDF), SimpleUploadedFile("logo.png", PNG)]
    response = member.post(url, form_data(confirmed="1", attachments=files))
    assert response.status_code == 302
    with tenant_context(desk.tenant), transaction.atomic():
        stored = {a.name: a for a in Attachment.objects.select_related("message")}
        ticket = Ticket.objects.get()
    assert {name: a.content_type for name, a in stored.items()} == {
        "scan.pdf": "application/pdf",
        "logo.png": "image/png",
    }
    assert all(a.message.kind == "reply" and a.message.ticket_id == ticket.pk for a in stored.values())
    assert str(desk.tenant.pk) in stored["scan.pdf"].file.name

    fake = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 a program, not a PDF")
    refused = member.post(url, form_data(confirmed="1", attachments=[fake]))
    assert refused.status_code == 400 and "invoice.pdf is not a PDF, PNG or JPEG file." in refused.content.decode()
    too_many = [SimpleUploadedFile(f"f{i}.pdf", PDF) for i in range(6)]
    refused = member.post(url, form_data(confirmed="1", attachments=too_many))
    assert refused.status_code == 400 and "Attach at most 5 files." in refused.content.decode()


def test_a_file_over_the_limit_is_refused(desk, member, monkeypatch):
    from apps.helpdesk import uploads

    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 20)
    big = SimpleUploadedFile("big.pdf", PDF)
    response = member.post(reverse("helpdesk:new"), form_data(confirmed="1", attachments=[big]))
    assert response.status_code == 400 and "big.pdf is too large" in response.content.decode()


def test_suggest_returns_at_most_five_articles_and_nothing_for_short_queries(desk, member):
    url = reverse("helpdesk:suggest")
    found = member.get(url, {"q": "trademark logo brand"})
    assert found.status_code == 200 and 'data-suggested="trademarks"' in found.content.decode()
    assert found.content.decode().count("data-suggested=") <= 5
    many = member.get(url, {"q": "patent trademark design copyright madrid hague pct protect"})
    assert 0 < many.content.decode().count("data-suggested=") <= 5
    for query in ("", "tm", "x" * 5000):
        response = member.get(url, {"q": query})
        assert response.status_code == 200 and "data-suggested=" not in response.content.decode()


# --- Following one's tickets ---------------------------------------------------------------------


def test_my_tickets_lists_only_the_members_own_and_has_an_empty_state(desk, member):
    empty = member.get(reverse("helpdesk:mine"))
    assert empty.status_code == 200 and 'id="tickets-empty"' in empty.content.decode()
    own = open_ticket(desk)
    other = open_ticket(desk, actor=desk.other_member, subject="Another business's question")
    page = member.get(reverse("helpdesk:mine")).content.decode()
    assert own.reference in page and ticket_url(own) in page and "New" in page
    assert other.reference not in page and "Another business" not in page


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("helpdesk:mine"))
        assert response.status_code == 200
    return len(captured.captured_queries)


def test_my_tickets_page_runs_the_same_queries_for_one_ticket_and_for_many(desk, member):
    open_ticket(desk)
    few = _list_queries(member)
    for n in range(45):
        open_ticket(desk, subject=f"Question {n}")
    assert _list_queries(member) == few
    assert 'rel="next"' in member.get(reverse("helpdesk:mine")).content.decode()


def test_the_ticket_page_shows_the_conversation_but_never_an_internal_note(desk, member):
    ticket = open_ticket(desk)
    note_file = answered(desk, ticket)
    response = member.get(ticket_url(ticket))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Can we register our logo abroad?" in page and "Yes: file with the Madrid system." in page
    assert "Status changed from New to Open" in page
    assert NOTE not in page and "agents-only-memo" not in page and str(note_file.pk) not in page
    for url in (reverse("helpdesk:mine"), reverse("helpdesk:home")):
        assert NOTE not in member.get(url, follow=True).content.decode()


def test_public_files_are_linked_and_downloaded_but_a_notes_file_is_not(desk, member):
    ticket = open_ticket(desk)
    note_file = answered(desk, ticket)
    with tenant_context(desk.tenant), transaction.atomic():
        reply = HelpdeskMessageFactory(ticket=Ticket.objects.get(pk=ticket.pk), kind="reply", from_agent=True)
        public = HelpdeskAttachmentFactory(message=reply, name="how-to-file.pdf")
    page = member.get(ticket_url(ticket)).content.decode()
    download = reverse("helpdesk:attachment", kwargs={"attachment_pk": public.pk})
    assert download in page and "how-to-file.pdf" in page
    response = member.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    hidden = reverse("helpdesk:attachment", kwargs={"attachment_pk": note_file.pk})
    assert member.get(hidden).status_code == 404
    assert client_of(desk.other_member).get(download).status_code == 404
    # The ticket's agent downloads both.
    agent = client_of(desk.agent)
    assert agent.get(download).status_code == 200 and agent.get(hidden).status_code == 200


def test_another_members_ticket_is_not_found_on_any_of_its_pages(desk):
    ticket = open_ticket(desk)
    other = client_of(desk.other_member)
    assert other.get(ticket_url(ticket)).status_code == 404
    for name in ("helpdesk:reply", "helpdesk:close", "helpdesk:rate"):
        assert other.post(ticket_url(ticket, name), {"body": "hijack", "rating": "bad"}).status_code == 404
    assert reload(desk, ticket).status == Status.NEW


def test_an_agent_opening_the_members_page_is_sent_to_the_work_page(desk):
    ticket = open_ticket(desk)
    response = client_of(desk.agent).get(ticket_url(ticket))
    assert response.status_code == 302 and response["Location"] == f"/helpdesk/work/{ticket.pk}/"
    assert client_of(desk.agent).get(reverse("helpdesk:mine"))["Location"] == "/helpdesk/queue/"


# --- Reply, close, rate --------------------------------------------------------------------------


def test_a_member_replies_with_a_file_and_an_empty_reply_is_a_400(desk, member):
    ticket = open_ticket(desk)
    answered(desk, ticket)
    url = ticket_url(ticket, "helpdesk:reply")
    sent = member.post(url, {"body": "Thank you, here is our logo.", "attachments": [SimpleUploadedFile("l.png", PNG)]})
    assert sent.status_code == 302 and sent["Location"] == ticket_url(ticket)
    with tenant_context(desk.tenant), transaction.atomic():
        message = Message.objects.filter(ticket_id=ticket.pk, body="Thank you, here is our logo.").get()
        assert message.attachments.get().content_type == "image/png" and not message.from_agent
    empty = member.post(url, {"body": "  "})
    page = empty.content.decode()
    assert empty.status_code == 400 and "Write your message." in page
    assert "Can we register our logo abroad?" in page and NOTE not in page  # the ticket page, again


def test_a_closed_ticket_takes_no_reply_and_says_why(desk, member):
    ticket = open_ticket(desk)
    closed = member.post(ticket_url(ticket, "helpdesk:close"))
    assert closed.status_code == 302 and reload(desk, ticket).status == Status.CLOSED
    refused = member.post(ticket_url(ticket, "helpdesk:reply"), {"body": "One more thing"})
    assert refused.status_code == 403
    assert "This ticket is closed" in refused.content.decode()
    page = member.get(ticket_url(ticket)).content.decode()
    assert 'id="close-ticket"' not in page and 'action="' + ticket_url(ticket, "helpdesk:reply") not in page


def test_rating_is_asked_once_the_ticket_is_resolved_and_only_once(desk, member):
    ticket = open_ticket(desk)
    rate = ticket_url(ticket, "helpdesk:rate")
    assert 'id="rate"' not in member.get(ticket_url(ticket)).content.decode()
    early = member.post(rate, {"rating": "good"})
    assert early.status_code == 403 and "cannot be rated" in early.content.decode()

    answered(desk, ticket, resolved=True)
    assert 'id="rate"' in member.get(ticket_url(ticket)).content.decode()
    bad = member.post(rate, {"rating": "excellent"})
    assert bad.status_code == 400 and "Say whether the answer was good or bad." in bad.content.decode()
    assert NOTE not in bad.content.decode()
    done = member.post(rate, {"rating": "good", "comment": "Clear and quick."})
    assert done.status_code == 302
    rated = reload(desk, ticket)
    assert (rated.rating, rated.rating_comment) == ("good", "Clear and quick.")
    page = member.get(ticket_url(ticket)).content.decode()
    assert 'id="rate"' not in page and 'id="rated"' in page
    again = member.post(rate, {"rating": "bad"})
    assert again.status_code == 403 and reload(desk, ticket).rating == "good"


def test_agents_cannot_use_the_members_actions(desk):
    ticket = open_ticket(desk)
    agent = client_of(desk.agent)
    response = agent.post(ticket_url(ticket, "helpdesk:reply"), {"body": "From the wrong page"})
    assert response.status_code == 403
    with tenant_context(desk.tenant), transaction.atomic():
        assert not Message.objects.filter(body="From the wrong page").exists()


def _ticket_page_queries(client, ticket) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ticket_url(ticket))
        assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_ticket_page_runs_the_same_queries_for_a_short_and_a_long_conversation(desk, member):
    ticket = open_ticket(desk)
    answered(desk, ticket)
    few = _ticket_page_queries(member, ticket)
    for n in range(12):
        reply = agent_does(desk, services.ticket_reply, ticket, body=f"Answer {n}")
        with tenant_context(desk.tenant), transaction.atomic():
            HelpdeskAttachmentFactory(message=reply)
    assert _ticket_page_queries(member, ticket) == few


def test_attached_files_are_recorded_in_the_audit_trail(desk, member):
    from apps.tenants.audit import AuditEvent

    member.post(reverse("helpdesk:new"), form_data(confirmed="1", attachments=[SimpleUploadedFile("a.pdf", PDF)]))
    with tenant_context(desk.tenant), transaction.atomic():
        attachment = Attachment.objects.get()
        event = AuditEvent.objects.get(object_id=attachment.pk)
    assert event.action == "create" and event.actor_id == desk.member.user.pk
    assert event.changes == {"content_type": "application/pdf", "size": len(PDF)}


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        ("scan.PDF", PDF, "application/pdf"),
        ("logo.png", PNG, "image/png"),
        ("logo.png", b"GIF89a....", None),  # the name says PNG, the bytes do not
        ("notes.pdf", b"<html><script>", None),
    ],
)
def test_uploads_are_recognised_by_their_bytes_not_their_name(name, content, expected):
    from django.core.exceptions import ValidationError

    from apps.helpdesk.uploads import check_upload

    upload = SimpleUploadedFile(name, content)
    if expected is None:
        with pytest.raises(ValidationError):
            check_upload(upload)
    else:
        assert check_upload(upload) == expected
