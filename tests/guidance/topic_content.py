"""A small, valid topic content directory for tests that must not depend on the real topic files.

`topic_content` (a fixture: import it into the test module) writes two topics, `patents` and `pct`,
into a temporary directory, points GUIDANCE_CONTENT_DIR at it and empties the topic cache. The
`patents` topic has every section in English, the summary and "is it for me" in all four
languages, "what it protects" in French too, and the other sections in English only.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from apps.guidance import topics

ALL = ("en", "fr", "es", "ar")


def four(en: str, fr: str, es: str, ar: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "es": es, "ar": ar}


PATENTS = {
    "slug": "patents",
    "order": 1,
    "group": "protect",
    "title": four("Patents", "Brevets", "Patentes", "البراءات"),
    "summary": four(
        "A patent protects an invention: a new technical solution.",
        "Un brevet protège une invention : une solution technique nouvelle.",
        "Una patente protege una invención: una solución técnica nueva.",
        "تحمي البراءة الاختراع: حلاً تقنياً جديداً.",
    ),
    "is_it_for_me": {
        "fits": [
            four(
                "You made a new machine or process.",
                "Vous avez créé une machine ou un procédé nouveau.",
                "Ha creado una máquina o un procedimiento nuevo.",
                "صنعت آلة أو طريقة جديدة.",
            )
        ],
        "does_not_fit": [
            four(
                "You only have a brand name.",
                "Vous n'avez qu'un nom de marque.",
                "Solo tiene un nombre de marca.",
                "لديك اسم تجاري فقط.",
            )
        ],
    },
    "what_it_protects": {
        "en": "Inventions that are new, inventive and industrially applicable.",
        "fr": "Les inventions nouvelles, inventives et susceptibles d'application industrielle.",
    },
    "costs": {
        "text": "Office fees, attorney fees and annual renewal fees (annuities).",
        "calculator": "pct-fees",
        "facts": ["pct_filing_fee"],
    },
    "duration": {"text": "Examination usually takes several years.", "facts": ["term"]},
    "steps": ["Search the prior art.", "Draft the claims.", "File the application."],
    "deadlines": {"text": "Keep the invention secret until you file.", "facts": ["priority"]},
    "common_mistakes": ["Showing the invention at a trade fair before filing."],
    "help": [
        {
            "name": "PCT (Patent Cooperation Treaty)",
            "kind": "wipo",
            "text": "One international application for many countries.",
            "url": "https://www.wipo.int/pct/en/",
            "topic": "pct",
        },
        {
            "name": "Your national IP office",
            "kind": "national",
            "text": "Files and grants patents for your country.",
            "url": "https://www.wipo.int/directory/en/urls.jsp",
        },
    ],
    "related": ["pct", "utility-models"],
    "keywords": {"en": "invention novelty zebrafish", "fr": "invention nouveauté"},
    "facts": [
        {
            "id": "term",
            "label": "Term of protection",
            "value": "20 years from the filing date",
            "source": "TRIPS Agreement, Art. 33",
            "url": "https://www.wto.org/english/docs_e/legal_e/27-trips_04c_e.htm",
            "applies_from": "1995-01-01",
        },
        {
            "id": "priority",
            "label": "Priority period",
            "value": "12 months from the first filing",
            "source": "Paris Convention, Art. 4C(1)",
            "url": "https://www.wipo.int/wipolex/en/text/288514",
            "applies_from": "1967-07-14",
        },
        {"id": "pct_filing_fee", "fee": "pct.international_filing_fee"},
    ],
}

PCT = {
    "slug": "pct",
    "order": 7,
    "group": "international",
    "title": four("PCT", "PCT", "PCT", "معاهدة التعاون بشأن البراءات"),
    "summary": four(
        "One international patent application for many countries.",
        "Une demande internationale de brevet pour de nombreux pays.",
        "Una solicitud internacional de patente para muchos países.",
        "طلب دولي واحد للبراءة لبلدان كثيرة.",
    ),
    "is_it_for_me": {
        "fits": [four("You export.", "Vous exportez.", "Usted exporta.", "أنت تصدّر.")],
        "does_not_fit": [four("You sell locally.", "Vous vendez localement.", "Vende localmente.", "تبيع محلياً.")],
    },
    "what_it_protects": "Nothing by itself: it leads to national patents.",
    "costs": {"text": "International filing fee and national phase fees."},
    "duration": {"text": "Up to 30 months before the national phase."},
    "steps": ["File a national application.", "File the PCT application within 12 months."],
    "deadlines": {"text": "30 months from the priority date for the national phase."},
    "common_mistakes": ["Missing the 30-month limit."],
    "help": [],
    "related": ["patents"],
    "facts": [],
}


def write_topic(directory: Path, data: dict) -> Path:
    path = directory / f"{data['slug']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def valid_topic(**changes: object) -> dict:
    """A copy of the `patents` topic with top-level keys replaced."""
    data = copy.deepcopy(PATENTS)
    data.update(changes)
    return data


@pytest.fixture
def topic_content(tmp_path, settings):
    """A content directory with `patents` and `pct`, in use for the test."""
    directory = tmp_path / "content"
    directory.mkdir()
    write_topic(directory, PATENTS)
    write_topic(directory, PCT)
    settings.GUIDANCE_CONTENT_DIR = directory
    topics.clear_cache()
    yield directory
    topics.clear_cache()
