"""Events in a browser: agency staff publish an event; a member finds it, registers their business and
downloads the invitation (.ics)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.events.models import Event, Registration
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, MsmeFactory, MsmeMemberFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_publish_an_event_and_a_member_registers_and_downloads_the_invitation(
    new_page, live_server, console_log, tenant_a
):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a, full_name="Wanjiru Kamau")
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        MsmeMemberFactory(msme=MsmeFactory(name="Savanna Crafts"), user=member)

    page = new_page()
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.goto(live_server.url + "/events/")
    assert_styled(page)
    page.locator("#new-event").click()
    form = page.locator("#event-form")
    form.locator("[name=title]").fill("Protecting your designs: a workshop")
    form.locator("[name=kind]").select_option("workshop")
    form.locator("[name=language]").select_option("en")
    form.locator("[name=starts_at]").fill("2031-03-10T09:00")
    form.locator("[name=ends_at]").fill("2031-03-10T12:30")
    form.locator("[name=time_zone]").select_option("Africa/Nairobi")
    form.locator("[name=venue]").fill("Chamber of Commerce, room B")
    form.locator("[name=city]").fill("Nairobi")
    form.locator("[name=capacity]").fill("12")
    page.screenshot(path=str(ARTIFACTS / "test_events-staff_form.png"), full_page=True)
    with page.expect_navigation():
        form.get_by_role("button", name="Publish the event").click()
    expect(page.locator("#event-title")).to_have_text("Protecting your designs: a workshop")
    expect(page.locator("#event-facts")).to_contain_text("Africa/Nairobi")
    expect(page.locator("#staff-box")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "test_events-staff_event.png"), full_page=True)

    member_page = new_page(accept_downloads=True)
    sign_in(member_page, live_server.url, member.email, PASSWORD)
    member_page.goto(live_server.url + "/events/")
    expect(member_page.locator("#event-table")).to_contain_text("Protecting your designs")
    member_page.screenshot(path=str(ARTIFACTS / "test_events-member_list.png"), full_page=True)
    member_page.get_by_role("link", name="Protecting your designs: a workshop").click()
    with member_page.expect_navigation():
        member_page.locator("#register-button").click()
    expect(member_page.locator("#registration-status")).to_contain_text("Savanna Crafts is registered")
    with member_page.expect_download() as download_info:
        member_page.locator("#download-ics").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    ics = Path(download.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in ics and "SUMMARY:Protecting your designs: a workshop" in ics
    assert "DTSTART:20310310T060000Z" in ics  # 09:00 in Nairobi
    assert "LOCATION:Chamber of Commerce\\, room B\\, Nairobi" in ics

    staff_registrations = new_page()
    sign_in(staff_registrations, live_server.url, staff.email, PASSWORD)
    with tenant_context(tenant_a), transaction.atomic():
        event = Event.objects.get()
        assert Registration.objects.get(event=event).status == "confirmed"
    staff_registrations.goto(live_server.url + f"/events/{event.pk}/registrations/")
    expect(staff_registrations.locator("#confirmed-table")).to_contain_text("Savanna Crafts")
    # Right to left: the event page in Arabic.
    arabic = new_page(locale="ar")
    sign_in(arabic, live_server.url, member.email, PASSWORD)
    arabic.goto(live_server.url + f"/events/{event.pk}/")
    expect(arabic.locator("html")).to_have_attribute("dir", "rtl")
    expect(arabic.locator("#registration-box")).to_be_visible()
    arabic.screenshot(path=str(ARTIFACTS / "test_events-member_event_ar.png"), full_page=True)
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())
