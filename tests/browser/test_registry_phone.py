"""An agency clerk works the registry on a phone (390 px) and a laptop (1366 px): every column that matters
in sight, the list as cards on the phone with the filters folded, the asset buttons on screen."""

from __future__ import annotations

import pytest
from django.db import transaction

from apps.core.roles import Role
from apps.tenants.context import tenant_context
from tests.browser.helpers import sign_in
from tests.factories import PASSWORD, TenantFactory, user_with_role
from tests.registry.factories import IpAssetFactory, MsmeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _clerk_with_msmes():
    tenant = TenantFactory(slug="ke", name="Kenya Agency", country="KE")
    clerk = user_with_role(Role.AGENCY_STAFF, tenant, email="clerk@example.org")
    with transaction.atomic(), tenant_context(tenant):
        msmes = [MsmeFactory(region="KE-30") for _ in range(6)]
        for kind in ("trademark", "industrial_design"):
            IpAssetFactory(msme=msmes[0], asset_type=kind)
    return clerk, msmes


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _within(locator, width: int) -> None:
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_registry_on_a_phone(new_page, live_server, console_log, language):
    clerk, msmes = _clerk_with_msmes()
    page = new_page(
        locale=language, viewport={"width": 390, "height": 844}, extra_http_headers={"Accept-Language": language}
    )
    sign_in(page, live_server.url, clerk.email, PASSWORD)
    page.goto(live_server.url + "/registry/")

    _fits(page, 390)
    assert not page.locator("#msme-filters").is_visible()  # folded: the results come first
    first_row = page.locator("#msme-table tbody tr").first
    assert first_row.locator(".badge").is_visible()  # the status, in sight without scrolling sideways
    _within(first_row.locator(".badge"), 390)
    page.locator(".portal-filters-toggle").click()
    page.locator("#msme-filters").wait_for(state="visible")

    page.goto(live_server.url + f"/registry/{msmes[0].pk}/")
    _fits(page, 390)
    for button in page.locator("#asset-table .portal-card-actions a").all():
        _within(button, 390)
    assert console_log.csp_violations() == []


def test_the_registry_on_a_laptop_shows_every_column(new_page, live_server, console_log):
    clerk, _msmes = _clerk_with_msmes()
    page = new_page(viewport={"width": 1366, "height": 768})
    sign_in(page, live_server.url, clerk.email, PASSWORD)
    page.goto(live_server.url + "/registry/")

    _fits(page, 1366)
    assert page.locator("#msme-filters").is_visible()
    status = page.locator("#msme-table thead th").last
    box = status.bounding_box()
    assert box["x"] + box["width"] <= 1366
    assert console_log.csp_violations() == []
