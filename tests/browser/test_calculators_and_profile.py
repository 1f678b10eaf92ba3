"""A visitor finds the calculators from the menu and works out a PCT limit at a Kenyan office; a member
sets their name and language on the profile page, which "My account" opens."""

from __future__ import annotations

import pytest

from apps.core.roles import Role
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, TenantFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_goes_from_the_menu_to_the_pct_limits_at_their_office(page, live_server, console_log):
    page.goto(live_server.url + "/")
    page.locator("#main-nav [data-nav='guidance:calculators']").click()
    assert page.url.endswith("/guidance/calculators/")
    assert_styled(page)
    assert page.locator("#calculator-list li").count() >= 7

    page.get_by_role("link", name="PCT time limits").first.click()
    form = page.locator("#pct-form")
    form.get_by_label("Priority date").fill("2024-12-12")
    form.get_by_label("Office (optional)").select_option("KE")
    with page.expect_navigation():
        form.locator("[type='submit']").click()

    row = page.locator("#limit-priority_deadline")
    assert "15 Dec 2025" in row.locator("[data-moved]").inner_text()
    row.get_by_text("Why it moved").click()
    assert "Jamhuri Day" in row.inner_text()
    assert console_log.csp_violations() == []


def test_visitor_reads_the_calculators_in_arabic_on_a_phone(new_page, live_server, console_log):
    page = new_page(locale="ar", viewport={"width": 390, "height": 844}, extra_http_headers={"Accept-Language": "ar"})
    page.goto(live_server.url + "/guidance/calculators/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert console_log.csp_violations() == []


def test_member_sets_name_and_language_from_my_account(page, live_server, console_log):
    tenant = TenantFactory(slug="ke", name="Kenya Agency", country="KE")
    user = user_with_role(Role.MSME_MEMBER, tenant, email="wanjiru@example.org")
    sign_in(page, live_server.url, user.email, PASSWORD)

    page.get_by_role("link", name="My account").click()
    assert page.url.endswith("/accounts/profile/")
    form = page.locator("#profile-form")
    form.get_by_label("Your name").fill("Wanjiru Kamau")
    form.get_by_label("Language").select_option("ar")
    with page.expect_navigation():
        page.locator("#profile-form [type='submit']").click()

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#id_full_name").input_value() == "Wanjiru Kamau"
    user.refresh_from_db()
    assert user.language == "ar"
    assert console_log.csp_violations() == []
