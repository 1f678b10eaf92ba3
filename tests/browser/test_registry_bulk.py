"""The registry list in a browser: agency staff verify several pending MSMEs at once ("select all on this
page", with JavaScript; box by box, without), and save the list's filters to open them again."""

from __future__ import annotations

import pytest
from django.db import transaction
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, MsmeFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _registry(tenant):
    with tenant_context(tenant), transaction.atomic():
        for name in ("Bulk Alpha", "Bulk Beta", "Bulk Gamma"):
            MsmeFactory(name=name, verification="pending")
        MsmeFactory(name="Bulk Done", verification="verified")
        MsmeFactory(name="Other Pending", verification="pending")


def _verification(tenant) -> dict[str, str]:
    with tenant_context(tenant), transaction.atomic():
        return dict(Msme.objects.values_list("name", "verification"))


def test_agency_staff_verify_the_checked_msmes_of_a_filtered_page(new_page, live_server, console_log, tenant_a):
    _registry(tenant_a)
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    page = new_page()
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.goto(live_server.url + "/registry/?q=Bulk")
    assert_styled(page)

    boxes = page.locator("#msme-table tbody input[name='msme']")
    expect(boxes).to_have_count(3)  # the verified MSME has no box
    select_all = page.locator("#msme-select-all")
    expect(select_all).to_be_visible()
    select_all.check()
    for box in boxes.all():
        expect(box).to_be_checked()
    page.get_by_role("checkbox", name="Select Bulk Gamma").uncheck()
    assert select_all.evaluate("el => el.indeterminate") is True
    with page.expect_navigation():
        page.locator("#msme-verify-selected").click()

    assert page.url == live_server.url + "/registry/?q=Bulk"
    expect(page.locator(".alert-success, [role='alert']").first).to_contain_text("2 MSMEs were verified.")
    expect(page.locator("#msme-table tbody input[name='msme']")).to_have_count(1)
    states = _verification(tenant_a)
    assert (states["Bulk Alpha"], states["Bulk Beta"], states["Bulk Gamma"]) == ("verified", "verified", "pending")
    assert states["Other Pending"] == "pending"  # not on the filtered page
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())


def test_without_javascript_boxes_are_checked_one_by_one(new_page, live_server, tenant_a):
    _registry(tenant_a)
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    page = new_page(java_script_enabled=False)
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.goto(live_server.url + "/registry/?q=Bulk")
    expect(page.locator("#msme-select-all")).to_be_hidden()
    page.get_by_role("checkbox", name="Select Bulk Beta").check()
    with page.expect_navigation():
        page.locator("#msme-verify-selected").click()
    assert page.url == live_server.url + "/registry/?q=Bulk"
    expect(page.locator("main")).to_contain_text("1 MSME was verified.")
    assert _verification(tenant_a)["Bulk Beta"] == "verified"


def test_agency_staff_save_the_lists_filters_and_open_them_again(new_page, live_server, console_log, tenant_a):
    _registry(tenant_a)
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    page = new_page()
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.goto(live_server.url + "/registry/?q=Bulk&page=1")
    page.locator("#saved-filter-name").fill("Bulk firms")
    with page.expect_navigation():
        page.get_by_role("button", name="Save these filters").click()
    expect(page.locator("main")).to_contain_text("These filters were saved as “Bulk firms”.")

    page.goto(live_server.url + "/registry/")
    link = page.locator("#saved-filters").get_by_role("link", name="Bulk firms")
    with page.expect_navigation():
        link.click()
    assert page.url == live_server.url + "/registry/?q=Bulk"
    expect(page.locator("#msme-table tbody tr")).to_have_count(4)
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())
