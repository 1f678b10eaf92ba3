"""The main paths with JavaScript off, on a phone (where the menu folds behind a button that needs a script):
read a guidance topic, work out a calculator, take the diagnostic's first step, change the language, sign in
and out. On every page no control is shown that only a script could work."""

from __future__ import annotations

import pytest
from django.db import transaction

from apps.core.roles import Role
from apps.tenants.context import tenant_context
from tests.browser.helpers import assert_styled, expected_nav, shown_nav
from tests.factories import PASSWORD, TenantFactory, user_with_role
from tests.registry.factories import MsmeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Controls that do nothing without a script: Bootstrap's toggles and dismissers, htmx triggers on buttons and
# links, and buttons that submit nothing.
SCRIPT_ONLY_CONTROLS = (
    "[data-bs-toggle], [data-bs-dismiss], button[hx-get], button[hx-post], a[hx-get], a[hx-post], "
    "button[type='button']:not([disabled])"
)


def no_js_page(new_page, **options):
    page = new_page(viewport=PHONE, java_script_enabled=False, **options)
    return page


def dead_controls(page) -> list[str]:
    """The visible controls of the page that only a script could work."""
    return [
        control.evaluate("el => el.outerHTML.slice(0, 160)")
        for control in page.locator(SCRIPT_ONLY_CONTROLS).all()
        if control.is_visible()
    ]


def check_page(page) -> None:
    assert page.locator("html").get_attribute("class") == "no-js"
    assert_styled(page)
    assert dead_controls(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def follow_menu(page, name: str) -> None:
    """Follow a link of the main menu, which stays open without JavaScript."""
    link = page.locator(f"#main-nav [data-nav='{name}']")
    assert link.is_visible(), f"the menu link {name} cannot be reached"
    with page.expect_navigation():
        link.click()


def test_a_visitor_reads_a_topic_works_out_a_limit_and_starts_the_diagnostic(new_page, live_server, console_log):
    page = no_js_page(new_page)
    page.goto(live_server.url + "/")
    check_page(page)

    # A guidance topic, from the menu.
    follow_menu(page, "guidance:index")
    check_page(page)
    with page.expect_navigation():
        page.locator("main a[href='/guidance/patents/']").first.click()
    check_page(page)
    assert page.locator("#topic-patents h1").is_visible()
    assert page.locator("#summary").inner_text().strip()
    assert page.locator("#steps").is_visible()
    # The table of contents moves within the page without a script.
    toc_link = page.locator("#topic-toc a[href='#costs']")
    toc_link.click()
    assert page.url.endswith("#costs")

    # A calculator: the form goes to the server, the result comes back in the page.
    follow_menu(page, "guidance:calculators")
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="PCT time limits").first.click()
    form = page.locator("#pct-form")
    form.get_by_label("Priority date").fill("2024-12-12")
    form.get_by_label("Office (optional)").select_option("KE")
    with page.expect_navigation():
        form.locator("[type='submit']").click()
    check_page(page)
    row = page.locator("#limit-priority_deadline")
    assert "15 Dec 2025" in row.locator("[data-moved]").inner_text()
    row.get_by_text("Why it moved").click()  # a <details>: opens without a script
    assert "Jamhuri Day" in row.inner_text()

    # The diagnostic: its introduction, the first step refused empty, then answered.
    follow_menu(page, "diagnostics:start")
    check_page(page)
    with page.expect_navigation():
        page.locator("#diagnostic-start").click()
    check_page(page)
    assert page.url.endswith("/diagnostic/step/1/")
    with page.expect_navigation():
        page.locator("#diagnostic-next").click()
    assert page.locator("#form-errors").is_visible()
    for answer in ("#q-ip_matters-matters", "#q-ip_kinds-yes", "#q-ip_learning-trained"):
        page.locator(answer).check()
    with page.expect_navigation():
        page.locator("#diagnostic-next").click()
    check_page(page)
    assert page.url.endswith("/diagnostic/step/2/")
    assert "Step 2 of" in page.locator("#diagnostic-progress").inner_text()
    assert console_log.csp_violations() == []  # inline styles are refused with scripts off too


def test_a_visitor_changes_the_language_and_a_member_signs_in_and_out(new_page, live_server, tenant_a):
    member = user_with_role(Role.MSME_MEMBER, tenant_a, email="amina@example.org")
    page = no_js_page(new_page)
    page.goto(live_server.url + "/guidance/")

    # The language form submits with its own button.
    page.locator("#language-select").select_option("ar")
    with page.expect_navigation():
        page.get_by_role("button", name="Change").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.url.endswith("/guidance/")
    check_page(page)

    # Sign in from the menu's button, in Arabic.
    sign_in_link = page.locator("#portal-menu a[href='/accounts/login/']")
    assert sign_in_link.is_visible()
    with page.expect_navigation():
        sign_in_link.click()
    check_page(page)
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(member.email)
    form.locator("input[name='password']").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("[type='submit']").first.click()
    check_page(page)
    assert tenant_a.name in page.locator("#current-role").inner_text()
    assert shown_nav(page) == expected_nav(Role.MSME_MEMBER)

    # Signing out is a form (POST) in the menu.
    with page.expect_navigation():
        page.locator("#portal-menu form[action='/accounts/logout/'] [type='submit']").click()
    assert page.locator("#current-role").count() == 0
    assert page.locator("#portal-menu a[href='/accounts/login/']").is_visible()


def test_list_filters_are_open_on_a_phone_without_javascript(new_page, live_server):
    """The filters fold behind a button on a phone; without a script that button could not open them: the
    filters are shown and the button is not."""
    tenant = TenantFactory(slug="ke", name="Kenya Agency", country="KE")
    clerk = user_with_role(Role.AGENCY_STAFF, tenant, email="clerk@example.org")
    with transaction.atomic(), tenant_context(tenant):
        MsmeFactory(name="Savanna Crafts")
        MsmeFactory(name="Lakeside Foods")
    page = no_js_page(new_page)
    page.goto(live_server.url + "/accounts/login/")
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(clerk.email)
    form.locator("input[name='password']").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("[type='submit']").first.click()

    page.goto(live_server.url + "/registry/")
    check_page(page)
    filters = page.locator("#msme-filters")
    assert filters.is_visible()
    assert page.locator(".portal-filters-toggle").is_hidden()
    filters.locator("input[name='q']").fill("Savanna")
    with page.expect_navigation():
        filters.locator("[type='submit']").first.click()
    assert "q=Savanna" in page.url
    rows = page.locator("#msme-table tbody tr")
    assert rows.count() == 1 and "Savanna Crafts" in rows.first.inner_text()
