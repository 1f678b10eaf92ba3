"""A visitor works out the PCT time limits with the calculator page, in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.helpers import assert_styled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_calculates_the_pct_national_phase(page, live_server, console_log):
    page.goto(live_server.url + "/guidance/calculators/pct-deadlines/")
    assert_styled(page)

    form = page.locator("#pct-form")
    form.get_by_label("Priority date").fill("2024-03-15")
    with page.expect_navigation():
        form.locator("[type='submit']").click()

    assert "priority_date=2024-03-15" in page.url
    national_phase = page.locator("#limit-national_phase")
    assert "15 Sep 2026" in national_phase.inner_text()
    assert "PCT Art. 22(1)" in national_phase.inner_text()
    assert "15 Oct 2026" in page.locator("#pct-31-months").inner_text()
    assert page.locator("#rule-80-5").is_visible()
    assert console_log.csp_violations() == []


def test_visitor_calculates_madrid_fees(page, live_server, console_log):
    page.goto(live_server.url + "/guidance/calculators/pct-deadlines/")
    page.locator("#calculators-nav").get_by_role("link", name="Madrid (trademark) fees").click()
    page.wait_for_url("**/guidance/calculators/madrid-fees/")
    assert_styled(page)

    form = page.locator("#fees-form")
    form.get_by_label("The mark is in colour").check()
    form.get_by_label("Number of classes").fill("5")
    form.get_by_label("Other designated parties (no individual fee)").fill("2")
    with page.expect_navigation():
        form.locator("[type='submit']").click()

    assert "classes=5" in page.url
    assert page.locator("#fees-total").inner_text() == "1303.00"  # 903 + 2 x 100 + 2 x 100
    assert "Madrid Schedule of Fees, item 2.1.2" in page.locator("#fees-lines").inner_text()
    assert console_log.csp_violations() == []


def test_visitor_compares_routes_for_a_brand(page, live_server, console_log):
    page.goto(live_server.url + "/guidance/calculators/madrid-fees/")
    page.locator("#calculators-nav").get_by_role("link", name="Route comparison").click()
    page.wait_for_url("**/guidance/calculators/route-comparison/")
    assert_styled(page)

    form = page.locator("#routes-form")
    form.get_by_label("What do you want to protect?").select_option("mark")
    form.get_by_label("Countries").select_option(["AU", "CN", "GB"])
    form.get_by_label("Number of classes").fill("2")
    with page.expect_navigation():
        form.locator("[type='submit']").click()

    assert "right=mark" in page.url and "countries=CN" in page.url
    national = page.locator("#route-national")
    assert "AUD 500.00" in page.locator("#national-AU").inner_text()  # 2 classes x AUD 250
    assert "GBP 265.00" in page.locator("#national-GB").inner_text()  # 205 + 60 (from 1 April 2026)
    assert "no data" in page.locator("#national-CN").inner_text()
    assert national.is_visible() and page.locator("#route-international").is_visible()
    # Madrid: 653 + AU 2 x 232 + CN 249 + 125 = 1491; GB has no documented Madrid fee
    assert page.locator("#international-total").inner_text() == "1491.00"
    assert "GB" in page.locator("#international-notes").inner_text()
    assert console_log.csp_violations() == []


def test_visitor_compares_routes_in_arabic(new_page, live_server, console_log):
    page = new_page(locale="ar")  # the browser asks for Arabic (Accept-Language)
    page.goto(live_server.url + "/guidance/calculators/route-comparison/?right=invention&countries=GB&countries=IL")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("body").evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert_styled(page)
    assert page.locator("#route-national").is_visible() and page.locator("#route-international").is_visible()
    assert "ILS" in page.locator("#national-IL").inner_text()
    assert page.locator("#international-total").is_visible()
    assert console_log.csp_violations() == []
