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
