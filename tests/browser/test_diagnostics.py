"""A visitor takes the IP diagnostic and sees the result, in a real browser (with and without JavaScript, in Arabic)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from apps.core.roles import Role
from apps.diagnostics.models import VisitorAssessment
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, AssessmentFactory, MsmeFactory, MsmeMemberFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One answer per question id, step by step (the ids do not change with the language).
STEPS = [
    {"ip_matters": "matters", "ip_kinds": "yes", "ip_learning": "trained"},
    {
        "assets_held": ["brand", "know_how"],
        "has_inventions": "no",
        "creative_sector": "no",
        "inventory": "main",
        "creations_owner": "assume",
        "prior_search": "online",
    },
    {"trademark": "registered", "secrets": "ndas"},
    {"register": "memory", "strategy": "informal", "contracts": ["ndas"], "responsible": "owner"},
    {"licensing": "considered", "finance": "no", "valuation": "rough"},
    {"exports": "planning", "international_systems": "heard", "protected_abroad": "not_yet"},
    {"monitoring": "chance", "infringement_response": "nothing", "dispute": "no"},
]


def answer_step(page, answers):
    for question, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            page.locator(f"#q-{question}-{one}").check()
    with page.expect_navigation():
        page.locator("#diagnostic-next").click()


def test_visitor_takes_the_diagnostic_and_sees_the_result(page, live_server, console_log):
    page.goto(live_server.url + "/diagnostic/")
    assert_styled(page)
    with page.expect_navigation():
        page.locator("#diagnostic-start").click()
    assert "Step 1 of 7" in page.locator("#diagnostic-progress").inner_text()

    for number, answers in enumerate(STEPS, start=1):
        assert page.url.endswith(f"/diagnostic/step/{number}/")
        if number == 2:
            # "None of these" and the other ticks exclude each other.
            page.locator("#q-assets_held-designs").check()
            page.locator("#q-assets_held-none").check()
            assert not page.locator("#q-assets_held-designs").is_checked()
        if number == 6:
            # The script shows "protected abroad?" only to a business that sells abroad or plans to.
            protected = page.locator("#q-protected_abroad")
            assert protected.is_hidden()
            page.locator("#q-exports-no").check()
            assert protected.is_hidden()
            page.locator("#q-exports-planning").check()
            assert protected.is_visible()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "diagnostic-step.png"), full_page=True)
        answer_step(page, answers)

    assert page.url.endswith("/diagnostic/result/")
    assert page.locator("#result-level").inner_text() == "Level 3 of 5: Protecting"
    table = page.locator("#area-scores")
    assert table.locator("tbody tr").count() == 7
    assert table.locator("tr[data-area='protection'] td").first.inner_text() == "83"  # registered 3 + agreements 2 of 6
    assert "Your overall score is" in page.locator("#result-reasons").inner_text()
    assert page.locator("#keep-result").get_by_role("link", name="Sign up").is_visible()
    assert VisitorAssessment.objects.get().level == 3
    assert console_log.csp_violations() == []


def test_visitor_without_javascript_in_arabic_goes_back_and_finishes(new_page, live_server, console_log):
    page = new_page(locale="ar", java_script_enabled=False)
    page.goto(live_server.url + "/diagnostic/step/1/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_styled(page)
    # Next with nothing ticked: the step comes back with the questions named.
    with page.expect_navigation():
        page.locator("#diagnostic-next").click()
    assert page.locator("#form-errors").is_visible()
    answer_step(page, STEPS[0])
    # Back keeps the answers.
    with page.expect_navigation():
        page.locator("#diagnostic-back").click()
    assert page.url.endswith("/diagnostic/step/1/")
    assert page.locator("#q-ip_kinds-yes").is_checked()
    answer_step(page, STEPS[0])
    for number, answers in enumerate(STEPS[1:], start=2):
        if number == 6:
            # Without the script the conditional question is there, with a note.
            assert page.locator("#q-protected_abroad").is_visible()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "diagnostic-step-ar-nojs.png"), full_page=True)
        answer_step(page, answers)
    assert page.url.endswith("/diagnostic/result/")
    assert page.locator("#result-level").is_visible()
    assert page.locator("#area-scores tbody tr").count() == 7
    assert console_log.csp_violations() == []


def test_a_visitor_signs_in_as_a_member_and_sees_the_trend_on_their_page(page, live_server, tenant_a):
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        msme = MsmeFactory(name="Savanna Crafts")
        MsmeMemberFactory(msme=msme, user=member)
        for days, level in ((400, 1), (200, 2)):
            AssessmentFactory(msme=msme, level=level, created_at=timezone.now() - timedelta(days=days))
    # As a visitor first: the diagnostic is kept in the session...
    page.goto(live_server.url + "/diagnostic/step/1/")
    for answers in STEPS:
        answer_step(page, answers)
    assert page.url.endswith("/diagnostic/result/")
    # ... and signing in attaches it to the member's business.
    sign_in(page, live_server.url, member.email, PASSWORD)
    page.goto(live_server.url + f"/registry/{msme.pk}/")
    assert "level 3, Protecting" in page.locator("#latest-assessment").inner_text()
    rows = page.locator("#assessment-trend tbody tr")
    assert rows.count() == 3
    assert "Taken before signing up" in rows.first.inner_text()
    assert page.locator("#maturity-level").inner_text().startswith("3 Protecting")
    assert_styled(page)
