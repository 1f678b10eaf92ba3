"""The action plan in a browser: a member opens their plan from the navigation, reads it, downloads the PDF;
the plan reads right to left in Arabic; a visitor learns what the plan is."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from apps.core.roles import Role
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, IpAssetFactory, MsmeFactory, MsmeMemberFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def member_of_a_business(tenant):
    member = user_with_role(Role.MSME_MEMBER, tenant)
    with tenant_context(tenant), transaction.atomic():
        msme = MsmeFactory(name="Savanna Soft", sector_isic_id="5820", sector_section="J", exports=True)
        MsmeMemberFactory(msme=msme, user=member)
        IpAssetFactory(
            msme=msme,
            asset_type="patent",
            title="Solar dryer",
            status="pending",
            filing_date=timezone.localdate() - timedelta(days=100),
        )
    return member, msme


def test_member_opens_their_plan_and_downloads_the_pdf(page, live_server, console_log, tenant_a):
    member, msme = member_of_a_business(tenant_a)
    sign_in(page, live_server.url, member.email, PASSWORD)
    with page.expect_navigation():
        page.locator("#main-nav [data-nav='guidance:plan']").click()
    assert_styled(page)
    assert page.url.endswith(f"/guidance/plan/{msme.pk}/")
    assert "Savanna Soft" in page.locator("h1").inner_text()
    actions = page.locator("#plan-actions > li")
    assert actions.count() >= 5
    assert actions.first.locator("h2").inner_text().endswith("Learn the basics of intellectual property")
    pct = page.locator("#plan-actions > li[data-key^='pct-decision']")
    assert "Solar dryer" in pct.inner_text() and "CHF 1,330" in pct.inner_text()
    assert pct.locator("a", has_text="Learn more").get_attribute("href") == "/guidance/pct/"

    with page.expect_download() as download_info:
        page.locator("#plan-pdf").click()
    download = download_info.value
    assert download.suggested_filename.startswith("action-plan-savanna-soft-")
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Savanna Soft" in text and "Solar dryer" in text
    assert console_log.csp_violations() == []


def test_plan_reads_right_to_left_in_arabic(page, live_server, tenant_a):
    member, msme = member_of_a_business(tenant_a)
    sign_in(page, live_server.url, member.email, PASSWORD)
    page.goto(f"{live_server.url}/guidance/plan/{msme.pk}/")
    with page.expect_navigation():
        page.locator("#language-select").select_option("ar")
        page.locator("form:has(#language-select) [type='submit']").click()
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.locator("#plan-actions > li").count() >= 5
    with page.expect_download() as download_info:
        page.locator("#plan-pdf").click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")


def test_msme_page_links_to_the_plan(page, live_server, tenant_a):
    member, msme = member_of_a_business(tenant_a)
    sign_in(page, live_server.url, member.email, PASSWORD)
    page.goto(f"{live_server.url}/registry/{msme.pk}/")
    summary = page.locator("#plan-summary")
    assert summary.locator("ol > li").count() == 3
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "test_msme_page_plan_summary.png"), full_page=True)
    with page.expect_navigation():
        summary.get_by_role("link", name="See the full plan").click()
    assert page.url.endswith(f"/guidance/plan/{msme.pk}/")


def test_visitor_learns_what_the_plan_is(page, live_server):
    page.goto(f"{live_server.url}/guidance/plan/")
    assert_styled(page)
    assert page.locator("h1").inner_text() == "Your IP action plan"
    assert page.get_by_role("link", name="Sign up").count() >= 1
