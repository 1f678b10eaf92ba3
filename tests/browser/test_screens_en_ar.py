"""Pages seen in English and in Arabic (right to left), each saved as a screenshot to look at: a survey's answer
form at its signed link (no sign-in), the event form and an event's registrations, the comment moderation
queue of news, and the unsubscribe page of a campaign message (before and after the button).

Each test also checks what a screenshot cannot show by itself being wrong: the direction of the page, and that
nothing is wider than the window (no sideways scrolling), at a desktop and a phone width."""

from __future__ import annotations

import pytest
from django.db import transaction
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.outreach.unsubscribe import unsubscribe_url
from apps.surveys.links import answer_url
from apps.tenants.context import tenant_context
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import (
    PASSWORD,
    CampaignFactory,
    DeliveryFactory,
    EventFactory,
    MsmeFactory,
    NewsCommentFactory,
    NewsPostFactory,
    RegistrationFactory,
    user_with_role,
)
from tests.surveys.helpers import make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"en": "ltr", "ar": "rtl"}
PHONE = {"width": 390, "height": 844}


def _page(new_page, language: str, **options):
    return new_page(locale=language, extra_http_headers={"Accept-Language": language}, **options)


def _check_and_shoot(page, name: str, language: str) -> None:
    """The page's direction is the language's, it overflows no edge, and it is saved as <name>-<language>.png."""
    assert_styled(page)
    expect(page.locator("html")).to_have_attribute("dir", LANGUAGES[language])
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} ({language}) is {overflow}px wider than the window"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    suffix = "-phone" if width < 500 else ""
    page.screenshot(path=str(ARTIFACTS / f"screens-{name}-{language}{suffix}.png"), full_page=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_survey_answer_form_at_its_signed_link(new_page, live_server, tenant_a, settings, language):
    settings.PORTAL_URL = live_server.url
    with tenant_context(tenant_a), transaction.atomic():
        survey = make_survey()
        link = answer_url(survey, MsmeFactory(name="Duka la Kanga", preferred_language=language))
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        page = _page(new_page, language, viewport=viewport)
        page.goto(link)
        expect(page.locator("h1")).to_have_text("Needs 2027")
        expect(page.locator("#send-answers")).to_be_visible()
        _check_and_shoot(page, "survey-answer", language)
    # Sent without the required answers: the errors show beside the questions, in the page's language.
    with page.expect_navigation():
        page.locator("#send-answers").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    _check_and_shoot(page, "survey-answer-errors", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_event_form_and_its_registrations(new_page, live_server, tenant_a, language):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        event = EventFactory(title="Protecting your designs: a workshop", capacity=2)
        for name in ("Amina Odhiambo", "Juma Mwangi", "Fatma Al-Sayed"):
            RegistrationFactory(event=event, name=name, msme=MsmeFactory(name=f"{name} Ltd"))
    page = _page(new_page, language)
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.goto(f"{live_server.url}/events/new/")
    expect(page.locator("#event-form")).to_be_visible()
    _check_and_shoot(page, "event-form", language)
    page.goto(f"{live_server.url}/events/{event.pk}/registrations/")
    expect(page.locator("main")).to_contain_text("Juma Mwangi")
    _check_and_shoot(page, "event-registrations", language)
    page.set_viewport_size(PHONE)
    # On a phone the whole row fits, the cancel buttons too (an e-mail address breaks rather than push them out).
    for box in page.locator("#confirmed-table button").evaluate_all(
        "buttons => buttons.map(b => b.getBoundingClientRect()).map(r => [r.left, r.right])"
    ):
        assert box[0] >= 0 and box[1] <= PHONE["width"], box
    _check_and_shoot(page, "event-registrations", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_comment_moderation_queue(new_page, live_server, tenant_a, language):
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    with tenant_context(tenant_a), transaction.atomic():
        post = NewsPostFactory(kind="consultation")
        NewsCommentFactory(post=post, author_name="Amina", body="We need advice sessions in our county, please.")
        NewsCommentFactory(
            post=post,
            author_name="فاطمة",
            body="نحتاج إلى جلسات مشورة في محافظتنا، وخاصة حول تسجيل العلامات التجارية " * 3,
        )
    page = _page(new_page, language)
    sign_in(page, live_server.url, staff.email, PASSWORD)
    page.goto(f"{live_server.url}/news/moderation/")
    expect(page.locator("main")).to_contain_text("We need advice sessions")
    # Each comment reads in its own direction, whatever the page's.
    directions = page.locator("#moderation-list label").evaluate_all(
        "labels => labels.map(l => [l.textContent.trim().slice(0, 7), getComputedStyle(l).direction])"
    )
    assert sorted(directions) == [["We need", "ltr"], ["نحتاج إ", "rtl"]], directions
    _check_and_shoot(page, "news-moderation", language)
    page.set_viewport_size(PHONE)
    _check_and_shoot(page, "news-moderation", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_unsubscribe_page_before_and_after(new_page, live_server, tenant_a, settings, language):
    settings.PORTAL_URL = live_server.url
    tenant_a.name = "Kenya IP Institute (KIPI)"  # a name that ends in a bracket: it keeps its order in Arabic
    tenant_a.save()
    with tenant_context(tenant_a), transaction.atomic():
        delivery = DeliveryFactory(campaign=CampaignFactory(), msme=MsmeFactory(consent_outreach=True))
    url = unsubscribe_url(tenant_id=tenant_a.pk, delivery_id=str(delivery.pk))
    page = _page(new_page, language, viewport=PHONE)
    page.goto(url)
    expect(page.locator("main bdi")).to_have_text("Kenya IP Institute (KIPI)")
    _check_and_shoot(page, "unsubscribe", language)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    _check_and_shoot(page, "unsubscribe-done", language)
    with tenant_context(tenant_a), transaction.atomic():
        delivery.msme.refresh_from_db()
        assert delivery.msme.consent_outreach is False
