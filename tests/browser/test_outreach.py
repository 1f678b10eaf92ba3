"""Outreach in a browser: agency staff write a campaign, preview it with a real MSME, send it, see the counts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.outreach.models import Delivery
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, MsmeFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agency_staff_create_preview_and_send_a_campaign(page, live_server, console_log, tenant_a, settings):
    settings.OUTREACH_RATE_LIMITS = {"email": 0, "sms": 0, "whatsapp": 0}
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        MsmeFactory(name="Savanna Crafts", email="crafts@example.org", consent_outreach=True)
        MsmeFactory(name="Quiet Looms", email="looms@example.org", consent_outreach=False)

    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.get_by_role("link", name="Outreach").first.click()
    assert_styled(page)
    page.locator("#new-campaign").click()
    form = page.locator("#campaign-form")
    form.get_by_label("Name").fill("Diagnostic invitation")
    form.get_by_label("Link to").select_option("diagnostic:start")
    english = form.locator("#message-en")
    english.get_by_label("Subject").fill("{agency} invites {msme}")
    english.get_by_label("Message").fill("Dear {msme}, take the IP diagnostic: {link}")
    page.screenshot(path=str(ARTIFACTS / "test_outreach-form.png"), full_page=True)
    with page.expect_navigation():
        form.get_by_role("button", name="Save").click()
    expect(page.locator("#campaign-status")).to_have_text("Draft")

    page.locator("#preview-links").get_by_role("link", name="English").click()
    expect(page.locator("#preview-subject")).to_have_text("Agency A invites Savanna Crafts")
    expect(page.locator("#preview-body")).to_contain_text("/diagnostic/")
    page.screenshot(path=str(ARTIFACTS / "test_outreach-preview.png"), full_page=True)
    page.get_by_role("link", name="Back to the campaign").click()

    with page.expect_navigation():
        page.locator("#send-campaign").click()
    expect(page.locator("#campaign-status")).to_have_text("Sent")
    expect(page.locator('[data-count="sent"]')).to_have_text("1")
    expect(page.locator('[data-count="skipped"]')).to_have_text("1")
    expect(page.locator("#delivery-table")).to_contain_text("Savanna Crafts")
    assert_styled(page)
    page.screenshot(path=str(ARTIFACTS / "test_outreach-sent.png"), full_page=True)

    assert [m.to for m in mail.outbox] == [["crafts@example.org"]]
    with tenant_context(tenant_a), transaction.atomic():
        assert Delivery.objects.filter(status="skipped", skip_reason="no_consent").count() == 1
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())
