"""The helpdesk from end to end, as the two people who use it: an MSME's member opens a ticket in the browser and
sees guidance suggested while typing; the agency's agent answers it from the queue with a canned reply sent by
keyboard; the member answers the e-mail that brings the reply (a real RFC 5322 reply to the notification's
Reply-To, quoting it); the agent reads that answer on the ticket, without the quote, and resolves the ticket; the
member rates the answer, once."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.helpdesk.mail.inbound import POSTED, process_inbound
from apps.helpdesk.models import CannedReply, Message, Queue, QueueAgent, Status, Ticket
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, MsmeFactory, MsmeMemberFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPLY_DOMAIN = "help.example.org"
SUBJECT = "Protect our trademark logo"
QUESTION = "We sell honey in Kenya and Uganda under one brand. Where do we start?"
CANNED = "Dear {requester_name}, register {msme_name}'s mark with the agency first ({reference}). {agent_name}"
MEMBER_ANSWER = "Thank you, that helps.\nWe will file the application on Monday."


@pytest.fixture
def reply_domain(settings):
    # The live server runs in this process: the override reaches its requests and the e-mails they send.
    settings.HELPDESK_REPLY_DOMAINS = [REPLY_DOMAIN]
    settings.DEFAULT_FROM_EMAIL = f"Agency A helpdesk <helpdesk@{REPLY_DOMAIN}>"


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"helpdesk_journey-{name}.png"), full_page=True)


def _only_email(to: str, subject_start: str):
    """The one e-mail sent so far to `to` whose subject starts so (the outbox of the locmem backend)."""
    found = [sent for sent in mail.outbox if to in sent.to and sent.subject.startswith(subject_start)]
    assert len(found) == 1, [(sent.to, sent.subject) for sent in mail.outbox]
    return found[0]


def _email_reply(notification, *, sender_name: str, sender: str, text: str) -> bytes:
    """What a mail client sends when the member answers `notification`: to its Reply-To, threaded under its
    Message-ID, the new text on top and the original quoted below an attribution line."""
    original = message_from_bytes(notification.message().as_bytes(), policy=policy.default)
    reply = EmailMessage(policy=policy.SMTP)
    reply["From"] = formataddr((sender_name, sender))
    reply["To"] = str(original["Reply-To"])
    reply["Subject"] = "Re: " + str(original["Subject"])
    reply["Date"] = format_datetime(timezone.now())
    reply["Message-ID"] = make_msgid(domain="mail.example.com")
    reply["In-Reply-To"] = str(original["Message-ID"])
    reply["References"] = " ".join(filter(None, [str(original.get("References", "")), str(original["Message-ID"])]))
    quoted = "\n".join(f"> {line}" if line else ">" for line in original.get_content().splitlines())
    attribution = f"On {format_datetime(timezone.now())}, {original['From']} wrote:"
    reply.set_content(f"{text}\n\n{attribution}\n{quoted}\n")
    return reply.as_bytes()


def test_a_question_answered_by_canned_reply_answered_back_by_email_resolved_and_rated(
    new_page, live_server, console_log, tenant_a, reply_domain
):
    agent = user_with_role(Role.HELPDESK_AGENT, tenant_a, full_name="Amina Otieno")
    member = user_with_role(Role.MSME_MEMBER, tenant_a, full_name="Wanjiru Kamau")
    with tenant_context(tenant_a), transaction.atomic():
        queue = Queue.objects.create(tenant=tenant_a, name="Kenya IP helpdesk", is_default=True, auto_assign=False)
        QueueAgent.objects.create(queue=queue, user=agent)
        CannedReply.objects.create(queue=queue, title="Trademark first steps", body=CANNED)
        CannedReply.objects.create(queue=queue, title="Zzz: not this one", body="Not this text.")
        msme = MsmeFactory(name="Savanna Honey")
        MsmeMemberFactory(msme=msme, user=member)

    # --- The member asks, and sees guidance suggested while typing the subject -------------------------------------
    member_page = new_page()
    sign_in(member_page, live_server.url, member.email, PASSWORD)
    member_page.goto(live_server.url + "/helpdesk/new/")
    assert_styled(member_page)
    form = member_page.locator("#ticket-form")
    form.locator("input[name='subject']").press_sequentially(SUBJECT, delay=10)
    suggestion = member_page.locator("#helpdesk-suggestions a[data-article='trademarks']")
    expect(suggestion).to_be_visible()
    form.locator("textarea[name='body']").fill(QUESTION)
    form.locator("select[name='topic']").select_option("trademarks")
    _shot(member_page, "1-member-form-with-suggestion")
    # The suggestion did not answer it: the member sends the question without opening it.
    with member_page.expect_navigation():
        form.get_by_role("button", name="Send my question").click()
    expect(member_page).to_have_url(re.compile(r"/helpdesk/tickets/[0-9a-f-]{36}/$"))
    expect(member_page.locator("#ticket-status")).to_have_text("New")
    with tenant_context(tenant_a), transaction.atomic():
        ticket = Ticket.objects.get()
    assert ticket.queue_id == queue.pk and ticket.requester_id == member.pk
    assert "trademarks" in ticket.suggested_articles and ticket.read_articles == []
    ticket_url = member_page.url

    # --- The agent answers from the queue with a canned reply, by keyboard ------------------------------------------
    agent_page = new_page()
    sign_in(agent_page, live_server.url, agent.email, PASSWORD)
    agent_page.goto(live_server.url + "/helpdesk/queue/")
    row = agent_page.locator(f"#ticket-table tr[data-ticket='{ticket.reference}']")
    expect(row).to_contain_text("Savanna Honey")
    with agent_page.expect_navigation():
        row.get_by_role("link", name=ticket.reference).click()
    expect(agent_page.locator("h1")).to_contain_text(SUBJECT)
    # The canned replies are in title order: the first one down from "Pick a ready answer…".
    agent_page.get_by_label("Canned reply").focus()
    agent_page.keyboard.press("ArrowDown")
    box = agent_page.get_by_label("Your message")
    answer = (
        f"Dear Wanjiru Kamau, register Savanna Honey's mark with the agency first ({ticket.reference}). Amina Otieno"
    )
    expect(box).to_have_value(answer)
    expect(box).to_be_focused()
    with agent_page.expect_navigation():
        agent_page.keyboard.press("Control+Enter")
    expect(agent_page.locator(".alert")).to_contain_text("Your reply was sent.")
    expect(agent_page.locator("#ticket-status")).to_have_text("Open")

    # --- The member answers the e-mail that brought the reply --------------------------------------------------------
    notification = _only_email(member.email, "An answer to your question")
    assert answer in notification.body and notification.reply_to
    raw = _email_reply(notification, sender_name="Wanjiru Kamau", sender=member.email, text=MEMBER_ANSWER)
    outcome = process_inbound(raw)
    assert outcome.status == POSTED, outcome
    assert outcome.ticket_id == ticket.pk

    agent_page.reload()
    from_member = agent_page.locator("#timeline [data-kind='reply']").last
    expect(from_member).to_contain_text("Wanjiru Kamau")
    expect(from_member).to_contain_text("by e-mail")
    expect(from_member.locator(".card-body")).to_have_text(MEMBER_ANSWER.replace("\n", ""))
    expect(agent_page.locator("#timeline")).not_to_contain_text("wrote:")
    _shot(agent_page, "2-agent-after-email-reply")
    with tenant_context(tenant_a), transaction.atomic():
        posted = Message.objects.get(pk=outcome.message_id)
    assert posted.body == MEMBER_ANSWER and posted.via == Message.Via.EMAIL
    assert posted.author_id == member.pk and not posted.from_agent

    # --- The agent resolves the ticket ------------------------------------------------------------------------------
    agent_page.locator("#action-status").select_option(Status.RESOLVED)
    with agent_page.expect_navigation():
        agent_page.locator("form:has(#action-status)").get_by_role("button", name="Set").click()
    expect(agent_page.locator("#ticket-status")).to_have_text("Resolved")
    assert ticket.reference in _only_email(member.email, "Your question").subject

    # --- The member rates the answer, once ---------------------------------------------------------------------------
    member_page.goto(ticket_url)
    expect(member_page.locator("#ticket-status")).to_have_text("Resolved")
    expect(member_page.locator("#ticket-timeline")).to_contain_text(answer)
    rating = member_page.locator("#rate")
    rating.get_by_label("Good").check()
    rating.get_by_label("Anything to add? (optional)").fill("Clear and quick, thank you.")
    with member_page.expect_navigation():
        rating.get_by_role("button", name="Send my rating").click()
    expect(member_page.locator(".alert-success")).to_contain_text("Thank you: your rating helps us answer better.")
    expect(member_page.locator("#rate")).to_have_count(0)
    expect(member_page.locator("#rated")).to_be_visible()
    _shot(member_page, "3-member-after-rating")
    with tenant_context(tenant_a), transaction.atomic():
        ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.resolved_at is not None
    assert ticket.first_responded_at is not None
    assert (ticket.rating, ticket.rating_comment) == ("good", "Clear and quick, thank you.")
    assert ticket.rated_at is not None
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())
