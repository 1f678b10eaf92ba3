"""The guidance topics in a browser: a visitor browses, searches, reads a topic in Arabic and prints it;
agency staff write their national overlay; a visitor without JavaScript picks an agency."""

from __future__ import annotations

import pytest
from django.db import transaction

from apps.core.roles import Role
from apps.guidance import search, topics
from apps.tenants.context import tenant_context
from tests.browser.helpers import assert_styled, sign_in
from tests.factories import PASSWORD, TenantFactory, TopicOverlayFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _real_topics():
    topics.clear_cache()
    if not {"trademarks", "patents"} <= set(topics.topic_slugs()):
        pytest.skip("the topic files are not written yet")
    search.rebuild_search_index(force=True)


def choose_language(page, code: str) -> None:
    page.locator("#language-select").select_option(code)
    with page.expect_navigation():
        page.locator("form:has(#language-select) [type='submit']").click()


def test_visitor_browses_searches_reads_in_arabic_and_prints(page, live_server, console_log):
    page.goto(live_server.url + "/guidance/")
    assert_styled(page)
    assert page.locator("#topics-protect .guidance-topic-card").count() >= 6
    assert page.locator("#calculators-nav").is_visible()
    page.screenshot(path=str(_artifact("guidance-index")), full_page=True)

    page.locator("#guidance-q").fill("trademark")
    with page.expect_navigation():
        page.locator("#guidance-search-form [type='submit']").click()
    assert "/guidance/search/?q=trademark" in page.url
    assert page.locator("#result-trademarks mark").count() >= 1
    page.screenshot(path=str(_artifact("guidance-search")), full_page=True)

    with page.expect_navigation():
        page.locator("#result-trademarks h2 a").click()
    assert page.url.endswith("/guidance/trademarks/")
    for section in ("what_it_protects", "is-it-for-me", "costs", "duration", "steps", "deadlines", "sources"):
        assert page.locator(f"#{section}").is_visible(), section
    assert page.locator("#sources-table tbody tr").count() >= 1
    assert page.locator("#print-button").is_visible()  # shown by the script
    page.screenshot(path=str(_artifact("guidance-topic-en")), full_page=True)

    choose_language(page, "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("body").evaluate("el => getComputedStyle(el).direction") == "rtl"
    summary = page.locator("#summary")
    assert summary.get_attribute("lang") is None  # in Arabic, not a fallback
    assert (
        page.locator("[data-fallback='summary'], [data-fallback='fits'], [data-fallback='does_not_fit']").count() == 0
    )
    fallback = page.locator(".guidance-fallback")
    if fallback.count():  # sections not translated yet say so, and are marked English
        assert fallback.first.is_visible()
        assert page.locator(".guidance-body[lang='en']").count() >= 1
    page.screenshot(path=str(_artifact("guidance-topic-ar")), full_page=True)

    page.emulate_media(media="print")
    assert not page.locator("header").is_visible()
    assert not page.locator("footer").is_visible()
    assert not page.locator("#print-button").is_visible()
    assert page.locator("#sources").is_visible()
    page.screenshot(path=str(_artifact("guidance-topic-print")), full_page=True)
    page.emulate_media(media="screen")
    assert console_log.csp_violations() == []


def test_staff_write_their_agencys_overlay(page, live_server, console_log):
    tenant = TenantFactory(slug="ke", name="Kenya IP Agency", country="KE")
    staff = user_with_role(Role.AGENCY_STAFF, tenant)
    sign_in(page, live_server.url, staff.email, PASSWORD)

    page.goto(live_server.url + "/guidance/patents/")
    assert "has not added national information" in page.locator("#national-office").inner_text()
    with page.expect_navigation():
        page.locator("#overlay-edit-link").click()
    form = page.locator("#overlay-form")
    form.locator("[name='office_name']").fill("Kenya Industrial Property Institute")
    form.locator("[name='office_url']").fill("kipi dot go dot ke")
    form.locator("[name='fees']").fill("Filing fee: KES 5,000\nSearch fee: KES 10,000")
    with page.expect_navigation():
        form.locator("[type='submit']").click()
    assert page.locator("#form-errors").is_visible()
    assert page.locator("#id_office_url.is-invalid").count() == 1

    form.locator("[name='office_url']").fill("https://www.kipi.go.ke/")
    form.locator("[name='local_tiscs']").fill("TISC at the University of Nairobi")
    with page.expect_navigation():
        form.locator("[type='submit']").click()
    assert page.url.endswith("/guidance/patents/#national-office")
    overlay = page.locator("#overlay")
    assert "Kenya Industrial Property Institute" in overlay.inner_text()
    assert "Search fee: KES 10,000" in page.locator("#overlay-fees").inner_text()
    assert "TISC at the University of Nairobi" in page.locator("#overlay-tiscs").inner_text()
    assert console_log.csp_violations() == []


def test_visitor_without_javascript_picks_an_agency(new_page, live_server):
    tenant = TenantFactory(slug="ph", name="Philippine IP Office", country="PH")
    with tenant_context(tenant), transaction.atomic():
        TopicOverlayFactory(topic="trademarks", office_name="IPOPHL Bureau of Trademarks")
    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + "/guidance/trademarks/")
    assert not page.locator("#print-button").is_visible()  # hidden without its script
    page.locator("#agency-select").select_option("ph")
    with page.expect_navigation():
        page.locator("#agency-form [type='submit']").click()
    assert "agency=ph" in page.url
    assert "IPOPHL Bureau of Trademarks" in page.locator("#overlay").inner_text()


def test_no_topic_is_wider_than_a_phone(new_page, live_server):
    """A fact's source can be a long web address (the Hague topic's): it wraps instead of widening the page."""
    page = new_page(viewport={"width": 390, "height": 800})
    wide = {}
    for slug in topics.topic_slugs():
        page.goto(f"{live_server.url}/guidance/{slug}/")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[slug] = width
    assert wide == {}


def _artifact(name: str):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
