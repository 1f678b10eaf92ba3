"""The guidance pages: /guidance/, /guidance/<slug>/ in four languages, and the topics API."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from apps.guidance import topics
from apps.guidance.calculators import fees
from apps.tenants.context import tenant_context
from tests.factories import TenantFactory, TopicOverlayFactory
from tests.guidance.topic_content import valid_topic, write_topic

pytestmark = pytest.mark.django_db


def get(client, url: str, language: str = "en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url)


def section_html(page: str, section_id: str) -> str:
    match = re.search(rf'<(section|div) [^>]*id="{section_id}"[^>]*>.*?</\1>', page, re.S)
    assert match, f"no #{section_id}"
    return match.group(0)


# --- Every real topic, in every language ---------------------------------------------------------


def available_slugs() -> list[str]:
    return [path.stem for path in sorted(topics.DEFAULT_CONTENT_DIR.glob("*.yaml"))]


@pytest.mark.parametrize("language", topics.LANGUAGES)
def test_every_topic_page_renders_in_every_language(client, language):
    slugs = available_slugs()
    if not slugs:
        pytest.skip("no topic files yet")
    for slug in slugs:
        response = get(client, f"/guidance/{slug}/", language)
        assert response.status_code == 200, slug
        page = response.content.decode()
        assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}"' in page
        # The summary and "is it for me" are never a fallback.
        # Every section is written in every language: no "Shown in English" badge anywhere.
        assert "data-fallback=" not in page, (slug, re.findall(r'data-fallback="([^"]+)"', page))
        for section in ("what_it_protects", "is-it-for-me", "costs", "duration", "steps", "deadlines"):
            assert f'id="{section}"' in page, (slug, section)
        assert 'id="common_mistakes"' in page and 'id="who-helps"' in page and 'id="sources"' in page


def test_the_index_lists_every_topic_with_a_file(client):
    page = get(client, "/guidance/").content.decode()
    for slug in available_slugs():
        assert f'href="/guidance/{slug}/"' in page


def test_the_arabic_page_is_right_to_left(client, topic_content):
    page = get(client, "/guidance/patents/", "ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    assert "bootstrap.rtl.min.css" in page
    assert "تحمي البراءة الاختراع" in page


# --- The page, on test content -------------------------------------------------------------------


def test_the_index_groups_topics_and_links_search_and_calculators(client, topic_content):
    response = get(client, "/guidance/")
    assert response.status_code == 200
    page = response.content.decode()
    protect = section_html(page, "topics-protect")
    international = section_html(page, "topics-international")
    assert "/guidance/patents/" in protect and "/guidance/pct/" not in protect
    assert "/guidance/pct/" in international
    assert "A patent protects an invention" in protect
    assert 'action="/guidance/search/"' in page
    assert 'href="/guidance/calculators/pct-fees/"' in page


def test_the_index_in_french_shows_french_titles_and_summaries(client, topic_content):
    page = get(client, "/guidance/", "fr").content.decode()
    assert "Brevets" in page
    assert "Un brevet protège une invention" in page


def test_an_unknown_topic_is_404(client, topic_content):
    assert get(client, "/guidance/nonsense/").status_code == 404
    # A slug of DESIGN.md without a file yet is a 404 too, not a 500.
    assert get(client, "/guidance/madrid/").status_code == 404


def test_the_topic_page_has_every_section_in_order(client, topic_content):
    response = get(client, "/guidance/patents/")
    assert response.status_code == 200
    page = response.content.decode()
    ids = [
        "summary",
        "what_it_protects",
        "is-it-for-me",
        "costs",
        "duration",
        "steps",
        "deadlines",
        "common_mistakes",
        "who-helps",
        "related",
        "sources",
    ]
    positions = [page.index(f'id="{section}"') for section in ids]
    assert positions == sorted(positions)
    assert "<ol" in section_html(page, "steps")
    assert "Draft the claims." in section_html(page, "steps")
    fits = section_html(page, "fits")
    assert "You made a new machine or process." in fits
    assert "You only have a brand name." in section_html(page, "does_not_fit")
    assert 'href="/guidance/calculators/pct-fees/"' in section_html(page, "costs")
    who = section_html(page, "who-helps")
    assert 'href="https://www.wipo.int/pct/en/"' in who and 'href="/guidance/pct/"' in who
    assert 'href="/guidance/pct/"' in section_html(page, "related")
    assert "/guidance/utility-models/" not in section_html(page, "related")  # no file: not linked


def test_facts_are_in_their_section_and_in_the_sources_table(client, topic_content):
    page = get(client, "/guidance/patents/").content.decode()
    duration = section_html(page, "duration")
    assert 'id="fact-term"' in duration and "20 years from the filing date" in duration
    assert "TRIPS Agreement, Art. 33" in duration
    sources = section_html(page, "sources")
    for fact_id in ("term", "priority", "pct_filing_fee"):
        assert f'id="source-{fact_id}"' in sources
    term_row = re.search(r'<tr id="source-term".*?</tr>', sources, re.S).group(0)
    assert 'href="https://www.wto.org/english/docs_e/legal_e/27-trips_04c_e.htm"' in term_row
    assert "1 Jan 1995" in term_row  # the language's date format (portal/formats)
    fee_row = re.search(r'<tr id="source-pct_filing_fee".*?</tr>', sources, re.S).group(0)
    entry = fees.fee_data()["pct"]["international_filing_fee"]
    assert f"CHF {entry['amount']}" in fee_row
    assert html.escape(entry["source"]) in fee_row
    applies_from = entry["applies_from"]
    assert (date_format(date.fromisoformat(applies_from), "DATE_FORMAT") if applies_from else "not known") in fee_row


def test_a_section_missing_in_the_language_is_shown_in_english_visibly(client, topic_content):
    page = get(client, "/guidance/patents/", "fr").content.decode()
    steps = section_html(page, "steps")
    assert 'data-fallback="steps"' in steps
    assert "Affiché en anglais" in steps or "Shown in English" in steps
    assert re.search(r'<ol class="[^"]*guidance-steps"[^>]* lang="en"', steps)
    protects = section_html(page, "what_it_protects")
    assert "data-fallback" not in protects
    assert "Les inventions nouvelles" in protects
    assert "Un brevet protège" in page
    for section in ("summary", "fits", "does_not_fit"):
        assert f'data-fallback="{section}"' not in page


def test_the_english_page_has_no_fallback_badges(client, topic_content):
    page = get(client, "/guidance/patents/").content.decode()
    assert "data-fallback" not in page


def test_the_page_is_print_friendly(client, topic_content):
    page = get(client, "/guidance/patents/").content.decode()
    assert 'href="/static/css/print.css" media="print"' in page
    assert 'id="print-button" data-print hidden' in page
    assert "<noscript>" in page
    assert '<script src="/static/js/guidance-print.js" defer></script>' in page
    assert "<style" not in page and "onclick" not in page


def test_the_print_stylesheet_hides_the_chrome_and_shows_link_addresses():
    css = (settings.BASE_DIR / "static" / "css" / "print.css").read_text()
    assert "footer" in css and "nav" in css and ".btn" in css
    assert 'content: " (" attr(href) ")"' in css
    assert "break-inside: avoid" in css and "break-after: avoid" in css


def test_the_page_escapes_content(client, topic_content):
    write_topic(topic_content, valid_topic(common_mistakes=["<script>alert(1)</script> & more"]))
    topics.clear_cache()
    page = get(client, "/guidance/patents/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert html.escape("<script>alert(1)</script>") in page


def test_the_topic_page_takes_a_constant_number_of_queries(client, topic_content, django_assert_max_num_queries):
    def tenant_with_overlay(slug: str) -> None:
        with tenant_context(TenantFactory(slug=slug, name=f"Agency {slug}")):
            TopicOverlayFactory()

    tenant_with_overlay("q0")
    get(client, "/guidance/patents/")  # warm the caches
    with CaptureQueriesContext(connection) as few:
        assert "National Office" in get(client, "/guidance/patents/?agency=q0").content.decode()
    for index in range(1, 6):
        tenant_with_overlay(f"q{index}")
    with django_assert_max_num_queries(len(few)):
        response = get(client, "/guidance/patents/?agency=q3")
    assert response.status_code == 200
    with django_assert_max_num_queries(2):
        get(client, "/guidance/")


# --- The API -------------------------------------------------------------------------------------


def test_the_api_lists_the_topics(client, topic_content):
    response = client.get("/api/v1/guidance/topics/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    first = data["results"][0]
    assert first == {
        "slug": "patents",
        "group": "protect",
        "title": "Brevets",
        "summary": "Un brevet protège une invention : une solution technique nouvelle.",
        "language": "fr",
        "url": "/guidance/patents/",
        "api_url": "/api/v1/guidance/topics/patents/",
    }


def test_the_api_gives_a_topics_structured_content_and_sources(client, topic_content):
    response = client.get("/api/v1/guidance/topics/patents/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Brevets"
    assert data["summary"]["language"] == "fr" and not data["summary"]["fallback"]
    assert data["is_it_for_me"]["fits"]["items"] == ["Vous avez créé une machine ou un procédé nouveau."]
    sections = {section["key"]: section for section in data["sections"]}
    assert list(sections) == list(topics.SECTION_KEYS)
    assert sections["steps"]["fallback"] is True and sections["steps"]["language"] == "en"
    assert sections["costs"]["calculator_url"] == "/guidance/calculators/pct-fees/"
    assert sections["duration"]["facts"] == ["term"]
    facts = {fact["id"]: fact for fact in data["facts"]}
    assert facts["term"]["source"] == "TRIPS Agreement, Art. 33"
    assert facts["term"]["applies_from"] == "1995-01-01"
    assert facts["pct_filing_fee"]["is_fee"] is True
    assert data["related"] == [{"slug": "pct", "title": "PCT"}]


def test_the_api_answers_404_for_an_unknown_topic(client, topic_content):
    assert client.get("/api/v1/guidance/topics/nonsense/").status_code == 404
    assert client.get("/api/v1/guidance/topics/madrid/").status_code == 404


def test_an_arabic_line_joins_a_source_and_its_date_with_the_arabic_comma(client):
    page = get(client, "/guidance/pct/", "ar").content.decode()
    fact = section_html(page, "costs")
    assert re.search(r"</bdi>، ", fact)
    assert "</bdi>, " not in fact
    english = section_html(get(client, "/guidance/pct/", "en").content.decode(), "costs")
    assert re.search(r"</bdi>, applies from", english)
