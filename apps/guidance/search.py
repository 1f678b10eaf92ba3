"""Search across the guidance topics: PostgreSQL full-text search, a word match on SQLite.

The searchable text lives in GuidanceSearchDocument (one row per topic and language, only the text
actually written in that language: its title, summary, keywords and the rest as the body), rebuilt
from the files by `rebuild_search_index()`: after every `migrate` (post_migrate) and whenever the
table is found empty (a flushed test database). It skips the work when the content hash (topic files
+ fee data + INDEX_FORMAT) is what the rows already carry.

A query is read as people write it, not as a boolean expression: its words are folded, the stop words
of the language dropped ("how much does a trademark cost" -> trademark, cost), the synonyms of
data/search_synonyms.json added (brand -> trademark), and a topic matches when ANY of the remaining
terms does. The ranking does the rest: a term in the title (weight A) counts far more than in the
summary (B), the keywords (C) or the rest of the text (D), and among topics whose titles match, the
title that the query covers best (shortest) comes first ("Trademarks" before "Madrid System:
trademarks abroad").

Why rows and not a search over the loaded files in Python: PostgreSQL's stemming (english, french,
spanish; 'simple' for Arabic), ranking and ts_headline come for free, and the table is small (14
topics x 4 languages), so the vectors are computed at query time rather than stored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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
# Bump when what an index row holds changes: the rows are rebuilt even though the files did not change.
INDEX_FORMAT = 2
SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "search_synonyms.json"
# How much a title that the query covers well adds to the rank: it orders the topics whose titles match.
TITLE_FIT = 0.5
# Sentinels around the matched words: the snippet is escaped first, then they become <mark>.
_START, _STOP = "\u2063[[", "]]\u2063"
# Arabic short vowels, shadda, sukun, dagger alif, Quranic marks and the tatweel: optional in writing,
# so neither the query nor the text is compared with them.
_ARABIC_MARKS = "".join(map(chr, [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, 0x0640]))
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_WITHOUT_ARABIC_MARKS = str.maketrans("", "", _ARABIC_MARKS)
# Words: letters and digits with their combining marks (PostgreSQL's parser keeps them in the word too).
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670])+")
# The weights of title, summary, keywords and body (PostgreSQL's defaults for A, B, C, D).
_WEIGHTS = (1.0, 0.4, 0.2, 0.1)


@dataclass(frozen=True)
class SearchResult:
    slug: str
    title: str
    language: str  # the language of the document that matched
    snippet: SafeString  # escaped text with <mark> around the matched words


# --- The index ----------------------------------------------------------------------------------------


def _index_hash() -> str:
    return hashlib.sha256(f"{INDEX_FORMAT}:{topics.content_hash()}".encode()).hexdigest()


def rebuild_search_index(*, force: bool = False) -> bool:
    """Rewrite the index from the topic files; False when it was already up to date."""
    current = _index_hash()
    stored = set(GuidanceSearchDocument.objects.values_list("content_hash", flat=True).distinct())
    if not force and stored == {current}:
        return False
    rows = []
    for topic in topics.all_topics():
        for language in topics.LANGUAGES:
            texts = topics.search_texts(topic, language)
            if not (texts.summary or texts.keywords or texts.body):
                continue
            rows.append(
                GuidanceSearchDocument(
                    slug=topic.slug,
                    language=language,
                    title=texts.title or topics.localized(topic.title, language)[0],
                    summary=texts.summary,
                    keywords=texts.keywords,
                    body=texts.body,
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


# --- Reading a query: words, stop words, synonyms -------------------------------------------------------

Term = tuple[str, ...]  # one word, or a phrase: words that must follow each other


@dataclass(frozen=True)
class SynonymRule:
    words: frozenset[str]  # folded, with their forms (_forms)
    with_words: frozenset[str]  # also needed, one of them; empty: nothing else needed
    add: tuple[Term, ...]


@dataclass(frozen=True)
class Vocabulary:
    stop_words: frozenset[str]  # folded
    synonyms: tuple[SynonymRule, ...]


def _words(text: str) -> list[str]:
    """The words of a text, casefolded, with their accents; Arabic without its optional marks."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_WITHOUT_ARABIC_MARKS)
    return _WORD.findall(text)


def _fold(word: str) -> str:
    """A word without case or accents (and Arabic hamza forms as a bare alif): how stop words and
    synonyms are compared."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(_WITHOUT_ARABIC_MARKS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _arabic_base(word: str) -> str:
    """An Arabic word without its article (and a conjunction or preposition before it)."""
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def _forms(word: str, language: str) -> set[str]:
    """The folded word and the forms it is also compared under: without a plural -s or -es, or,
    in Arabic, without the article."""
    folded = _fold(word)
    forms = {folded}
    if language == "ar":
        forms.add(_arabic_base(folded))
        return forms
    if len(folded) > 3 and folded.endswith("s"):
        forms.add(folded[:-1])
    if len(folded) > 4 and folded.endswith("es"):
        forms.add(folded[:-2])
    return forms


def _word_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(word, str) and _words(word) for word in value):
        raise ValueError(f"{SYNONYMS_FILE.name}: {where} must be a non-empty list of words")
    return value


def _vocabulary(data: object, language: str) -> Vocabulary:
    if not isinstance(data, dict):
        raise ValueError(f"{SYNONYMS_FILE.name}: no entry for the language {language!r}")
    stop_words = frozenset(_fold(word) for word in _word_list(data.get("stop_words"), f"{language}.stop_words"))
    rules = []
    for number, rule in enumerate(data.get("synonyms") or []):
        where = f"{language}.synonyms[{number}]"
        if not isinstance(rule, dict) or set(rule) - {"words", "with", "add"}:
            raise ValueError(f"{SYNONYMS_FILE.name}: {where} must have 'words', 'add' and, optionally, 'with'")

        def forms(words: list[str]) -> frozenset[str]:
            return frozenset(form for word in words for form in _forms(word, language))

        rules.append(
            SynonymRule(
                words=forms(_word_list(rule.get("words"), f"{where}.words")),
                with_words=forms(_word_list(rule["with"], f"{where}.with")) if "with" in rule else frozenset(),
                add=tuple(tuple(_words(phrase)) for phrase in _word_list(rule.get("add"), f"{where}.add")),
            )
        )
    return Vocabulary(stop_words=stop_words, synonyms=tuple(rules))


@cache
def vocabularies() -> dict[str, Vocabulary]:
    """The stop words and synonyms of each language (data/search_synonyms.json), checked."""
    with SYNONYMS_FILE.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {language: _vocabulary(data.get(language), language) for language in topics.LANGUAGES}


def query_terms(query: str, language: str) -> tuple[Term, ...]:
    """What is looked for when `query` is searched in `language`'s documents; a document matches
    when any term does. The query's meaningful words (no stop words, no single letters), each on
    its own (in Arabic with and without the article), then the phrases its synonyms add."""
    vocabulary = vocabularies()[language]
    words = [word for word in _words(query[:MAX_QUERY_LENGTH]) if len(word) > 1]
    meaningful = list(dict.fromkeys(word for word in words if _fold(word) not in vocabulary.stop_words))
    terms: list[Term] = [(word,) for word in meaningful]
    if language == "ar":
        for word in meaningful:
            base = _arabic_base(word)
            terms += [(base,), ("ال" + base,)]
    present = {form for word in meaningful for form in _forms(word, language)}
    for rule in vocabulary.synonyms:
        if rule.words & present and (not rule.with_words or rule.with_words & present):
            terms += rule.add
    return tuple(dict.fromkeys(terms))


def _languages(language: str) -> list[str]:
    language = language if language in topics.LANGUAGES else topics.FALLBACK_LANGUAGE
    return list(dict.fromkeys([language, topics.FALLBACK_LANGUAGE]))


# --- Searching ------------------------------------------------------------------------------------------

Found = tuple[float, int, SearchResult]  # (rank, preference of its language: 0 first, the result)


def search(query: str, language: str) -> list[SearchResult]:
    """Topics matching `query`, best first, one result per topic: the document in `language` when it
    matches, else the English one."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    languages = _languages(language)
    terms = {language: query_terms(query, language) for language in languages}
    if not terms[languages[0]]:
        return []  # nothing but stop words of the reader's language ("comment", "كيف") or punctuation
    terms = {language: found for language, found in terms.items() if found}
    ensure_search_index()
    best: dict[str, Found] = {}
    for rank, preference, result in _find(terms):
        kept = best.get(result.slug)
        if kept is None or (preference, -rank) < (kept[1], -kept[0]):
            best[result.slug] = (rank, preference, result)
    ordered = sorted(best.values(), key=lambda item: (-item[0], item[1]))
    return [result for _rank, _preference, result in ordered[:MAX_RESULTS]]


def _find(terms: dict[str, tuple[Term, ...]]) -> list[Found]:
    """The documents of each language that match any of its terms, with their ranks (one SQL query
    per language)."""
    return _search_postgres(terms) if connection.vendor == "postgresql" else _search_simple(terms)


def _marked(text: str) -> SafeString:
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308 - escaped first


def _tsquery(terms: Iterable[Term]) -> str:
    """to_tsquery's text: the terms ORed, a phrase's words joined by <->. Safe as it is: the words are
    letters, digits and marks only (_words), never tsquery syntax."""
    return " | ".join(term[0] if len(term) == 1 else "(" + " <-> ".join(term) + ")" for term in terms)


def _search_postgres(terms: dict[str, tuple[Term, ...]]) -> list[Found]:
    """One query per language: the documents that match any term, ranked with ts_rank over the title
    (A), summary (B), keywords (C) and body (D), plus how well the title alone fits (ts_rank
    normalised by the title's length)."""
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
    from django.db.models import F, Func, TextField, Value
    from django.db.models.functions import Concat

    found = []
    for preference, (language, language_terms) in enumerate(terms.items()):
        config = SEARCH_CONFIGS[language]

        def column(name: str, language: str = language) -> F | Func:
            if language != "ar":
                return F(name)
            return Func(F(name), Value(_ARABIC_MARKS), Value(""), function="translate", output_field=TextField())

        search_query = SearchQuery(_tsquery(language_terms), config=config, search_type="raw")
        vector = (
            SearchVector(column("title"), weight="A", config=config)
            + SearchVector(column("summary"), weight="B", config=config)
            + SearchVector(column("keywords"), weight="C", config=config)
            + SearchVector(column("body"), weight="D", config=config)
        )
        title_fit = SearchRank(SearchVector(column("title"), weight="A", config=config), search_query, normalization=2)
        rows = (
            GuidanceSearchDocument.objects.filter(language=language)
            .annotate(document=vector)
            .filter(document=search_query)  # the @@ match
            .annotate(
                rank=SearchRank(vector, search_query) + Value(TITLE_FIT) * title_fit,
                snippet=SearchHeadline(
                    Concat("summary", Value("\n"), "body", Value("\n"), "keywords", output_field=TextField()),
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


# --- The fallback (SQLite) ------------------------------------------------------------------------------


def _stem(word: str, language: str) -> str:
    """A query word as the fallback compares it: folded, its shortest form, matched as the start of a
    word (trademarks -> trademark matches trademark, trademarks; Arabic: with or without the article)."""
    return min(_forms(word, language), key=len)


def _pattern(alternatives: Sequence[Iterable[str]], language: str) -> re.Pattern[str]:
    """Folded text's words that begin with one of the stems of each alternative, one after the
    other: [["trade"], ["secret"]] is the phrase "trade secret", [["brand", "logo"]] either word."""
    article = "(?:" + "|".join(_ARABIC_PREFIXES) + ")?" if language == "ar" else ""
    return re.compile(
        r"\W+".join(
            rf"(?<!\w){article}(?:{'|'.join(map(re.escape, sorted(stems, key=len, reverse=True)))})\w*"
            for stems in alternatives
        )
    )


def _snippet(text: str, matches: re.Pattern[str]) -> SafeString:
    """About SNIPPET_WORDS words around the first match, the matched words marked."""
    tokens = text.split()

    def hit(token: str) -> bool:
        return matches.search(_fold(token)) is not None

    first = next((number for number, token in enumerate(tokens) if hit(token)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    window = [f"{_START}{token}{_STOP}" if hit(token) else token for token in tokens[start : start + SNIPPET_WORDS]]
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(tokens) else ""
    return _marked(prefix + " ".join(window) + suffix)


def _search_simple(terms: dict[str, tuple[Term, ...]]) -> list[Found]:
    """SQLite and others: a document matches when any term occurs in it, compared without case or
    accents, a query word matching the words it begins (a plain prefix stands in for stemming).
    Ranked like PostgreSQL: a term weighs by the best place it occurs in (title, summary, keywords,
    body), a little more for repetitions, plus how much of the title the words cover.

    Matched in Python, since SQLite's LIKE folds ASCII letters only (É, Ñ). The table is small:
    14 topics x 4 languages.
    """
    languages = list(terms)
    patterns = {}
    for language, language_terms in terms.items():
        stemmed = [[_stem(word, language) for word in term] for term in language_terms]
        patterns[language] = (
            [_pattern([[stem] for stem in stems], language) for stems in stemmed],
            _pattern([{stem for stems in stemmed for stem in stems}], language),  # any of the words
        )
    found = []
    documents = GuidanceSearchDocument.objects.filter(language__in=languages).only(
        "slug", "language", "title", "summary", "keywords", "body"
    )
    for document in documents:
        language = document.language
        term_patterns, any_word = patterns[language]
        fields = [_fold(text) for text in (document.title, document.summary, document.keywords, document.body)]
        score = 0.0
        for pattern in term_patterns:
            counts = [len(pattern.findall(text)) for text in fields]
            if any(counts):
                best = max(weight for weight, count in zip(_WEIGHTS, counts, strict=True) if count)
                score += best + 0.01 * min(sum(counts), 10)
        if not score:
            continue
        title = _WORD.findall(fields[0])
        covered = sum(any_word.fullmatch(word) is not None for word in title) / max(len(title), 1)
        rank = (score + TITLE_FIT * covered) / len(term_patterns)
        snippet = _snippet(f"{document.summary}\n{document.body}\n{document.keywords}", any_word)
        found.append((rank, languages.index(language), SearchResult(document.slug, document.title, language, snippet)))
    return found
