"""Agency staff build a segment in the browser: the count of MSMEs it selects follows each filter as it is
ticked (htmx, no inline script), the segment is saved and its page shows the same count and its first MSMEs."""

from __future__ import annotations

import pytest
from django.db import transaction
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.outreach.models import Segment
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, AssessmentFactory, MsmeFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_build_a_segment_with_a_live_count(page, live_server, console_log, tenant_a):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        for index in range(6):
            msme = MsmeFactory(name=f"Nairobi Roasters {index}", size_class="micro" if index < 4 else "small")
            if index < 2:
                AssessmentFactory(msme=msme, signals=["exports", "has_brand"])

    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.goto(live_server.url + "/outreach/segments/new/")
    assert_styled(page)
    count = page.locator("#segment-count [data-count]")
    expect(count).to_have_attribute("data-count", "6")

    page.locator("#id_name").fill("Micro exporters")
    page.locator("#segment-filters input[name=size_class][value=micro]").check()
    expect(count).to_have_attribute("data-count", "4")
    page.locator("#segment-filters").get_by_label("Selling abroad").check()
    expect(count).to_have_attribute("data-count", "2")
    expect(page.locator("#segment-count")).to_contain_text("2 MSMEs match these filters.")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "outreach-segment-form.png"), full_page=True)

    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("Micro exporters")
    expect(page.locator("#segment-total")).to_contain_text("2")
    expect(page.locator("#segment-msmes li")).to_have_count(2)
    page.screenshot(path=str(ARTIFACTS / "outreach-segment-detail.png"), full_page=True)
    with tenant_context(tenant_a), transaction.atomic():
        assert Segment.objects.get(name="Micro exporters").filters == {
            "size_class": ["micro"],
            "interest": ["exports"],
        }

    page.goto(live_server.url + "/outreach/segments/")
    expect(page.locator("#segment-table")).to_contain_text("Micro exporters")
    page.screenshot(path=str(ARTIFACTS / "outreach-segment-list.png"), full_page=True)
    assert console_log.csp_violations() == []


def test_the_segment_form_reads_right_to_left_in_arabic(page, live_server, console_log, tenant_a):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        MsmeFactory(name="Cairo Looms", preferred_language="ar")

    page.goto(live_server.url + "/")
    page.locator("#language-select").select_option("ar")
    with page.expect_navigation():
        page.locator("form:has(#language-select) [type='submit']").click()
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.goto(live_server.url + "/outreach/segments/new/")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert_styled(page)
    page.locator("#segment-filters select[name=language]").select_option("ar")
    expect(page.locator("#segment-count [data-count]")).to_have_attribute("data-count", "1")
    # The count sits at the left of the filters, as the reading order puts it after them.
    assert page.locator("#segment-count").bounding_box()["x"] < page.locator("#segment-filters").bounding_box()["x"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "outreach-segment-form-ar.png"), full_page=True)
    assert console_log.csp_violations() == []
