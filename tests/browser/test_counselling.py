"""Counselling sessions in a browser: a member books an agent's free time, the agent sees the booking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.helpdesk.models import CounsellingSession
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, CounsellingSlotFactory, MsmeFactory, MsmeMemberFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_books_a_session_and_the_agent_sees_it(page, new_page, live_server, console_log, tenant_a):
    agent = user_with_role(Role.HELPDESK_AGENT, tenant_a, full_name="Amina Otieno")
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        MsmeMemberFactory(msme=MsmeFactory(name="Savanna Crafts"), user=member)
        slot = CounsellingSlotFactory(
            agent=agent, starts_at=timezone.now() + timedelta(days=2), mode="visit", where="Agency office, room 4"
        )

    sign_in(page, live_server.url, member.email, PASSWORD)
    page.goto(live_server.url + "/helpdesk/sessions/")
    assert_styled(page)
    free = page.locator("#free-slots li").first
    expect(free).to_contain_text("Agency office, room 4")
    free.locator("summary").click()
    free.locator("textarea[name='note']").fill("We want to protect our basket designs.")
    with page.expect_navigation():
        free.get_by_role("button", name="Book").click()
    expect(page.locator("#bookings")).to_contain_text("Booked")
    expect(page.locator("#free-slots")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "test_counselling-member_booked.png"), full_page=True)

    agent_page = new_page()
    sign_in(agent_page, live_server.url, agent.email, PASSWORD)
    agent_page.goto(live_server.url + "/helpdesk/sessions/")
    expect(agent_page.locator("#agent-slots")).to_contain_text("Booked")
    expect(agent_page.locator("#agent-sessions")).to_contain_text("Savanna Crafts")
    expect(agent_page.locator("#agent-sessions").get_by_role("button", name="Cancel the session")).to_be_visible()
    agent_page.screenshot(path=str(ARTIFACTS / "test_counselling-agent.png"), full_page=True)

    with tenant_context(tenant_a), transaction.atomic():
        session = CounsellingSession.objects.get(slot=slot)
        assert session.state == "booked" and session.ticket.body == "We want to protect our basket designs."
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())
