"""The MSME's side of the helpdesk in a browser: a member types a question, sees a guidance page suggested
while typing the subject, opens it (recorded as read), sends the question and lands on the ticket's page."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.helpdesk.models import Ticket
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, MsmeFactory, MsmeMemberFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_opens_a_ticket_after_seeing_a_suggestion(page, live_server, console_log, tenant_a):
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        msme = MsmeFactory(name="Savanna Honey")
        MsmeMemberFactory(msme=msme, user=member)

    sign_in(page, live_server.url, member.email, PASSWORD)
    page.goto(live_server.url + "/helpdesk/")
    # A member is sent to their tickets; none yet, so the empty state offers to ask.
    expect(page).to_have_url(re.compile(r"/helpdesk/tickets/$"))
    with page.expect_navigation():
        page.locator("#tickets-empty a").click()
    assert_styled(page)

    form = page.locator("#ticket-form")
    form.locator("input[name='subject']").press_sequentially("Protect our trademark logo", delay=20)
    suggestion = page.locator("#helpdesk-suggestions a[data-article='trademarks']")
    expect(suggestion).to_be_visible()
    assert form.locator("input[name='suggested']").input_value().split(",").count("trademarks") == 1

    # The article opens in a new tab and counts as read.
    with page.context.expect_page() as article:
        suggestion.click()
    article.value.close()
    assert "trademarks" in form.locator("input[name='read']").input_value().split(",")

    form.locator("textarea[name='body']").fill("We sell honey in Kenya and Uganda under one brand. Where do we start?")
    form.locator("select[name='topic']").select_option("trademarks")
    form.locator("select[name='priority']").select_option("high")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "helpdesk_member_form_with_suggestion.png"), full_page=True)
    with page.expect_navigation():
        form.locator("[type='submit']").click()

    # The script showed the suggestions: the form is sent at once, not shown again to confirm.
    expect(page).to_have_url(re.compile(r"/helpdesk/tickets/[0-9a-f-]{36}/$"))
    expect(page.locator("h1")).to_have_text("Protect our trademark logo")
    expect(page.locator("#ticket-status")).to_have_text("New")
    expect(page.locator("#ticket-timeline")).to_contain_text("We sell honey in Kenya and Uganda")
    expect(page.locator("#reply textarea[name='body']")).to_be_visible()
    with tenant_context(tenant_a), transaction.atomic():
        ticket = Ticket.objects.get()
    expect(page.locator(".alert-success")).to_contain_text(ticket.reference)
    assert ticket.msme_id == msme.pk and ticket.priority == "high"
    assert "trademarks" in ticket.suggested_articles and ticket.read_articles == ["trademarks"]
    assert console_log.csp_violations() == []
