"""Deadline reminders in a browser: a member opens their reminders page from their business's page, chooses
their reminders, creates their calendar address and a calendar app (no session) fetches the .ics."""

from __future__ import annotations

import urllib.request
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.reminders.models import ReminderSettings
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, IpAssetFactory, MsmeFactory, MsmeMemberFactory, user_with_role
from tests.reminders.conftest import renewal_due_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_sets_reminders_and_subscribes_to_the_calendar(page, live_server, console_log, tenant_a, settings):
    settings.PORTAL_URL = live_server.url
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        msme = MsmeFactory(name="Savanna Crafts")
        MsmeMemberFactory(msme=msme, user=member)
        IpAssetFactory(
            msme=msme, title="Savanna basket mark", **renewal_due_on(timezone.localdate() + timedelta(days=45))
        )

    sign_in(page, live_server.url, member.email, PASSWORD)
    page.goto(live_server.url + "/registry/mine/")
    with page.expect_navigation():
        page.locator("#reminders-link").click()
    assert_styled(page)
    expect(page.locator("h1")).to_have_text("Reminders and calendar")
    expect(page.locator("#reminder-deadlines")).to_contain_text("Savanna basket mark")

    page.locator("#id_remind_7").uncheck()
    with page.expect_navigation():
        page.locator("#reminder-settings").get_by_role("button", name="Save").click()
    expect(page.locator("#id_remind_7")).not_to_be_checked()
    expect(page.locator("#id_remind_30")).to_be_checked()

    with page.expect_navigation():
        page.locator("#create-calendar-address").click()
    address = page.locator("#calendar-address").inner_text().strip()
    assert address.startswith(live_server.url + "/reminders/calendar/") and address.endswith(".ics")
    expect(page.get_by_role("button", name="Copy the address")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "test_reminders-address_shown_once.png"), full_page=True)

    # A calendar app: no cookies, no session.
    with urllib.request.urlopen(address) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        body = response.read().decode().replace("\r\n ", "")
    assert "BEGIN:VCALENDAR" in body and "Savanna basket mark" in body

    page.goto(live_server.url + "/reminders/")
    expect(page.locator("#masked-calendar-address")).to_contain_text("••••")
    expect(page.locator("#calendar-address")).to_have_count(0)

    with tenant_context(tenant_a), transaction.atomic():
        assert ReminderSettings.objects.get(member__user=member).lead_days() == (90, 30)
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())


def test_the_reminders_page_in_arabic_is_right_to_left(page, live_server, tenant_a):
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        msme = MsmeFactory(name="Nile Designs")
        MsmeMemberFactory(msme=msme, user=member)
        IpAssetFactory(msme=msme, title="Nile lotus mark", **renewal_due_on(timezone.localdate() + timedelta(days=20)))
    sign_in(page, live_server.url, member.email, PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.goto(live_server.url + "/reminders/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator("#reminder-deadlines")).to_contain_text("Nile lotus mark")
