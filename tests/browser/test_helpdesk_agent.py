"""The helpdesk agent in a browser: from the queue to a ticket, a canned reply picked and sent with the
keyboard alone (Ctrl+Enter), and the reply on the timeline."""

from __future__ import annotations

import pytest
from django.db import transaction
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.helpdesk.models import CannedReply, Message, Queue, QueueAgent
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, HelpdeskTicketFactory, MsmeFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_answers_a_ticket_with_a_canned_reply_by_keyboard(page, live_server, console_log, tenant_a):
    agent = user_with_role(Role.HELPDESK_AGENT, tenant_a, full_name="Amina Otieno")
    with tenant_context(tenant_a), transaction.atomic():
        queue = Queue.objects.create(tenant=tenant_a, name="Kenya IP helpdesk", is_default=True, auto_assign=False)
        QueueAgent.objects.create(queue=queue, user=agent)
        CannedReply.objects.create(
            queue=queue,
            title="Trademark first steps",
            body="Dear {requester_name}, thank you for asking about {msme_name}'s brand ({reference}). {agent_name}",
        )
        msme = MsmeFactory(name="Savanna Crafts Ltd")
        ticket = HelpdeskTicketFactory(
            msme=msme,
            queue=queue,
            subject="How do we register our trademark?",
            requester_name="Wanjiru Kamau",
        )

    sign_in(page, live_server.url, agent.email, PASSWORD)
    page.goto(live_server.url + "/helpdesk/queue/")
    assert_styled(page)
    expect(page.locator("h1")).to_have_text("Helpdesk queue")
    row = page.locator(f"#ticket-table tr[data-ticket='{ticket.reference}']")
    expect(row).to_contain_text("Savanna Crafts Ltd")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "helpdesk-agent-queue.png"), full_page=True)
    with page.expect_navigation():
        row.get_by_role("link", name=ticket.reference).click()

    expect(page.locator("h1")).to_contain_text("How do we register our trademark?")
    page.get_by_label("Canned reply").select_option(label="Trademark first steps")
    box = page.get_by_label("Your message")
    expected = (
        f"Dear Wanjiru Kamau, thank you for asking about Savanna Crafts Ltd's brand ({ticket.reference}). Amina Otieno"
    )
    expect(box).to_have_value(expected)
    expect(box).to_be_focused()
    # The send button is reachable by Tab from the box (past the files and the two radio buttons' group).
    page.keyboard.press("Tab")
    expect(page.locator("#reply-files")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#reply-send")).to_be_focused()
    box.focus()
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")

    expect(page.locator(".alert")).to_contain_text("Your reply was sent.")
    last = page.locator("#timeline [data-kind='reply']").last
    expect(last).to_contain_text(expected)
    expect(last).to_contain_text("Amina Otieno")
    expect(page.locator("#ticket-status")).to_have_text("Open")
    with tenant_context(tenant_a), transaction.atomic():
        assert Message.objects.filter(ticket=ticket, kind="reply", body=expected, from_agent=True).exists()
    assert console_log.csp_violations() == []
