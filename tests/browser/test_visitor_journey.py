"""The issue's main path, end to end in a real browser: a visitor takes the diagnostic, signs up, signs in,
registers their business, and finds their result and their action plan on the business's page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import transaction
from playwright.sync_api import expect

from apps.diagnostics.models import Assessment, VisitorAssessment
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.browser.test_diagnostics import STEPS, answer_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "amina@savanna.example"
PASSWORD = "a-long-signup-passphrase-2026"


def test_a_visitor_takes_the_diagnostic_signs_up_and_finds_the_result_and_plan(
    page, live_server, console_log, tenant_a, tenant_b
):
    # 1. The diagnostic, as a visitor: the result is kept in this browser's session.
    page.goto(live_server.url + "/diagnostic/")
    with page.expect_navigation():
        page.locator("#diagnostic-start").click()
    for answers in STEPS:
        answer_step(page, answers)
    assert page.locator("#result-level").inner_text() == "Level 3 of 5: Protecting"
    assert page.locator("#keep-result").is_visible()

    # 2. Sign up from the result page, and confirm the e-mail address in the same browser.
    with page.expect_navigation():
        page.locator("#keep-result").get_by_role("link", name="Sign up").click()
    form = page.locator("main form:has(input[name='password1'])")
    form.locator("input[name='email']").fill(EMAIL)
    form.locator("input[name='password1']").fill(PASSWORD)
    form.locator("input[name='password2']").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("[type='submit']").first.click()
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    with page.expect_navigation():
        page.locator("main form [type='submit']").first.click()

    # The address is confirmed; the new account signs in (the session, and the result in it, carry over).
    sign_in(page, live_server.url, EMAIL, PASSWORD)
    # 3. Register the business with the country's agency.
    page.goto(live_server.url + "/registry/register/")
    page.get_by_label("Your country's agency").select_option(label=tenant_a.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    form = page.locator("main form[method='post']")
    form.get_by_role("textbox", name="Name", exact=True).fill("Savanna Crafts")
    form.get_by_label("Registration number").fill("KE-JOURNEY-1")
    form.get_by_label("ISIC Rev.4 sector").select_option("1079")
    form.get_by_label("Employees").fill("4")
    with page.expect_navigation():
        form.get_by_role("button", name="Register").click()

    # 4. The business's page: the diagnostic taken before signing up, its level, and the plan.
    assert page.locator("h1").inner_text() == "Savanna Crafts"
    expect(page.locator("#latest-assessment")).to_contain_text("level 3, Protecting")
    assert "Taken before signing up" in page.locator("#assessment-trend tbody tr").first.inner_text()
    assert page.locator("#maturity-level").inner_text().startswith("3 Protecting")
    plan = page.locator("#plan-summary")
    expect(plan).to_be_visible()
    # The answers said the business plans to export: the plan's first steps include Madrid.
    with page.expect_navigation():
        plan.get_by_role("link", name=re.compile("full plan", re.IGNORECASE)).click()
    expect(page.locator("main")).to_contain_text("compare national filings with Madrid")
    # The answers said the trademark is registered: the plan asks to record it, not to register it.
    expect(page.locator("main")).not_to_contain_text("Register your trademark")
    expect(page.locator("main")).to_contain_text("none is recorded in its IP asset register")
    assert_styled(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "journey-plan.png"), full_page=True)

    with tenant_context(tenant_a), transaction.atomic():
        msme = Msme.objects.get()
        assessment = Assessment.objects.get()
        assert assessment.msme == msme and assessment.level == 3
        assert msme.maturity_level == 3
    with tenant_context(tenant_b), transaction.atomic():
        assert not Assessment.objects.exists()
    assert VisitorAssessment.objects.get().claimed_at is not None
    assert console_log.csp_violations() == []
