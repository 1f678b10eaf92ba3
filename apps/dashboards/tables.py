"""The dashboards' tables: what each one counts by, and how its rows are labelled.

A `Breakdown` names a category of the summary tables and gives its values' labels in the active language,
in the order the tables show them (values as `apps.dashboards.models.encode` writes them: text, digits). Both
dashboards, the CSV downloads and the charts read these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.countries import country_name
from apps.core.roles import Division
from apps.guidance.topics import TOPIC_SLUGS, get_topic, localized
from apps.registry.maturity import LEVEL_NAMES
from apps.registry.models import IpAsset, IsicCode
from apps.registry.rules import JURISDICTION_SYSTEMS, subdivisions
from apps.registry.sizing import SizeClass

NOT_GIVEN = _("Not given")


def _size_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    present = set(values)
    return [(value, str(label)) for value, label in SizeClass.choices if value in present]


def _section_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    titles = dict(IsicCode.objects.filter(level=IsicCode.Level.SECTION).values_list("code", "title"))
    return [(value, f"{value}: {titles.get(value, value)}") for value in sorted(set(values))]


def _maturity_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    present = set(values)
    levels = [(str(level), f"{level} {name}") for level, name in LEVEL_NAMES.items()]
    return [(value, label) for value, label in [("0", str(_("Not assessed"))), *levels] if value in present]


def _region_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    names = dict(subdivisions(country)) if country else {}
    labelled = [(value, names.get(value, value) if value else str(NOT_GIVEN)) for value in set(values)]
    return sorted(labelled, key=lambda pair: (pair[0] == "", pair[1]))


def _yes_no_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    present = set(values)
    return [(value, str(label)) for value, label in (("1", _("Yes")), ("0", _("No"))) if value in present]


@dataclass(frozen=True)
class Breakdown:
    slug: str  # in URLs: /dashboards/<slug>.csv
    column: str  # the summary tables' column
    title: Any
    heading: Any  # the table's first column
    labels: Callable[[Iterable[Any], str], list[tuple[Any, str]]] = field(repr=False)
    chart: str = "bar"
    every_value: tuple[Any, ...] = ()  # every value it can take (none for regions: each country has its own)
    # "msmes": the values split the MSMEs (rows add up to the total); "assets": MSMEs holding an IP asset with
    # the value (one MSME may hold several kinds: the rows do not add up); else a source of the services'
    # activity (apps.dashboards.activity.SOURCES), whose `metric` is counted by the category `column`, or whose
    # `metrics` are the rows (of every row of the source: `column` "all").
    source: str = "msmes"
    metric: str = ""
    metrics: tuple[str, ...] = ()
    adds_up: bool | None = None  # the rows split what the table counts (None: the MSMEs' tables do)
    # The only values the tables of every country show ("" included): a value the portal does not know (a
    # topic since removed, say) is counted under "" rather than shown as the text it is.
    known_values: tuple[str, ...] = ()

    @property
    def additive(self) -> bool:
        return self.source == "msmes" if self.adds_up is None else self.adds_up

    def shown_as(self, value: str) -> str:
        """The value the tables of every country count `value` under (see `known_values`)."""
        return value if not self.known_values or value in self.known_values else ""

    @property
    def counts_msmes(self) -> bool:
        """Its columns add up to each agency's MSMEs (the totals every such table shows alike)."""
        return self.source == "msmes"

    @property
    def value_labels(self) -> list[str]:
        """Its values' labels, for the data dictionary."""
        return [label for _, label in self.labels(self.every_value, "")]


BREAKDOWNS: tuple[Breakdown, ...] = (
    Breakdown(
        "size",
        "size_class",
        _("MSMEs by size class"),
        _("Size class"),
        _size_labels,
        every_value=tuple(SizeClass.values),
    ),
    Breakdown(
        "sector",
        "sector_section",
        _("MSMEs by sector (ISIC section)"),
        _("ISIC section"),
        _section_labels,
        every_value=tuple(chr(c) for c in range(ord("A"), ord("U") + 1)),
    ),
    Breakdown(
        "maturity",
        "maturity_level",
        _("MSMEs by IP maturity level"),
        _("IP maturity level"),
        _maturity_labels,
        every_value=("0", "1", "2", "3", "4", "5"),
    ),
    Breakdown("region", "region", _("MSMEs by region"), _("Region"), _region_labels),
    Breakdown(
        "spinoff",
        "spinoff",
        _("University spin-offs"),
        _("University spin-off"),
        _yes_no_labels,
        "doughnut",
        ("1", "0"),
    ),
    Breakdown(
        "informal",
        "informal",
        _("Informal economy"),
        _("In the informal economy"),
        _yes_no_labels,
        "doughnut",
        ("1", "0"),
    ),
    Breakdown("exporter", "exporter", _("Exporters"), _("Exports"), _yes_no_labels, "doughnut", ("1", "0")),
)


def _asset_type_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    present = set(values)
    return [(value, str(label)) for value, label in IpAsset.Type.choices if value in present]


def _asset_status_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    present = set(values)
    return [(value, str(label)) for value, label in IpAsset.Status.choices if value in present]


# The international systems by their names here; the codes (and the other offices', shown as they are) are
# the registry's (apps.registry.rules.JURISDICTION_SYSTEMS).
SYSTEM_NAMES = {
    "PCT": _("PCT (international patent application)"),
    "MADRID": _("Madrid (international mark)"),
    "HAGUE": _("Hague (international design)"),
}


def _jurisdiction_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    def label(value: str) -> str:
        if value in JURISDICTION_SYSTEMS:
            return str(SYSTEM_NAMES.get(value, value))
        return country_name(value) or str(NOT_GIVEN)

    return sorted(((v, label(v)) for v in set(values)), key=lambda p: (p[0] not in JURISDICTION_SYSTEMS, p[1]))


def _year_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    return sorted(
        ((value, value or str(_("No filing date"))) for value in set(values)), key=lambda p: (p[0] == "", p[0])
    )


def _nice_class_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    return [(value, _("Class %(number)s") % {"number": value}) for value in sorted(set(values), key=int)]


ASSET_BREAKDOWNS: tuple[Breakdown, ...] = (
    Breakdown(
        "ip-types",
        "asset_type",
        _("MSMEs holding or planning each kind of IP"),
        _("Kind of IP"),
        _asset_type_labels,
        every_value=tuple(IpAsset.Type.values),
        source="assets",
    ),
    Breakdown(
        "ip-routes",
        "jurisdiction",
        _("MSMEs with IP in each office or system"),
        _("Office or system"),
        _jurisdiction_labels,
        source="assets",
    ),
    Breakdown(
        "ip-status",
        "status",
        _("MSMEs with IP at each stage"),
        _("Stage"),
        _asset_status_labels,
        every_value=tuple(IpAsset.Status.values),
        source="assets",
    ),
    Breakdown(
        "ip-classes",
        "nice_class",
        _("MSMEs with a trademark in each Nice class"),
        _("Nice class"),
        _nice_class_labels,
        source="assets",
    ),
    Breakdown(
        "ip-years",
        "filing_year",
        _("MSMEs with IP filed each year"),
        _("Filed in"),
        _year_labels,
        source="assets",
    ),
)
BY_SLUG = {breakdown.slug: breakdown for breakdown in (*BREAKDOWNS, *ASSET_BREAKDOWNS)}


# --- The services' activity (apps.dashboards.activity) ------------------------------------------------------


def _topic_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    language = get_language() or "en"

    def label(slug: str) -> str:
        topic = get_topic(slug) if slug else None
        return localized(topic.title, language)[0] if topic is not None else slug or str(_("No topic, or another"))

    return sorted(((v, label(v)) for v in set(values)), key=lambda p: (p[0] == "", p[1].casefold()))


def _route_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    names = dict(Division.choices)
    labelled = [(v, str(names.get(v, v)) if v else str(_("The agency's own helpdesk"))) for v in set(values)]
    return sorted(labelled, key=lambda p: (p[0] != "", p[1]))


@dataclass(frozen=True)
class ChoiceLabels:
    """The labels of `choices` present among the values, in the choices' order (a class, not a closure: the
    tables of every country, which hold their breakdowns, are kept in the cache by pickling)."""

    choices: tuple[tuple[str, Any], ...]

    def __init__(self, choices: Iterable[tuple[str, Any]]) -> None:
        object.__setattr__(self, "choices", tuple(choices))

    def __call__(self, values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
        present = set(values)
        return [(value, str(label)) for value, label in self.choices if value in present]


def _month_labels(values: Iterable[Any], country: str) -> list[tuple[Any, str]]:
    return [(value, value) for value in sorted(set(values))]


# What each figure of the activity is called (a table's column, or a row where the figures are the rows).
METRIC_LABELS: dict[str, Any] = {
    "opened": _("Questions"),
    "answered": _("Answered"),
    "resolved": _("Resolved"),
    "sent": _("Sent"),
    "skipped": _("Not sent (skipped)"),
    "failed": _("Failed"),
    "queued": _("Waiting to be sent"),
    "sending": _("Being sent"),
    "unsubscribed": _("Unsubscribed after"),
    "msmes_reached": _("MSMEs reached by outreach"),
    "campaigns": _("Campaigns"),
    "confirmed": _("Registered"),
    "waiting": _("On a waiting list"),
    "cancelled": _("Cancelled"),
    "attended_yes": _("Attended"),
    "attended_no": _("Did not attend"),
    "msmes_registered": _("MSMEs registered for an event"),
    "events": _("Events"),
    "responses": _("Responses"),
    "msmes_answered": _("MSMEs that answered a survey"),
    "first": _("First diagnostic"),
    "up": _("Up a level"),
    "same": _("Same level"),
    "down": _("Down a level"),
    "msmes_assessed": _("MSMEs assessed"),
    "msmes_up": _("MSMEs above their first level"),
}
MOVEMENTS = ("first", "up", "same", "down")
OUTREACH_FIGURES = ("msmes_reached", "sent", "skipped", "failed", "unsubscribed")
EVENT_FIGURES = ("msmes_registered", "confirmed", "attended_yes")


def _metric_labels(metrics: tuple[str, ...]) -> ChoiceLabels:
    return ChoiceLabels([(metric, METRIC_LABELS[metric]) for metric in metrics])


ACTIVITY_BREAKDOWNS: tuple[Breakdown, ...] = (
    Breakdown(
        "help-topics",
        "topic",
        _("Helpdesk questions by topic"),
        _("Topic"),
        _topic_labels,
        every_value=TOPIC_SLUGS,
        source="tickets",
        metric="opened",
        adds_up=True,
        known_values=("", *TOPIC_SLUGS),
    ),
    Breakdown(
        "help-routes",
        "route",
        _("Helpdesk questions by who answers them"),
        _("Answered by"),
        _route_labels,
        source="tickets",
        metric="opened",
        adds_up=True,
        known_values=("", *Division.values),
    ),
    # Without the first diagnostics, nor totals: the MSMEs with a first diagnostic are about those with a
    # maturity level, and with the MSMEs' total they would give the count of those "not assessed" away.
    Breakdown(
        "maturity-moves",
        "all",
        _("Diagnostics taken again, by how the MSME's maturity level moved"),
        _("Since the MSME's previous diagnostic"),
        _metric_labels(MOVEMENTS[1:]),
        every_value=MOVEMENTS[1:],
        source="diagnostics",
        metrics=MOVEMENTS[1:],
        adds_up=False,
    ),
    Breakdown(
        "outreach",
        "all",
        _("Outreach: MSMEs reached and messages"),
        _("Figure"),
        _metric_labels(OUTREACH_FIGURES),
        every_value=OUTREACH_FIGURES,
        source="outreach",
        metrics=OUTREACH_FIGURES,
        adds_up=False,
    ),
    Breakdown(
        "events",
        "all",
        _("Events: MSMEs registered and attendance"),
        _("Figure"),
        _metric_labels(EVENT_FIGURES),
        every_value=EVENT_FIGURES,
        source="events",
        metrics=EVENT_FIGURES,
        adds_up=False,
    ),
)
ACTIVITY_BY_SLUG = {breakdown.slug: breakdown for breakdown in ACTIVITY_BREAKDOWNS}
# Division analysts see the countries side by side; a region is a part of one country, and the filing years
# and Nice classes split it finer than their tables need (each would be mostly "<5").
DIVISION_BREAKDOWNS = (
    *(b for b in BREAKDOWNS if b.slug != "region"),
    *(b for b in ASSET_BREAKDOWNS if b.slug not in ("ip-years", "ip-classes")),
    *ACTIVITY_BREAKDOWNS,
)
DIVISION_BY_SLUG = {breakdown.slug: breakdown for breakdown in DIVISION_BREAKDOWNS}
MONTHS_SLUG = "registrations"
