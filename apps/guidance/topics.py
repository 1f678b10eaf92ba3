"""The guidance topics: one YAML file per topic slug (content/SCHEMA.md), loaded, validated and cached.

`get_topic(slug)`, `all_topics()` and `topic_slugs()` read the files once per process (per content
directory: the `GUIDANCE_CONTENT_DIR` setting, so that tests can point it at a directory of their own).
A file that breaks the schema raises ValueError naming the file and the key. The loaded topics are
frozen and language-neutral; `localized(text, language)` picks a language with the English fallback,
and `localize_topic(topic, language)` turns a topic into what a page or the API shows, each section
marked with the language it is actually in.

`fee:` facts take their label, amount, source, date and "verified" note from data/fees.json through
the calculators' own loader (apps.guidance.calculators.fees.fee_data): one copy of each figure.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext, trans_real

from apps.guidance.calculators import fees

# DESIGN.md's contract: one topic per slug, in this order.
TOPIC_SLUGS: tuple[str, ...] = (
    "patents",
    "utility-models",
    "trade-secrets",
    "copyright",
    "trademarks",
    "industrial-designs",
    "pct",
    "madrid",
    "hague",
    "adr",
    "tiscs",
    "green",
    "research",
    "iap",
)
LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar")
FALLBACK_LANGUAGE = "en"
GROUPS: tuple[str, ...] = ("protect", "international", "help")
HELP_KINDS: tuple[str, ...] = ("wipo", "national")
DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent / "content"

TOP_KEYS_REQUIRED = frozenset(
    {
        "slug",
        "order",
        "group",
        "title",
        "summary",
        "is_it_for_me",
        "what_it_protects",
        "costs",
        "duration",
        "steps",
        "deadlines",
        "common_mistakes",
        "help",
        "related",
        "facts",
    }
)
TOP_KEYS_OPTIONAL = frozenset({"keywords"})
FACT_KEYS = frozenset({"id", "label", "value", "source", "url", "applies_from"})
FACT_KEYS_REQUIRED = frozenset({"id", "label", "value", "source", "applies_from"})
HELP_KEYS = frozenset({"name", "kind", "text", "url", "topic"})
# `url` is required for WIPO services; a national office differs by country (the agencies' overlays
# give it), so national entries may leave it out.
HELP_KEYS_REQUIRED = frozenset({"name", "kind", "text"})


# --- The loaded content ------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A translatable text: English always, other languages where written."""

    values: Mapping[str, str]

    def has(self, language: str) -> bool:
        return language in self.values

    def all(self) -> Iterable[tuple[str, str]]:
        return self.values.items()


@dataclass(frozen=True)
class FeeRef:
    """A fee of data/fees.json, resolved when the file is loaded."""

    key: str  # dotted path, e.g. "pct.international_filing_fee"
    label: str  # English; translated with gettext, as the calculators do
    amount: str  # "CHF 1330", "90%" ...: language-neutral
    verified: str


@dataclass(frozen=True)
class Fact:
    id: str
    label: Text
    value: Text
    source: str
    url: str
    applies_from: datetime.date | None
    fee: FeeRef | None = None


@dataclass(frozen=True)
class Section:
    """A part of the page: an optional text, optional items (steps, mistakes), the facts it shows."""

    text: Text | None = None
    items: tuple[Text, ...] = ()
    facts: tuple[str, ...] = ()
    calculator: str | None = None


@dataclass(frozen=True)
class FitSigns:
    fits: tuple[Text, ...]
    does_not_fit: tuple[Text, ...]


@dataclass(frozen=True)
class HelpEntry:
    name: Text
    kind: str
    text: Text
    url: str
    topic: str | None = None


@dataclass(frozen=True)
class Topic:
    slug: str
    order: int
    group: str
    title: Text
    summary: Text
    is_it_for_me: FitSigns
    what_it_protects: Section
    costs: Section
    duration: Section
    steps: Section
    deadlines: Section
    common_mistakes: Section
    help: tuple[HelpEntry, ...]
    related: tuple[str, ...]
    keywords: Text | None
    facts: tuple[Fact, ...]
    # Success stories arrive with the programmes issue (apps.programmes): an empty hook, no content here.
    success_stories: tuple[()] = field(default=())

    def fact(self, fact_id: str) -> Fact:
        return next(fact for fact in self.facts if fact.id == fact_id)


def localized(text: Text | None, language: str) -> tuple[str, str]:
    """(the text in `language`, the language it is in): English when `language` is missing."""
    if text is None:
        return "", language
    if language in text.values:
        return text.values[language], language
    return text.values[FALLBACK_LANGUAGE], FALLBACK_LANGUAGE


# --- Validation --------------------------------------------------------------------------------


class _Where:
    """Builds the "file: key" prefix of error messages."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name

    def error(self, key: str, message: str) -> ValueError:
        return ValueError(f"{self.file_name}: {key}: {message}" if key else f"{self.file_name}: {message}")


def _text(value: Any, where: _Where, key: str, *, all_languages: bool = False) -> Text:
    if isinstance(value, str):
        value = {FALLBACK_LANGUAGE: value}
    if not isinstance(value, Mapping):
        raise where.error(key, "must be a string or a mapping of languages (en, fr, es, ar) to strings")
    unknown = sorted(map(str, set(value) - set(LANGUAGES)))
    if unknown:
        raise where.error(key, f"unknown languages {unknown} (allowed: {', '.join(LANGUAGES)})")
    for language, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise where.error(f"{key}.{language}", "must be a non-empty string")
    required = LANGUAGES if all_languages else (FALLBACK_LANGUAGE,)
    missing = [language for language in required if language not in value]
    if missing:
        raise where.error(key, f"missing languages {missing}")
    return Text(MappingProxyType({language: value[language].strip() for language in LANGUAGES if language in value}))


def _texts(value: Any, where: _Where, key: str, *, all_languages: bool = False, minimum: int = 0) -> tuple[Text, ...]:
    if not isinstance(value, list):
        raise where.error(key, "must be a list")
    if len(value) < minimum:
        raise where.error(key, f"needs at least {minimum} items")
    return tuple(_text(item, where, f"{key}[{index}]", all_languages=all_languages) for index, item in enumerate(value))


def _mapping(value: Any, where: _Where, key: str, allowed: Iterable[str], required: Iterable[str]) -> Mapping:
    if not isinstance(value, Mapping):
        raise where.error(key, "must be a mapping")
    unknown = sorted(map(str, set(value) - set(allowed)))
    if unknown:
        raise where.error(key, f"unknown keys {unknown}")
    missing = sorted(set(required) - set(value))
    if missing:
        raise where.error(key, f"missing keys {missing}")
    return value


def _url(value: Any, where: _Where, key: str) -> str:
    if not isinstance(value, str):
        raise where.error(key, "must be a URL")
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise where.error(key, f"not an http(s) URL: {value!r}") from None
    return value


def _date(value: Any, where: _Where, key: str) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        raise where.error(key, "must be a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise where.error(key, f"must be a date YYYY-MM-DD or null, not {value!r}")


def _fee(key: str, where: _Where, at: str) -> tuple[FeeRef, str, datetime.date | None]:
    """A fee of data/fees.json by dotted path; list items (Madrid offices) are picked by their code."""
    entry: Any = fees.fee_data()
    for part in key.split("."):
        if isinstance(entry, Mapping) and part in entry:
            entry = entry[part]
        elif isinstance(entry, list):
            entry = next((item for item in entry if isinstance(item, Mapping) and item.get("code") == part), None)
            if entry is None:
                break
        else:
            entry = None
            break
    if not isinstance(entry, Mapping) or "source" not in entry:
        raise where.error(at, f"no fee {key!r} in {fees.DATA_FILE.name}")
    currency = fees.fee_data().get("currency", "CHF")
    if "amount" in entry:
        amount = f"{currency} {entry['amount']}"
    elif "percent" in entry:  # the percentage entries of the fee data are all reductions
        amount = f"\u2212{entry['percent']}%"
    elif "first" in entry:
        amount = f"{currency} {entry['first']}"
    else:
        raise where.error(at, f"fee {key!r} has no amount")
    label = entry.get("label") or entry.get("name") or key
    applies_from = entry.get("applies_from")
    ref = FeeRef(key=key, label=label, amount=amount, verified=entry.get("verified", ""))
    return ref, entry["source"], datetime.date.fromisoformat(applies_from) if applies_from else None


def _facts(value: Any, where: _Where) -> tuple[Fact, ...]:
    if not isinstance(value, list):
        raise where.error("facts", "must be a list")
    facts: list[Fact] = []
    seen: set[str] = set()
    for index, raw in enumerate(value):
        at = f"facts[{index}]"
        if not isinstance(raw, Mapping):
            raise where.error(at, "must be a mapping")
        fact_id = raw.get("id")
        if not isinstance(fact_id, str) or not fact_id:
            raise where.error(f"{at}.id", "required: a string")
        at = f"facts[{index}] ({fact_id})"
        if fact_id in seen:
            raise where.error(at, "duplicate id")
        seen.add(fact_id)
        if "fee" in raw:
            _mapping(raw, where, at, {"id", "fee"}, {"id", "fee"})
            if not isinstance(raw["fee"], str):
                raise where.error(f"{at}.fee", "must be a dotted key of data/fees.json")
            ref, source, applies_from = _fee(raw["fee"], where, f"{at}.fee")
            facts.append(
                Fact(
                    id=fact_id,
                    label=Text(MappingProxyType({FALLBACK_LANGUAGE: ref.label})),
                    value=Text(MappingProxyType({FALLBACK_LANGUAGE: ref.amount})),
                    source=source,
                    url="",
                    applies_from=applies_from,
                    fee=ref,
                )
            )
            continue
        _mapping(raw, where, at, FACT_KEYS, FACT_KEYS_REQUIRED)
        if not isinstance(raw["source"], str) or not raw["source"].strip():
            raise where.error(f"{at}.source", "required: the treaty, rule or schedule")
        facts.append(
            Fact(
                id=fact_id,
                label=_text(raw["label"], where, f"{at}.label"),
                value=_text(raw["value"], where, f"{at}.value"),
                source=raw["source"].strip(),
                url=_url(raw["url"], where, f"{at}.url") if raw.get("url") else "",
                applies_from=_date(raw["applies_from"], where, f"{at}.applies_from"),
            )
        )
    return tuple(facts)


def _fact_ids(value: Any, where: _Where, key: str, known: set[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise where.error(key, "must be a list of fact ids")
    unknown = [item for item in value if item not in known]
    if unknown:
        raise where.error(key, f"unknown fact ids {unknown} (not in facts)")
    return tuple(value)


def _calculator(value: Any, where: _Where, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error(key, "must be a url name in the guidance namespace, e.g. pct-fees")
    try:
        reverse(f"guidance:{value}")
    except NoReverseMatch:
        raise where.error(key, f"no page guidance:{value}") from None
    return value


def _slugs(value: Any, where: _Where, key: str, own: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise where.error(key, "must be a list of topic slugs")
    unknown = [item for item in value if item not in TOPIC_SLUGS]
    if unknown:
        raise where.error(key, f"unknown topic slugs {unknown}")
    if own in value:
        raise where.error(key, "a topic is not related to itself")
    return tuple(value)


def parse_topic(data: Any, file_name: str) -> Topic:
    """Validate one topic file's parsed YAML; ValueError names the file and the key."""
    where = _Where(file_name)
    data = _mapping(data, where, "", TOP_KEYS_REQUIRED | TOP_KEYS_OPTIONAL, TOP_KEYS_REQUIRED)
    slug = data["slug"]
    expected = Path(file_name).stem
    if slug != expected:
        raise where.error("slug", f"{slug!r} must be the file name without .yaml ({expected!r})")
    if slug not in TOPIC_SLUGS:
        raise where.error("slug", f"{slug!r} is not one of DESIGN.md's topic slugs")
    if not isinstance(data["order"], int) or isinstance(data["order"], bool):
        raise where.error("order", "must be an integer")
    if data["group"] not in GROUPS:
        raise where.error("group", f"must be one of {', '.join(GROUPS)}")
    facts = _facts(data["facts"], where)
    known = {fact.id for fact in facts}

    fit = _mapping(data["is_it_for_me"], where, "is_it_for_me", {"fits", "does_not_fit"}, {"fits", "does_not_fit"})
    is_it_for_me = FitSigns(
        fits=_texts(fit["fits"], where, "is_it_for_me.fits", all_languages=True, minimum=1),
        does_not_fit=_texts(fit["does_not_fit"], where, "is_it_for_me.does_not_fit", all_languages=True, minimum=1),
    )
    costs = _mapping(data["costs"], where, "costs", {"text", "calculator", "facts"}, {"text"})
    duration = _mapping(data["duration"], where, "duration", {"text", "facts"}, {"text"})
    deadlines = _mapping(data["deadlines"], where, "deadlines", {"text", "facts"}, ())
    if not deadlines.get("text") and not deadlines.get("facts"):
        raise where.error("deadlines", "needs a text or facts")

    help_entries = []
    if not isinstance(data["help"], list):
        raise where.error("help", "must be a list")
    for index, raw in enumerate(data["help"]):
        at = f"help[{index}]"
        raw = _mapping(raw, where, at, HELP_KEYS, HELP_KEYS_REQUIRED)
        if raw["kind"] not in HELP_KINDS:
            raise where.error(f"{at}.kind", f"must be one of {', '.join(HELP_KINDS)}")
        if raw["kind"] == "wipo" and not raw.get("url"):
            raise where.error(f"{at}.url", "required for a WIPO service: its official page")
        topic = raw.get("topic")
        if topic is not None and topic not in TOPIC_SLUGS:
            raise where.error(f"{at}.topic", f"unknown topic slug {topic!r}")
        help_entries.append(
            HelpEntry(
                name=_text(raw["name"], where, f"{at}.name"),
                kind=raw["kind"],
                text=_text(raw["text"], where, f"{at}.text"),
                url=_url(raw["url"], where, f"{at}.url") if raw.get("url") else "",
                topic=topic,
            )
        )

    return Topic(
        slug=slug,
        order=data["order"],
        group=data["group"],
        title=_text(data["title"], where, "title"),
        summary=_text(data["summary"], where, "summary", all_languages=True),
        is_it_for_me=is_it_for_me,
        what_it_protects=Section(text=_text(data["what_it_protects"], where, "what_it_protects")),
        costs=Section(
            text=_text(costs["text"], where, "costs.text"),
            facts=_fact_ids(costs.get("facts"), where, "costs.facts", known),
            calculator=_calculator(costs.get("calculator"), where, "costs.calculator"),
        ),
        duration=Section(
            text=_text(duration["text"], where, "duration.text"),
            facts=_fact_ids(duration.get("facts"), where, "duration.facts", known),
        ),
        steps=Section(items=_texts(data["steps"], where, "steps", minimum=1)),
        deadlines=Section(
            text=_text(deadlines["text"], where, "deadlines.text") if deadlines.get("text") else None,
            facts=_fact_ids(deadlines.get("facts"), where, "deadlines.facts", known),
        ),
        common_mistakes=Section(items=_texts(data["common_mistakes"], where, "common_mistakes")),
        help=tuple(help_entries),
        related=_slugs(data["related"], where, "related", slug),
        keywords=_text(data["keywords"], where, "keywords") if data.get("keywords") else None,
        facts=facts,
    )


def load_topic_file(path: Path) -> Topic:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{path.name}: not valid YAML: {error}") from None
    return parse_topic(data, path.name)


# --- The cache --------------------------------------------------------------------------------


def content_dir() -> Path:
    return Path(getattr(settings, "GUIDANCE_CONTENT_DIR", None) or DEFAULT_CONTENT_DIR)


@cache
def _load(directory: Path) -> MappingProxyType:
    topics = [load_topic_file(path) for path in sorted(directory.glob("*.yaml"))]
    topics.sort(key=lambda topic: (topic.order, topic.slug))
    return MappingProxyType({topic.slug: topic for topic in topics})


def clear_cache() -> None:
    """Forget the loaded files (tests that rewrite a content directory)."""
    _load.cache_clear()
    _content_hash.cache_clear()


def _topics() -> Mapping[str, Topic]:
    return _load(content_dir())


def all_topics() -> list[Topic]:
    """Every topic with a file, in the order of their `order` key."""
    return list(_topics().values())


def topic_slugs() -> list[str]:
    return list(_topics())


def get_topic(slug: str) -> Topic | None:
    return _topics().get(slug)


def content_hash() -> str:
    """A hash of the topic files and the fee data: the search index is rebuilt when it changes."""
    return _content_hash(content_dir())


@cache
def _content_hash(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(fees.DATA_FILE.read_bytes())
    return digest.hexdigest()


# --- What a page shows, in one language --------------------------------------------------------


@dataclass(frozen=True)
class ShownFact:
    id: str
    label: str
    value: str
    source: str
    url: str
    applies_from: datetime.date | None
    language: str
    verified: str = ""
    is_fee: bool = False


@dataclass(frozen=True)
class ShownSection:
    """A section in one language: `language` is the one it is shown in; `fallback` when that is not the
    one asked for (the page then marks it lang="en" and shows a "Shown in English" badge)."""

    key: str
    language: str
    fallback: bool
    text: str = ""
    items: tuple[str, ...] = ()
    facts: tuple[ShownFact, ...] = ()
    calculator: str | None = None


@dataclass(frozen=True)
class ShownHelp:
    name: str
    kind: str
    text: str
    url: str
    topic: str | None
    language: str
    fallback: bool


@dataclass(frozen=True)
class ShownTopic:
    slug: str
    group: str
    title: str
    title_language: str
    summary: ShownSection
    fits: ShownSection
    does_not_fit: ShownSection
    sections: tuple[ShownSection, ...]  # what_it_protects, costs, duration, steps, deadlines, common_mistakes
    help: tuple[ShownHelp, ...]
    related: tuple[tuple[str, str], ...]  # (slug, title) of related topics that have a file
    facts: tuple[ShownFact, ...]  # the Sources table
    success_stories: tuple[()] = ()

    def section(self, key: str) -> ShownSection:
        return next(section for section in self.sections if section.key == key)


SECTION_KEYS: tuple[str, ...] = ("what_it_protects", "costs", "duration", "steps", "deadlines", "common_mistakes")


def _catalogue_has(message: str) -> bool:
    """Whether the active language's .po files translate `message`, also to the same words ("Canada" in
    French): gettext alone cannot tell that from a message nobody translated."""
    try:
        return message in trans_real.translation(get_language())._catalog
    except (AttributeError, TypeError):  # gettext's own NullTranslations when i18n is off
        return False


def _fact_in(fact: Fact, language: str) -> ShownFact:
    if fact.fee is not None:
        # The fee labels are translated like the calculators' (gettext, in the active language).
        label = fact.fee.label if language == FALLBACK_LANGUAGE else gettext(fact.fee.label)
        translated = language == FALLBACK_LANGUAGE or label != fact.fee.label or _catalogue_has(fact.fee.label)
        used = language if translated else FALLBACK_LANGUAGE
        return ShownFact(
            fact.id, label, fact.fee.amount, fact.source, fact.url, fact.applies_from, used, fact.fee.verified, True
        )
    texts_language = language if fact.label.has(language) and fact.value.has(language) else FALLBACK_LANGUAGE
    label, _ = localized(fact.label, texts_language)
    value, _ = localized(fact.value, texts_language)
    return ShownFact(fact.id, label, value, fact.source, fact.url, fact.applies_from, texts_language)


def _section_in(key: str, section: Section, topic: Topic, language: str) -> ShownSection:
    """The whole section in `language`, or the whole section in English: never half and half."""
    facts = [_fact_in(topic.fact(fact_id), language) for fact_id in section.facts]
    texts: list[Text] = [*([section.text] if section.text else []), *section.items]
    complete = all(text.has(language) for text in texts) and all(fact.language == language for fact in facts)
    used = language if complete else FALLBACK_LANGUAGE
    if not complete:
        facts = [_fact_in(topic.fact(fact_id), FALLBACK_LANGUAGE) for fact_id in section.facts]
    return ShownSection(
        key=key,
        language=used,
        fallback=used != language,
        text=localized(section.text, used)[0] if section.text else "",
        items=tuple(localized(item, used)[0] for item in section.items),
        facts=tuple(facts),
        calculator=section.calculator,
    )


def _list_in(key: str, items: Sequence[Text], topic: Topic, language: str) -> ShownSection:
    return _section_in(key, Section(items=tuple(items)), topic, language)


def localize_topic(topic: Topic, language: str) -> ShownTopic:
    """Everything the topic page shows, in `language` where written and in English elsewhere."""
    if language not in LANGUAGES:
        language = FALLBACK_LANGUAGE
    title, title_language = localized(topic.title, language)
    help_entries = []
    for entry in topic.help:
        used = language if entry.name.has(language) and entry.text.has(language) else FALLBACK_LANGUAGE
        help_entries.append(
            ShownHelp(
                name=localized(entry.name, used)[0],
                kind=entry.kind,
                text=localized(entry.text, used)[0],
                url=entry.url,
                topic=entry.topic,
                language=used,
                fallback=used != language,
            )
        )
    related = tuple(
        (slug, localized(other.title, language)[0]) for slug in topic.related if (other := get_topic(slug)) is not None
    )
    return ShownTopic(
        slug=topic.slug,
        group=topic.group,
        title=title,
        title_language=title_language,
        summary=_section_in("summary", Section(text=topic.summary), topic, language),
        fits=_list_in("fits", topic.is_it_for_me.fits, topic, language),
        does_not_fit=_list_in("does_not_fit", topic.is_it_for_me.does_not_fit, topic, language),
        sections=tuple(_section_in(key, getattr(topic, key), topic, language) for key in SECTION_KEYS),
        help=tuple(help_entries),
        related=related,
        facts=tuple(_fact_in(fact, language) for fact in topic.facts),
    )


@dataclass(frozen=True)
class SearchTexts:
    """A topic's text in one language as the search weighs it: the title first, then the summary,
    then the keywords, then everything else (the body)."""

    title: str
    summary: str
    keywords: str
    body: str


def search_texts(topic: Topic, language: str) -> SearchTexts:
    """The texts of a topic for the search index: only what is written in `language` (English
    covers the rest, since the search always looks at English too)."""

    def pick(text: Text | None) -> list[str]:
        return [text.values[language]] if text is not None and text.has(language) else []

    parts: list[str] = []
    for item in (*topic.is_it_for_me.fits, *topic.is_it_for_me.does_not_fit):
        parts += pick(item)
    for key in SECTION_KEYS:
        section: Section = getattr(topic, key)
        parts += pick(section.text)
        for item in section.items:
            parts += pick(item)
    for entry in topic.help:
        parts += pick(entry.name) + pick(entry.text)
    for fact in topic.facts:
        if fact.fee is not None:
            label = fact.fee.label if language == FALLBACK_LANGUAGE else ""
            parts += [label] if label else []
        else:
            parts += pick(fact.label) + pick(fact.value)
            if language == FALLBACK_LANGUAGE:
                parts.append(fact.source)
    return SearchTexts(
        title=topic.title.values.get(language, ""),
        summary="".join(pick(topic.summary)),
        keywords="".join(pick(topic.keywords)),
        body="\n".join(part for part in parts if part),
    )
