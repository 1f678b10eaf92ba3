"""Loading and validating the guidance topic files (apps.guidance.topics)."""

from __future__ import annotations

import dataclasses
import datetime
import re
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from apps.guidance import topics
from apps.guidance.calculators import fees
from tests.guidance.topic_content import PATENTS, valid_topic, write_topic

DESIGN = Path(__file__).resolve().parents[2] / "docs" / "design.md"


# --- The real content ---------------------------------------------------------------------------


def test_topic_slugs_are_designs_contract():
    section = DESIGN.read_text(encoding="utf-8").split("### IP topics (contract: these slugs)")[1].split("##")[0]
    assert tuple(re.findall(r"`([a-z-]+)`", section)) == topics.TOPIC_SLUGS


@pytest.mark.parametrize("slug", topics.TOPIC_SLUGS)
def test_every_topic_slug_has_a_file_that_loads(slug):
    path = topics.DEFAULT_CONTENT_DIR / f"{slug}.yaml"
    assert path.exists(), f"no topic file {path.name}"
    topic = topics.load_topic_file(path)
    assert topic.slug == slug


def real_topics() -> list[topics.Topic]:
    return [topics.load_topic_file(path) for path in sorted(topics.DEFAULT_CONTENT_DIR.glob("*.yaml"))]


@pytest.mark.parametrize("language", topics.LANGUAGES)
def test_summaries_and_is_it_for_me_are_in_all_four_languages(language):
    for topic in real_topics():
        shown = topics.localize_topic(topic, language)
        for section in (shown.summary, shown.fits, shown.does_not_fit):
            assert not section.fallback, f"{topic.slug}: {section.key} not in {language}"
            assert section.language == language


def _texts_of(value: object, where: str):
    """Every translatable text of a loaded topic, with where it is (fee facts' labels are the fee
    data's, translated through the .po files, and checked below)."""
    if isinstance(value, topics.Text):
        yield where, value
    elif isinstance(value, topics.Fact) and value.fee is not None:
        return
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _texts_of(item, f"{where}[{index}]")
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            if field.name != "keywords":
                yield from _texts_of(getattr(value, field.name), f"{where}.{field.name}")


@pytest.mark.parametrize("language", [language for language in topics.LANGUAGES if language != "en"])
def test_every_text_of_every_topic_is_written_in_every_language(language):
    """The pages in French, Spanish and Arabic show no section in English: each text is translated."""
    missing = [
        f"{topic.slug}{where}"
        for topic in real_topics()
        for where, text in _texts_of(topic, "")
        if not text.has(language) or not text.values[language].strip()
    ]
    assert missing == [], f"texts not written in {language}: {missing}"


@pytest.mark.parametrize("language", [language for language in topics.LANGUAGES if language != "en"])
def test_every_section_of_every_topic_is_shown_in_the_language_asked_for(language):
    for topic in real_topics():
        with translation.override(language):  # fee facts' labels come from the .po files
            shown = topics.localize_topic(topic, language)
        fallbacks = [section.key for section in shown.sections if section.fallback]
        fallbacks += [entry.name for entry in shown.help if entry.fallback]
        assert fallbacks == [], f"{topic.slug} in {language}: {fallbacks}"


def test_every_fact_has_a_source_and_the_date_it_applies_from():
    """Fee facts take theirs from data/fees.json. The one exception SCHEMA.md allows ("null only if
    truly unknown") is kept narrow: a figure that summarises national laws, which have no single date."""
    missing = []
    for topic in real_topics():
        for fact in topic.facts:
            assert fact.source.strip(), f"{topic.slug}: fact {fact.id} has no source"
            varies_by_country = fact.source.lower().startswith("national law")
            # A rule whose date of effect could not be found says so in its source, rather than a date
            # that is only that of the copy read.
            said_unknown = "date the rule took effect not verified" in fact.source
            if fact.fee is None and fact.applies_from is None and not (varies_by_country or said_unknown):
                missing.append(f"{topic.slug}.{fact.id}")
    assert missing == [], f"facts without the date they apply from: {missing}"


def test_every_related_topic_and_help_topic_has_a_file():
    slugs = {path.stem for path in topics.DEFAULT_CONTENT_DIR.glob("*.yaml")}
    for topic in real_topics():
        for other in (*topic.related, *(entry.topic for entry in topic.help if entry.topic)):
            assert other in topics.TOPIC_SLUGS
            if set(topics.TOPIC_SLUGS) <= slugs:  # once every file is written
                assert other in slugs, f"{topic.slug} links to {other}, which has no file"


# --- Loading ------------------------------------------------------------------------------------


def test_the_topics_load_in_their_order_and_are_cached(topic_content):
    assert topics.topic_slugs() == ["patents", "pct"]
    assert [topic.slug for topic in topics.all_topics()] == ["patents", "pct"]
    assert topics.get_topic("patents") is topics.get_topic("patents")
    assert topics.get_topic("madrid") is None


def test_loaded_topics_are_frozen(topic_content):
    topic = topics.get_topic("patents")
    with pytest.raises(AttributeError):
        topic.slug = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        topic.summary.values["en"] = "changed"  # type: ignore[index]


def test_a_topic_has_its_sections_facts_and_help(topic_content):
    topic = topics.get_topic("patents")
    assert topic.group == "protect"
    assert topics.localized(topic.steps.items[0], "en")[0] == "Search the prior art."
    assert topic.costs.calculator == "pct-fees"
    assert topic.duration.facts == ("term",)
    term = topic.fact("term")
    assert term.source == "TRIPS Agreement, Art. 33"
    assert term.applies_from == datetime.date(1995, 1, 1)
    assert [entry.kind for entry in topic.help] == ["wipo", "national"]
    assert topic.related == ("pct", "utility-models")
    assert topic.success_stories == ()


def test_a_fee_fact_comes_from_the_fee_data_file(topic_content):
    fact = topics.get_topic("patents").fact("pct_filing_fee")
    entry = fees.fee_data()["pct"]["international_filing_fee"]
    assert fact.fee is not None
    assert fact.fee.label == entry["label"]
    assert fact.fee.amount == f"CHF {entry['amount']}"
    assert fact.source == entry["source"]
    assert fact.applies_from == datetime.date.fromisoformat(entry["applies_from"])
    assert fact.fee.verified == entry["verified"]


def test_a_madrid_office_fee_is_found_by_its_code(tmp_path):
    data = valid_topic(
        facts=[*PATENTS["facts"], {"id": "au", "fee": "madrid.individual_fees.offices.AU"}],
    )
    path = write_topic(tmp_path, data)
    fact = topics.load_topic_file(path).fact("au")
    office = next(o for o in fees.madrid_offices() if o["code"] == "AU")
    assert fact.fee.amount == f"CHF {office['first']}"
    assert fact.source == office["source"]


# --- Localisation -------------------------------------------------------------------------------


def test_localized_falls_back_to_english():
    text = topics.Text({"en": "Patents", "fr": "Brevets"})
    assert topics.localized(text, "fr") == ("Brevets", "fr")
    assert topics.localized(text, "ar") == ("Patents", "en")
    assert topics.localized(None, "fr") == ("", "fr")


def test_a_section_is_shown_whole_in_one_language(topic_content):
    topic = topics.get_topic("patents")
    french = topics.localize_topic(topic, "fr")
    protects = french.section("what_it_protects")
    assert (protects.language, protects.fallback) == ("fr", False)
    assert protects.text.startswith("Les inventions")
    steps = french.section("steps")
    assert (steps.language, steps.fallback) == ("en", True)
    assert steps.items[0] == "Search the prior art."
    spanish = topics.localize_topic(topic, "es")
    assert spanish.section("what_it_protects").fallback is True
    assert spanish.summary.fallback is False
    assert spanish.summary.text.startswith("Una patente")
    english = topics.localize_topic(topic, "en")
    assert not any(section.fallback for section in english.sections)


def test_facts_are_shown_in_their_sections_and_all_in_the_sources(topic_content):
    shown = topics.localize_topic(topics.get_topic("patents"), "en")
    assert [fact.id for fact in shown.section("duration").facts] == ["term"]
    assert [fact.id for fact in shown.section("costs").facts] == ["pct_filing_fee"]
    assert [fact.id for fact in shown.facts] == ["term", "priority", "pct_filing_fee"]
    assert shown.related == (("pct", "PCT"),)  # utility-models has no file here


# --- Validation: a bad file names itself and the key ---------------------------------------------


def _without(key: str) -> dict:
    data = valid_topic()
    del data[key]
    return data


BAD_TOPICS = [
    (_without("summary"), "patents.yaml: missing keys ['summary']"),
    (valid_topic(extra="x"), "patents.yaml: unknown keys ['extra']"),
    (valid_topic(summary={"en": "Only English"}), "patents.yaml: summary: missing languages ['fr', 'es', 'ar']"),
    (
        valid_topic(is_it_for_me={"fits": [{"en": "x"}], "does_not_fit": PATENTS["is_it_for_me"]["does_not_fit"]}),
        "patents.yaml: is_it_for_me.fits[0]: missing languages",
    ),
    (valid_topic(title={"en": "Patents", "de": "Patente"}), "patents.yaml: title: unknown languages ['de']"),
    (valid_topic(title={"fr": "Brevets"}), "patents.yaml: title: missing languages ['en']"),
    (valid_topic(steps="File it."), "patents.yaml: steps: must be a list"),
    (valid_topic(group="other"), "patents.yaml: group: must be one of"),
    (valid_topic(order="first"), "patents.yaml: order: must be an integer"),
    (valid_topic(slug="patent"), "patents.yaml: slug: 'patent' must be the file name"),
    (valid_topic(related=["pct", "nonsense"]), "patents.yaml: related: unknown topic slugs ['nonsense']"),
    (valid_topic(related=["patents"]), "patents.yaml: related: a topic is not related to itself"),
    (
        valid_topic(duration={"text": "x", "facts": ["missing_fact"]}),
        "patents.yaml: duration.facts: unknown fact ids ['missing_fact']",
    ),
    (
        valid_topic(costs={"text": "x", "calculator": "no-such-calculator"}),
        "patents.yaml: costs.calculator: no page guidance:no-such-calculator",
    ),
    (
        valid_topic(facts=[*PATENTS["facts"], dict(PATENTS["facts"][0])]),
        "patents.yaml: facts[3] (term): duplicate id",
    ),
    (
        valid_topic(facts=[{**PATENTS["facts"][0], "source": ""}]),
        "patents.yaml: facts[0] (term).source: required",
    ),
    (
        valid_topic(facts=[{k: v for k, v in PATENTS["facts"][0].items() if k != "applies_from"}]),
        "patents.yaml: facts[0] (term): missing keys ['applies_from']",
    ),
    (
        valid_topic(facts=[{**PATENTS["facts"][0], "applies_from": "1 January 1995"}]),
        "patents.yaml: facts[0] (term).applies_from: must be a date",
    ),
    (
        valid_topic(facts=[{**PATENTS["facts"][0], "url": "www.wto.org"}]),
        "patents.yaml: facts[0] (term).url: not an http(s) URL",
    ),
    (
        valid_topic(facts=[{"id": "fee", "fee": "pct.no_such_fee"}]),
        "patents.yaml: facts[0] (fee).fee: no fee 'pct.no_such_fee' in fees.json",
    ),
    (
        valid_topic(facts=[{"id": "fee", "fee": "pct.international_filing_fee", "source": "mine"}]),
        "patents.yaml: facts[0] (fee): unknown keys ['source']",
    ),
    (
        valid_topic(help=[{"name": "PCT", "kind": "wipo", "text": "x"}]),
        "patents.yaml: help[0].url: required for a WIPO service",
    ),
    (
        valid_topic(help=[{"name": "PCT", "kind": "wipo", "text": "x", "url": "https://www.wipo.int", "topic": "x"}]),
        "patents.yaml: help[0].topic: unknown topic slug 'x'",
    ),
    (
        valid_topic(help=[{"name": "PCT", "kind": "other", "text": "x", "url": "https://www.wipo.int"}]),
        "patents.yaml: help[0].kind: must be one of wipo, national",
    ),
    (valid_topic(deadlines={}), "patents.yaml: deadlines: needs a text or facts"),
]


@pytest.mark.parametrize(("data", "message"), BAD_TOPICS, ids=[message[14:60] for _data, message in BAD_TOPICS])
def test_a_bad_topic_file_is_refused_naming_the_file_and_key(tmp_path, data, message):
    path = write_topic(tmp_path, data) if data.get("slug") == "patents" else tmp_path / "patents.yaml"
    if not path.exists():
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        topics.load_topic_file(path)


def test_a_national_office_needs_no_url(tmp_path):
    data = valid_topic(help=[{"name": "Your national office", "kind": "national", "text": "Ask it."}])
    assert topics.load_topic_file(write_topic(tmp_path, data)).help[0].url == ""


def test_a_file_that_is_not_yaml_is_refused(tmp_path):
    path = tmp_path / "patents.yaml"
    path.write_text("slug: [unclosed", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^patents\.yaml: not valid YAML"):
        topics.load_topic_file(path)


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "patents.yaml"
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^patents\.yaml: must be a mapping"):
        topics.load_topic_file(path)


def test_a_bad_file_in_the_content_directory_fails_loudly(topic_content):
    (topic_content / "madrid.yaml").write_text("slug: madrid\n", encoding="utf-8")
    topics.clear_cache()
    with pytest.raises(ValueError, match=r"^madrid\.yaml: missing keys"):
        topics.all_topics()


def test_the_content_hash_follows_the_files(topic_content):
    before = topics.content_hash()
    assert topics.content_hash() == before
    write_topic(topic_content, valid_topic(order=2))
    topics.clear_cache()
    assert topics.content_hash() != before
