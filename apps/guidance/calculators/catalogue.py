"""The calculators the portal offers, for their index page (`/guidance/calculators/`), the calculators'
menu and the topic pages. Guidance registers its own; an app above it (programmes: the ADR fee estimate)
registers its calculator from its AppConfig.ready(), so guidance names no app above it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Calculator:
    url_name: str
    title: str | Promise  # short: the menu's label
    question: str | Promise  # what it answers, in the user's words
    topics: tuple[str, ...]  # guidance topic slugs whose pages link to it
    order: int


_registered: dict[str, Calculator] = {}


def register_calculator(*calculators: Calculator) -> None:
    for calculator in calculators:
        _registered[calculator.url_name] = calculator


def registered_calculators() -> list[Calculator]:
    return sorted(_registered.values(), key=lambda calculator: (calculator.order, calculator.url_name))


def calculators_shown() -> list[dict[str, object]]:
    """The calculators whose page exists, with their address: `url`, `title`, `question`, `topics`."""
    shown = []
    for calculator in registered_calculators():
        try:
            url = reverse(calculator.url_name)
        except NoReverseMatch:
            continue
        shown.append(
            {"url": url, "title": calculator.title, "question": calculator.question, "topics": calculator.topics}
        )
    return shown


def calculators_for_topic(slug: str) -> list[dict[str, object]]:
    return [calculator for calculator in calculators_shown() if slug in calculator["topics"]]


def register_guidance_calculators() -> None:
    register_calculator(
        Calculator(
            "guidance:pct-deadlines",
            _("PCT time limits"),
            _("When must I enter the national phase, and what is due before then?"),
            ("pct", "patents"),
            order=10,
        ),
        Calculator(
            "guidance:pct-fees",
            _("PCT fees"),
            _("What does an international patent application cost to file?"),
            ("pct", "patents"),
            order=20,
        ),
        Calculator(
            "guidance:madrid-fees",
            _("Madrid (trademark) fees"),
            _("What does protecting my trademark abroad through Madrid cost?"),
            ("madrid", "trademarks"),
            order=30,
        ),
        Calculator(
            "guidance:hague-fees",
            _("Hague (design) fees"),
            _("What does protecting my designs abroad through Hague cost?"),
            ("hague", "industrial-designs"),
            order=40,
        ),
        Calculator(
            "guidance:route-comparison",
            _("Route comparison"),
            _("Is it cheaper to file in each country or through WIPO's international route?"),
            ("pct", "madrid", "hague", "patents", "trademarks", "industrial-designs"),
            order=50,
        ),
    )
