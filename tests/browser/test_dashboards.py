"""Statistics in a browser: an agency's staff count their MSMEs, read the charts and the tables under them,
filter by sector and download a table; a division's analyst reads the countries side by side with the small
counts withheld; the agency's page in Arabic is right to left."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import transaction
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.core.roles import Division, Role
from apps.dashboards import rollups
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import (
    PASSWORD,
    AssessmentFactory,
    DeliveryFactory,
    HelpdeskTicketFactory,
    MsmeFactory,
    UserFactory,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def registry(tenant, micro: int, small: int) -> None:
    with tenant_context(tenant), transaction.atomic():
        MsmeFactory.create_batch(micro, sector_section="C", size_class="micro", region="KE-30", maturity_level=2)
        MsmeFactory.create_batch(small, sector_section="J", size_class="small", exports=True, maturity_level=4)


def test_an_agency_counts_its_msmes_and_reads_its_figures(page, live_server, console_log, tenant_a):
    registry(tenant_a, micro=14, small=6)
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.get_by_role("link", name="Statistics").first.click()
    assert_styled(page)
    expect(page.locator("h1")).to_have_text("Statistics of your MSMEs")
    expect(page.locator("#last-counted")).to_contain_text("have not been counted yet")

    with page.expect_navigation():  # the count runs in-process without a broker
        page.get_by_role("button", name="Count again now").click()
    page.reload()
    expect(page.locator("#figures-heading")).to_have_text("20 MSMEs")
    expect(page.locator("#last-counted")).to_contain_text("Counted on")
    size = page.locator("section[aria-labelledby='table-size']")
    expect(size.locator("tbody tr")).to_have_count(2)
    expect(size.locator("tbody")).to_contain_text("Micro")
    expect(size.locator("canvas")).to_be_visible()  # Chart.js drew the chart above the table
    page.screenshot(path=str(ARTIFACTS / "test_dashboards-agency.png"), full_page=True)

    page.select_option("#id_sector", "J")
    with page.expect_navigation():
        page.locator("#dashboard-filters").get_by_role("button", name="Apply").click()
    expect(page.locator("#figures-heading")).to_have_text("6 MSMEs")
    with page.expect_download() as download:
        size.get_by_role("link", name="Download (CSV)").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows == [["Size class", "MSMEs"], ["Small", "6"], ["Total", "6"]]
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())


def test_an_analyst_reads_the_countries_with_small_counts_withheld(page, live_server, console_log, tenant_a, tenant_b):
    registry(tenant_a, micro=14, small=6)
    registry(tenant_b, micro=30, small=3)
    for tenant in (tenant_a, tenant_b):
        with tenant_context(tenant), transaction.atomic():
            rollups.rebuild(tenant)
    analyst = UserFactory(division=Division.PCT, division_role=User.DivisionRole.ANALYST)
    sign_in(page, live_server.url, analyst.email, PASSWORD)
    page.goto(live_server.url + "/dashboards/")
    assert_styled(page)
    expect(page.locator("h1")).to_have_text("MSME statistics by country")
    size = page.locator("section[aria-labelledby='table-size']")
    expect(size.locator("thead")).to_contain_text("Kenya")
    expect(size.locator("thead")).to_contain_text("Philippines")
    micro = size.locator("tbody tr", has_text="Micro")
    expect(micro).to_contain_text("44")
    small = size.locator("tbody tr", has_text="Small")
    expect(small).to_contain_text("<5")
    expect(page.locator("#suppression-note")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "test_dashboards-division.png"), full_page=True)
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())


def test_the_agency_dashboard_in_arabic_is_right_to_left(page, live_server, tenant_a):
    registry(tenant_a, micro=9, small=7)
    with tenant_context(tenant_a), transaction.atomic():
        rollups.rebuild(tenant_a)
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.goto(live_server.url + "/dashboards/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator("section[aria-labelledby='table-size'] canvas")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "test_dashboards-agency-ar.png"), full_page=True)


def services(tenant) -> None:
    """Helpdesk questions, outreach messages and diagnostics for the agency's figures of its services."""
    with tenant_context(tenant), transaction.atomic():
        msme = MsmeFactory(sector_section="C", size_class="micro")
        HelpdeskTicketFactory.create_batch(4, topic="trademarks", msme=msme)
        HelpdeskTicketFactory.create_batch(2, topic="pct", msme=msme)
        DeliveryFactory.create_batch(3, msme=msme, status="sent")
        AssessmentFactory(msme=msme, level=1)
        AssessmentFactory(msme=msme, level=2)


def test_an_agency_reads_its_services_and_prints_its_country_profile(page, live_server, console_log, tenant_a):
    registry(tenant_a, micro=14, small=6)
    services(tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        rollups.rebuild(tenant_a)
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.goto(live_server.url + "/dashboards/")
    service = page.locator("section[aria-labelledby='table-help-service']")
    expect(service.locator("tbody tr", has_text="All questions")).to_contain_text("6")
    expect(page.locator("section[aria-labelledby='table-help-topics'] canvas")).to_be_visible()
    expect(page.locator("#headlines")).to_contain_text("MSMEs above their first level")
    page.screenshot(path=str(ARTIFACTS / "test_dashboards-services.png"), full_page=True)

    with page.expect_navigation():
        page.get_by_role("link", name="Your country profile, to print or download (PDF)").click()
    assert_styled(page)
    expect(page.locator("h1")).to_have_text("Kenya: MSMEs and their IP")
    expect(page.locator("section[aria-labelledby='profile-size'] tbody")).to_contain_text("Micro")
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # shown by the page's script
    page.screenshot(path=str(ARTIFACTS / "test_dashboards-profile.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator("nav.portal-navbar")).to_be_hidden()  # printed: the profile alone
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())


def test_the_country_profile_in_arabic_is_right_to_left(page, live_server, tenant_a):
    registry(tenant_a, micro=9, small=7)
    services(tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        rollups.rebuild(tenant_a)
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.goto(live_server.url + "/dashboards/profile/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=str(ARTIFACTS / "test_dashboards-profile-ar.png"), full_page=True)
