"""Search across the guidance: the index rebuilt from the files, PostgreSQL full-text search, the SQLite fallback;
how a query is read (stop words, synonyms, any word) and ranked (title, summary, keywords, body)."""

from __future__ import annotations

import copy
import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.guidance import search, topics
from apps.guidance.models import GuidanceSearchDocument
from tests.guidance.topic_content import PCT, four, valid_topic, write_topic

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


def test_any_of_the_words_matches(index):
    assert slugs("zebrafish okapi") == ["patents"]  # "okapi" is nowhere: the other word still finds
    assert slugs("prior art")[0] == "patents"
    assert set(slugs("application")) == {"patents", "pct"}
    assert slugs("national phase")[0] == "pct"  # both words; "national" alone is in the patents topic too


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
    assert slugs("drafted") == ["patents"]  # "Draft the claims."
    assert slugs("drafting claims")[0] == "patents"
    assert slugs("inventions")[0] == "patents"


@postgres
@postgres_only
def test_french_uses_the_french_configuration(index):
    assert slugs("inventives", "fr") == ["patents"]  # "inventive" in the French text


@postgres
@postgres_only
def test_arabic_uses_the_simple_configuration(index):
    assert slugs("البراءة", "ar") == ["patents"]


@pytest.mark.parametrize(
    "query",
    [
        '"prior art" -okapi',
        "invention & | ! ( :*",
        "invention <-> <2> 'x' \\ :A",
        "invention_zebrafish",
        "!!!invention)))",
    ],
)
def test_query_syntax_is_read_as_plain_words(index, query):
    assert slugs(query)[0] == "patents"


def test_sql_in_the_query_is_plain_words(index):
    assert slugs("'; DROP TABLE guidance_guidancesearchdocument; --") == []
    assert GuidanceSearchDocument.objects.exists()


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
    assert 'id="result-patents"' in response.content.decode()  # the first MAX_QUERY_LENGTH characters are searched
    many_words = " ".join(f"brand{number} logo invention abroad" for number in range(1000))
    response = client.get("/guidance/search/", {"q": many_words})
    assert response.status_code == 200
    assert 'id="result-patents"' in response.content.decode()
    assert search.search("zebrafish " + "x" * 5000, "en")[0].slug == "patents"


def test_the_search_takes_a_constant_number_of_queries(client, index):
    client.get("/guidance/search/", {"q": "invention"})
    with CaptureQueriesContext(connection) as one_word:
        client.get("/guidance/search/", {"q": "invention"})
    with CaptureQueriesContext(connection) as many_words:
        client.get("/guidance/search/", {"q": "how do I protect my invention abroad, my brand and my logo"})
    assert _data_queries(many_words) == _data_queries(one_word) <= 3


def _data_queries(captured: CaptureQueriesContext) -> int:
    # The request's transaction is a savepoint inside the test's: its SAVEPOINT and RELEASE are not the search's.
    return sum(not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) for q in captured.captured_queries)


# --- Reading a query: stop words, synonyms -----------------------------------------------------------


def test_stop_words_are_dropped(index):
    assert search.query_terms("how much does a trademark cost", "en") == (("trademark",), ("cost",))
    assert search.query_terms("Combien COÛTE une marque ?", "fr")[:2] == (("coûte",), ("marque",))
    assert search.query_terms("¿Cuánto cuesta una patente?", "es")[:2] == (("cuesta",), ("patente",))
    assert slugs("what is a zebrafish") == ["patents"]
    assert slugs("how much does it cost") == []  # "cost" is nowhere in the test topics
    assert slugs("how do I") == []  # nothing meaningful left: nothing found, as for punctuation


def test_a_query_of_the_readers_stop_words_is_not_searched_in_english(index):
    write_topic(index, valid_topic(common_mistakes=["Filing without comment."]))
    topics.clear_cache()
    search.rebuild_search_index()
    assert slugs("comment", "en") == ["patents"]
    assert slugs("comment", "fr") == []  # French for "how": a stop word there, though not in English


def test_stop_words_are_compared_without_case_or_accents(index):
    assert search.query_terms("OÙ QUAND Comment", "fr") == ()
    assert search.query_terms("Qué CUANTO donde", "es") == ()
    assert search.query_terms("أين", "ar") == search.query_terms("اين", "ar") == ()


def test_synonyms_add_what_people_mean(index):
    assert ("trademark",) in search.query_terms("brand", "en")
    assert ("trademark",) in search.query_terms("Logos", "en")  # any case, the plural
    assert ("patent",) in search.query_terms("inventors", "en")
    assert ("industrial", "design") in search.query_terms("the look of my chair", "en")
    assert ("trade", "secret") in search.query_terms("secret recipe", "en")
    assert ("copyright",) in search.query_terms("my music", "en")
    assert ("adr",) in search.query_terms("a dispute with a supplier", "en")
    assert ("marque",) in search.query_terms("mon logo", "fr")
    assert ("brevet",) in search.query_terms("mon invention", "fr")
    assert ("marca",) in search.query_terms("logotipo", "es")
    assert ("العلامات", "التجارية") in search.query_terms("شعار", "ar")
    # The query's own words stay, first.
    assert search.query_terms("brand", "en")[0] == ("brand",)


def test_a_synonym_with_a_second_condition_needs_both(index):
    assert ("madrid",) in search.query_terms("my brand abroad", "en")
    assert ("madrid",) in search.query_terms("international trademarks", "en")
    assert ("madrid",) not in search.query_terms("abroad", "en")
    assert ("madrid",) not in search.query_terms("brand", "en")
    assert ("pct",) in search.query_terms("patent abroad", "en")
    assert ("madrid",) in search.query_terms("marque à l'étranger", "fr")
    assert ("madrid",) in search.query_terms("marca en el extranjero", "es")
    assert ("مدريد",) in search.query_terms("علامة تجارية في الخارج", "ar")


def test_arabic_words_are_read_with_and_without_the_article_and_marks(index):
    terms = search.query_terms("البَراءة", "ar")  # a fatha typed in
    assert ("البراءة",) in terms and ("براءة",) in terms
    assert slugs("براءة", "ar")[0] == "patents"  # the text has "البراءة"
    assert slugs("البَراءة", "ar")[0] == "patents"


def test_a_synonym_finds_a_topic_that_never_uses_the_word(index):
    # "inventor" is nowhere in the test topics (nor is its stem): the synonym "patent" finds them, the title first.
    assert not GuidanceSearchDocument.objects.filter(body__icontains="inventor").exists()
    assert slugs("inventor") == ["patents", "pct"]


def test_the_synonyms_file_is_complete_and_checked(tmp_path, monkeypatch):
    data = json.loads(search.SYNONYMS_FILE.read_text(encoding="utf-8"))
    assert set(topics.LANGUAGES) <= set(data)
    vocabularies = search.vocabularies()
    assert all(vocabularies[language].stop_words and vocabularies[language].synonyms for language in topics.LANGUAGES)

    broken = copy.deepcopy(data)
    broken["fr"]["synonyms"][0]["add"] = []
    path = tmp_path / "search_synonyms.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    monkeypatch.setattr(search, "SYNONYMS_FILE", path)
    search.vocabularies.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"search_synonyms.json: fr.synonyms\[0\].add must be a non-empty list"):
            search.vocabularies()
        del broken["ar"]
        path.write_text(json.dumps(broken | {"fr": data["fr"]}), encoding="utf-8")
        search.vocabularies.cache_clear()
        with pytest.raises(ValueError, match="no entry for the language 'ar'"):
            search.vocabularies()
    finally:
        search.vocabularies.cache_clear()


# --- Ranking: the title, then the summary, the keywords, the body -----------------------------------


def _topic(
    slug: str, order: int, *, title: str, summary: str = "A topic.", keywords: str = "", body: str = "Text."
) -> dict:
    data = copy.deepcopy(PCT)
    data.update(
        slug=slug,
        order=order,
        title=four(title, title, title, title),
        summary=four(summary, summary, summary, summary),
        what_it_protects=body,
        related=[],
    )
    if keywords:
        data["keywords"] = keywords
    return data


@pytest.fixture
def ranked(topic_content):
    # Written in the reverse of the expected order, so that the file order cannot explain the result.
    write_topic(topic_content, _topic("copyright", 1, title="Copyright", body="Okapi okapi okapi okapi okapi giraffe."))
    write_topic(topic_content, _topic("trade-secrets", 2, title="Trade secrets", keywords="okapi"))
    write_topic(
        topic_content, _topic("industrial-designs", 3, title="Designs", summary="It protects the okapi's look.")
    )
    write_topic(topic_content, _topic("madrid", 4, title="Madrid System: okapi marks abroad"))
    write_topic(topic_content, _topic("trademarks", 5, title="Okapi marks"))
    topics.clear_cache()
    search.rebuild_search_index()
    return topic_content


def test_a_word_in_the_title_ranks_above_the_summary_keywords_and_body(ranked):
    assert slugs("okapi") == ["trademarks", "madrid", "industrial-designs", "trade-secrets", "copyright"]


def test_a_title_match_outranks_more_words_in_the_body(ranked):
    # copyright has both words, repeated, in its body; the others have one word in a better place.
    found = slugs("okapi giraffe")
    assert found[:3] == ["trademarks", "madrid", "industrial-designs"]
    assert set(found[3:]) == {"trade-secrets", "copyright"}
    assert slugs("giraffe") == ["copyright"]


def test_the_title_the_query_covers_best_comes_first(ranked):
    assert slugs("okapi marks")[:2] == ["trademarks", "madrid"]
    assert slugs("okapi marks abroad")[0] == "madrid"


def test_the_title_ranks_first(index):
    assert slugs("PCT")[0] == "pct"


# --- The real topics --------------------------------------------------------------------------------


@pytest.fixture
def real_topics(db):
    topics.clear_cache()
    if not topics.all_topics():
        pytest.skip("no topic files yet")
    search.rebuild_search_index()


def test_the_search_over_the_real_topics_finds_something(real_topics):
    assert "trademarks" in slugs("trademark")
    assert "pct" in slugs("Patent Cooperation Treaty")


def test_a_question_finds_what_it_means(real_topics):
    found = slugs("how much does a trademark cost")
    assert found[0] == "trademarks"
    assert "madrid" in found


@pytest.mark.parametrize("query", ["brand", "logo", "Brands", "my logo"])
def test_brand_and_logo_find_trademarks(real_topics, query):
    assert slugs(query)[0] == "trademarks"


def test_invention_finds_patents_first(real_topics):
    assert slugs("invention")[0] == "patents"
    assert slugs("how do I protect my invention")[0] == "patents"


def test_a_french_question_finds_trademarks(real_topics):
    assert slugs("combien coûte une marque", "fr")[0] == "trademarks"
    [result] = [result for result in search.search("combien coûte une marque", "fr") if result.slug == "trademarks"]
    assert (result.title, result.language) == ("Marques", "fr")


def test_a_spanish_question_finds_trademarks(real_topics):
    assert slugs("¿cuánto cuesta una marca?", "es")[0] == "trademarks"


@pytest.mark.parametrize("query", ["علامة تجارية", "كم تكلفة تسجيل علامة تجارية", "شعار"])
def test_an_arabic_query_for_trademark_finds_trademarks(real_topics, query):
    assert slugs(query, "ar")[0] == "trademarks"


@pytest.mark.parametrize(
    ("query", "language", "first"),
    [
        ("secret recipe", "en", "trade-secrets"),
        ("protect my software", "en", "copyright"),
        ("the shape of my bottle", "en", "industrial-designs"),
        ("my brand abroad", "en", "madrid"),
        ("a dispute with a licensee", "en", "adr"),
        ("protéger ma recette secrète", "fr", "trade-secrets"),
        ("mi invento", "es", "patents"),
    ],
)
def test_synonyms_lead_to_the_topic(real_topics, query, language, first):
    assert slugs(query, language)[0] == first


def test_every_synonym_finds_something_in_its_language(real_topics):
    """A phrase that no topic contains would add nothing: the list must follow the topics' words."""
    for language, vocabulary in search.vocabularies().items():
        for rule in vocabulary.synonyms:
            for term in rule.add:
                found = search._find({language: (term,)})
                assert any(result.language == language for _rank, _preference, result in found), (language, term)
