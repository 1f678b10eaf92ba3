"""Search across the guidance topics: PostgreSQL full-text search, a plain word match on SQLite.

The searchable text lives in GuidanceSearchDocument (one row per topic and language, only the text
actually written in that language), rebuilt from the files by `rebuild_search_index()`: after every
`migrate` (post_migrate) and whenever the table is found empty (a flushed test database). It skips
the work when the content hash (topic files + fee data) is what the rows already carry.

Why rows and not a search over the loaded files in Python: PostgreSQL's stemming (english, french,
spanish; 'simple' for Arabic), ranking and ts_headline come for free, and the table is small (14
topics x 4 languages), so the vectors are computed at query time rather than stored.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.guidance import topics
from apps.guidance.models import GuidanceSearchDocument

logger = logging.getLogger(__name__)

# PostgreSQL text-search configurations by language; Arabic has none built in, so 'simple'.
SEARCH_CONFIGS = {"en": "english", "fr": "french", "es": "spanish", "ar": "simple"}
MAX_QUERY_LENGTH = 200
MAX_RESULTS = 50
SNIPPET_WORDS = 30
# Sentinels around the matched words: the snippet is escaped first, then they become <mark>.
_START, _STOP = "\u2063[[", "]]\u2063"


@dataclass(frozen=True)
class SearchResult:
    slug: str
    title: str
    language: str  # the language of the document that matched
    snippet: SafeString  # escaped text with <mark> around the matched words


def rebuild_search_index(*, force: bool = False) -> bool:
    """Rewrite the index from the topic files; False when it was already up to date."""
    current = topics.content_hash()
    stored = set(GuidanceSearchDocument.objects.values_list("content_hash", flat=True).distinct())
    if not force and stored == {current}:
        return False
    rows = []
    for topic in topics.all_topics():
        for language in topics.LANGUAGES:
            title, body = topics.search_texts(topic, language)
            if not body:
                continue
            rows.append(
                GuidanceSearchDocument(
                    slug=topic.slug,
                    language=language,
                    title=title or topics.localized(topic.title, language)[0],
                    body=body,
                    order=topic.order,
                    content_hash=current,
                )
            )
    with transaction.atomic():
        GuidanceSearchDocument.objects.all().delete()
        GuidanceSearchDocument.objects.bulk_create(rows)
    return True


def ensure_search_index() -> None:
    """Build the index if the table is empty (one cheap query otherwise)."""
    if not GuidanceSearchDocument.objects.exists():
        rebuild_search_index(force=True)


def rebuild_after_migrate(sender: object, using: str = "default", **kwargs: object) -> None:
    """post_migrate: keep the index in step with the files. A broken topic file must not break
    `migrate`: it is logged, and the topic pages and tests name the problem."""
    from django.db import connections

    if GuidanceSearchDocument._meta.db_table not in connections[using].introspection.table_names():
        return
    try:
        rebuild_search_index()
    except ValueError as error:
        logger.warning("guidance search index not rebuilt: %s", error)


def _words(query: str) -> list[str]:
    return [word for word in re.split(r"\W+", query.casefold()) if word]


def _languages(language: str) -> list[str]:
    language = language if language in topics.LANGUAGES else topics.FALLBACK_LANGUAGE
    return list(dict.fromkeys([language, topics.FALLBACK_LANGUAGE]))


def search(query: str, language: str) -> list[SearchResult]:
    """Topics matching `query`, best first, one result per topic: the document in `language` when it
    matches, else the English one."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not _words(query):
        return []
    ensure_search_index()
    languages = _languages(language)
    if connection.vendor == "postgresql":
        found = _search_postgres(query, languages)
    else:
        found = _search_simple(query, languages)
    best: dict[str, tuple[float, int, SearchResult]] = {}
    for rank, preference, result in found:
        kept = best.get(result.slug)
        if kept is None or (preference, -rank) < (kept[1], -kept[0]):
            best[result.slug] = (rank, preference, result)
    ordered = sorted(best.values(), key=lambda item: (-item[0], item[1]))
    return [result for _rank, _preference, result in ordered[:MAX_RESULTS]]


def _marked(text: str) -> SafeString:
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308 - escaped first


def _search_postgres(query: str, languages: list[str]) -> list[tuple[float, int, SearchResult]]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    found = []
    for preference, language in enumerate(languages):
        config = SEARCH_CONFIGS[language]
        search_query = SearchQuery(query, config=config, search_type="websearch")
        vector = SearchVector("title", weight="A", config=config) + SearchVector("body", weight="B", config=config)
        rows = (
            GuidanceSearchDocument.objects.filter(language=language)
            .annotate(document=vector)
            .filter(document=search_query)  # the @@ match
            .annotate(
                rank=SearchRank(vector, search_query),
                snippet=SearchHeadline(
                    "body",
                    search_query,
                    config=config,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=SNIPPET_WORDS,
                    min_words=SNIPPET_WORDS // 2,
                ),
            )
            .only("slug", "title")
        )
        for row in rows:
            result = SearchResult(row.slug, row.title, language, _marked(row.snippet))
            found.append((float(row.rank), preference, result))
    return found


def _snippet(body: str, words: list[str]) -> SafeString:
    """About SNIPPET_WORDS words around the first match, the matched words marked."""
    tokens = body.split()
    folded = [token.casefold() for token in tokens]
    first = next((i for i, token in enumerate(folded) if any(word in token for word in words)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    window = tokens[start : start + SNIPPET_WORDS]
    marked = [
        f"{_START}{token}{_STOP}" if any(word in token.casefold() for word in words) else token for token in window
    ]
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(tokens) else ""
    return _marked(prefix + " ".join(marked) + suffix)


def _search_simple(query: str, languages: list[str]) -> list[tuple[float, int, SearchResult]]:
    """SQLite and others: every word of the query must appear in the title or the body, any case.

    Matched in Python with str.casefold, since SQLite's LIKE folds ASCII letters only (É, Ñ).
    The table is small: 14 topics x 4 languages.
    """
    words = _words(query)
    found = []
    documents = GuidanceSearchDocument.objects.filter(language__in=languages).only("slug", "language", "title", "body")
    for document in documents:
        title, body = document.title.casefold(), document.body.casefold()
        if not all(word in title or word in body for word in words):
            continue
        # The title weighs most (more when it starts with the word); repetitions in the body count a little.
        rank = sum(10 * (word in title) + 5 * title.startswith(word) + min(body.count(word), 5) for word in words)
        preference = languages.index(document.language)
        found.append(
            (
                float(rank),
                preference,
                SearchResult(document.slug, document.title, document.language, _snippet(document.body, words)),
            )
        )
    return found
