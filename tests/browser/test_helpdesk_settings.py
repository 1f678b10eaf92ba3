"""The helpdesk settings in a browser: agency staff change a queue's hours and add a routing rule."""

from __future__ import annotations

from datetime import time

import pytest
from playwright.sync_api import expect

from apps.core.roles import Division, Role
from apps.helpdesk.models import Queue, RoutingRule
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agency_staff_edit_a_queues_hours_and_add_a_routing_rule(page, live_server, console_log, tenant_a):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    queue = Queue.objects.create(tenant=tenant_a, name="Brands desk", languages=["en"], is_default=True)
    pct = Queue.objects.create(division=Division.PCT, name="PCT help")

    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.get_by_role("link", name="Helpdesk settings").first.click()
    assert_styled(page)
    expect(page.locator("#no-rules")).to_be_visible()
    page.locator("#settings-queues").get_by_role("link", name="Brands desk").click()

    form = page.locator("#queue-form")
    form.get_by_label("Time zone").fill("Africa/Nairobi")
    form.get_by_label("Opens at").fill("08:00")
    form.get_by_label("Closes at").fill("15:30")
    form.get_by_label("Sat").check()
    with page.expect_navigation():
        form.get_by_role("button", name="Save the queue").click()
    expect(page.locator(".alert-success, .alert").first).to_contain_text("The queue is saved")
    page.screenshot(path=str(ARTIFACTS / "test_helpdesk_settings-queue.png"), full_page=True)

    page.get_by_role("link", name="Helpdesk settings").first.click()
    new_rule = page.locator("#rule-new")
    new_rule.get_by_label("Language").select_option("fr")
    new_rule.get_by_label("Send to queue").select_option(str(pct.pk))
    with page.expect_navigation():
        new_rule.get_by_role("button", name="Add the rule").click()
    expect(page.locator("#settings-rules li")).to_have_count(1)
    expect(page.locator("#settings-queues")).to_contain_text("08:00\u201315:30")
    page.screenshot(path=str(ARTIFACTS / "test_helpdesk_settings-rules.png"), full_page=True)

    queue.refresh_from_db()
    assert (queue.time_zone, queue.opens_at, queue.closes_at) == ("Africa/Nairobi", time(8), time(15, 30))
    assert queue.work_days == [0, 1, 2, 3, 4, 5]
    rule = RoutingRule.objects.get(tenant=tenant_a)
    assert (rule.language, rule.queue.name, rule.position) == ("fr", "PCT help", 1)
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())
