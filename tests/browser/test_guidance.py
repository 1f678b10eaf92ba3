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
    assert "2026-09-15" in national_phase.inner_text()
    assert "PCT Art. 22(1)" in national_phase.inner_text()
    assert "2026-10-15" in page.locator("#pct-31-months").inner_text()
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
