"""Search across the guidance: the index rebuilt from the files, PostgreSQL full-text search, the SQLite fallback."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.guidance import search, topics
from apps.guidance.models import GuidanceSearchDocument
from tests.guidance.topic_content import valid_topic, write_topic

pytestmark = pytest.mark.django_db

postgres = pytest.mark.postgres
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
sqlite_only = pytest.mark.skipif(connection.vendor == "postgresql", reason="the fallback runs where PostgreSQL is not")


@pytest.fixture
def index(topic_content):
    search.rebuild_search_index()
    return topic_content


def slugs(query: str, language: str = "en") -> list[str]:
    return [result.slug for result in search.search(query, language)]


# --- The index ----------------------------------------------------------------------------------


def test_the_index_holds_each_topic_in_each_written_language(index):
    rows = set(GuidanceSearchDocument.objects.values_list("slug", "language"))
    assert rows == {(slug, language) for slug in ("patents", "pct") for language in topics.LANGUAGES}
    french = GuidanceSearchDocument.objects.get(slug="patents", language="fr")
    assert french.title == "Brevets"
    assert "Les inventions nouvelles" in french.body
    assert "Search the prior art." not in french.body  # English only: found through the English row


def test_rebuilding_is_idempotent_and_follows_the_files(index):
    assert search.rebuild_search_index() is False
    ids = set(GuidanceSearchDocument.objects.values_list("pk", flat=True))
    assert search.rebuild_search_index() is False
    assert set(GuidanceSearchDocument.objects.values_list("pk", flat=True)) == ids
    write_topic(index, valid_topic(steps=["Ask about the okapi first."]))
    topics.clear_cache()
    assert search.rebuild_search_index() is True
    assert "okapi" in GuidanceSearchDocument.objects.get(slug="patents", language="en").body


def test_an_empty_index_is_built_on_the_first_search(topic_content):
    GuidanceSearchDocument.objects.all().delete()
    assert slugs("zebrafish") == ["patents"]


def test_the_index_is_rebuilt_after_migrate(topic_content):
    from django.apps import apps
    from django.core.management import call_command

    GuidanceSearchDocument.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert GuidanceSearchDocument.objects.filter(slug="patents").exists()
    assert apps.get_app_config("guidance")


def test_a_broken_topic_file_does_not_break_migrate(topic_content, caplog):
    (topic_content / "madrid.yaml").write_text("slug: madrid\n", encoding="utf-8")
    topics.clear_cache()
    search.rebuild_after_migrate(sender=None)
    assert "guidance search index not rebuilt: madrid.yaml" in caplog.text


# --- Searching (any database) -------------------------------------------------------------------


def test_a_word_finds_its_topic(index):
    assert slugs("zebrafish") == ["patents"]
    assert slugs("Zebrafish") == ["patents"]


def test_nothing_for_an_empty_query_or_punctuation(index):
    assert slugs("") == []
    assert slugs("  ?!  ") == []


def test_the_current_language_and_english_are_searched(index):
    assert slugs("nouveauté", "fr") == ["patents"]  # a French keyword
    assert slugs("zebrafish", "fr") == ["patents"]  # English only: the English row answers
    assert slugs("nouveauté", "es") == []  # French is not searched from Spanish
    [result] = search.search("nouveauté", "fr")
    assert (result.title, result.language) == ("Brevets", "fr")


def test_one_result_per_topic(index):
    results = search.search("invention", "fr")
    assert [result.slug for result in results].count("patents") == 1


def test_snippets_are_escaped_and_mark_the_words(index):
    write_topic(index, valid_topic(common_mistakes=["<b>Zebrafish</b> & friends."]))
    topics.clear_cache()
    search.rebuild_search_index()
    [result] = search.search("zebrafish", "en")
    assert "<mark>" in result.snippet
    assert "<b>" not in result.snippet  # escaped (SQLite) or dropped as markup (ts_headline)
    assert "&amp; friends" in result.snippet


# --- The SQLite fallback --------------------------------------------------------------------------


@sqlite_only
def test_every_word_must_appear(index):
    assert slugs("prior art") == ["patents"]
    assert slugs("prior okapi") == []
    assert set(slugs("application")) == {"patents", "pct"}
    assert slugs("national phase") == ["pct"]


@sqlite_only
def test_words_match_without_regard_to_case_beyond_ascii(index):
    assert slugs("NOUVEAUTÉ", "fr") == ["patents"]


@sqlite_only
def test_the_fallback_marks_the_matched_words(index):
    [result] = search.search("zebrafish", "en")
    assert "<mark>zebrafish</mark>" in result.snippet


# --- PostgreSQL full-text search --------------------------------------------------------------------


@postgres
@postgres_only
def test_words_are_stemmed_in_english(index):
    assert slugs("inventions") == ["patents"]
    assert slugs("drafting claims") == ["patents"]


@postgres
@postgres_only
def test_french_uses_the_french_configuration(index):
    assert slugs("inventives", "fr") == ["patents"]  # "inventive" in the French text


@postgres
@postgres_only
def test_arabic_uses_the_simple_configuration(index):
    assert slugs("البراءة", "ar") == ["patents"]


@postgres
@postgres_only
def test_websearch_syntax_and_odd_input_are_safe(index):
    assert slugs('"prior art" -okapi') == ["patents"]
    assert slugs("invention & | ! ( :*") == ["patents"]
    assert slugs("'; DROP TABLE guidance_guidancesearchdocument; --") == []


@postgres
@postgres_only
def test_the_title_ranks_first(index):
    assert slugs("PCT")[0] == "pct"


@postgres
@postgres_only
def test_ts_headline_marks_the_matched_words(index):
    [result] = search.search("zebrafish", "en")
    assert "<mark>zebrafish</mark>" in result.snippet


# --- The page ---------------------------------------------------------------------------------------


def test_the_search_page_lists_results_with_links_and_snippets(client, index):
    response = client.get("/guidance/search/", {"q": "zebrafish"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="result-patents"' in page
    assert 'href="/guidance/patents/"' in page
    assert "<mark>zebrafish</mark>" in page
    assert 'value="zebrafish"' in page


def test_the_search_page_without_a_query(client, index):
    page = client.get("/guidance/search/").content.decode()
    assert 'id="search-empty-query"' in page and 'id="result-' not in page


def test_the_search_page_without_results(client, index):
    response = client.get("/guidance/search/", {"q": "okapi"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="search-no-results"' in page
    assert "okapi" in page


def test_the_search_page_in_french_marks_english_results(client, index):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get("/guidance/search/", {"q": "zebrafish"}).content.decode()
    assert '<li class="mb-3 border-start border-3 ps-3 search-result" id="result-patents" lang="en">' in page


def test_a_very_long_query_is_cut_not_refused(client, index):
    response = client.get("/guidance/search/", {"q": "zebrafish " + "x" * 5000})
    assert response.status_code == 200


def test_the_search_takes_a_constant_number_of_queries(client, index):
    client.get("/guidance/search/", {"q": "invention"})
    with CaptureQueriesContext(connection) as one_word:
        client.get("/guidance/search/", {"q": "invention"})
    with CaptureQueriesContext(connection) as many_words:
        client.get("/guidance/search/", {"q": "invention application prior art months"})
    assert _data_queries(many_words) == _data_queries(one_word) <= 3


def _data_queries(captured: CaptureQueriesContext) -> int:
    # The request's transaction is a savepoint inside the test's: its SAVEPOINT and RELEASE are not the search's.
    return sum(not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) for q in captured.captured_queries)


def test_the_search_over_the_real_topics_finds_something(client):
    topics.clear_cache()
    if not topics.all_topics():
        pytest.skip("no topic files yet")
    search.rebuild_search_index()
    assert "trademarks" in slugs("trademark")
    assert "pct" in slugs("Patent Cooperation Treaty")


@sqlite_only
def test_the_fallback_ranks_title_matches_first(index):
    assert slugs("PCT")[0] == "pct"
