"""Needs surveys in a browser: agency staff build a survey and open it, an MSME answers at its signed link
without signing in (in its own language), and staff see the answer counted."""

from __future__ import annotations

import pytest
from django.db import transaction
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.surveys.links import answer_url
from apps.surveys.models import Response, Survey
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, MsmeFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_build_a_survey_an_msme_answers_and_staff_see_it_counted(
    page, new_page, live_server, console_log, tenant_a, settings
):
    settings.PORTAL_URL = live_server.url
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        msme = MsmeFactory(name="Atelier Kanga", preferred_language="en")
        arabic = MsmeFactory(name="Arabic Crafts", preferred_language="ar")

    # Staff build the survey.
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.locator("#main-nav [data-nav='surveys:index']").click()
    assert_styled(page)
    page.locator("#new-survey").click()
    form = page.locator("#survey-form")
    form.get_by_label("Title").fill("What do you need in 2027?")
    form.get_by_label("Introduction").fill("Two questions, one minute.")
    first = page.locator("#question-1")
    first.locator("#id_questions-0-text").fill("What would help you most?")
    first.get_by_label("Kind").select_option("single")
    first.get_by_label("Choices, one per line").fill("Trademark advice\nPatent search\nLicensing")
    second = page.locator("#question-2")
    second.locator("#id_questions-1-text").fill("How well do you know IP?")
    second.get_by_label("Kind").select_option("scale")
    second.get_by_label("Label of the lowest").fill("Not at all")
    second.get_by_label("Label of the highest").fill("Very well")
    page.screenshot(path=str(ARTIFACTS / "test_surveys-build.png"), full_page=True)
    with page.expect_navigation():
        page.locator("#save-survey").click()
    expect(page.locator("#question-list > li")).to_have_count(2)
    with page.expect_navigation():
        page.locator("#open-survey").click()
    expect(page.locator("#survey-status")).to_have_text("Open")
    page.screenshot(path=str(ARTIFACTS / "test_surveys-detail.png"), full_page=True)

    with tenant_context(tenant_a), transaction.atomic():
        survey = Survey.objects.get()
        link = answer_url(survey, msme)
        arabic_link = answer_url(survey, arabic)

    # The MSME answers at its link, with no sign-in.
    visitor = new_page()
    visitor.goto(link)
    assert_styled(visitor)
    expect(visitor.locator("h1")).to_have_text("What do you need in 2027?")
    visitor.get_by_label("Patent search").check()
    visitor.locator("#q-2 label", has_text="4").click()
    visitor.screenshot(path=str(ARTIFACTS / "test_surveys-answer.png"), full_page=True)
    with visitor.expect_navigation():
        visitor.locator("#send-answers").click()
    expect(visitor.locator("#answer-done")).to_be_visible()
    visitor.screenshot(path=str(ARTIFACTS / "test_surveys-answered.png"), full_page=True)
    # The same link again: answered already.
    visitor.goto(link)
    expect(visitor.locator("#answer-done")).to_contain_text("already answered")

    # An MSME that reads Arabic gets the page around the questions in Arabic, right to left.
    arabic_page = new_page()
    arabic_page.goto(arabic_link)
    expect(arabic_page.locator("html")).to_have_attribute("dir", "rtl")
    arabic_page.screenshot(path=str(ARTIFACTS / "test_surveys-answer-ar.png"), full_page=True)

    # Staff see the answer counted.
    page.locator("#see-results").click()
    expect(page.locator("#response-count")).to_contain_text("1 response to version 1")
    first_result = page.locator("#result-1")
    expect(first_result.locator("tr", has_text="Patent search")).to_contain_text("100%")
    expect(page.locator("#result-2 tr", has_text="4")).to_contain_text("1")
    page.screenshot(path=str(ARTIFACTS / "test_surveys-results.png"), full_page=True)

    with tenant_context(tenant_a), transaction.atomic():
        response = Response.objects.get()
        assert response.msme_id == msme.pk
        assert {a.scale_value for a in response.answers.all()} == {None, 4}
        assert [a.choice.label for a in response.answers.select_related("choice") if a.choice_id] == ["Patent search"]
    assert console_log.csp_violations() == [], "\n".join(console_log.csp_violations())
