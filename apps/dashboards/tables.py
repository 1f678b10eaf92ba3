"""The dashboards' tables: what each one counts by, and how its rows are labelled.

A `Breakdown` names a category of the summary tables and gives its values' labels in the active language,
in the order the tables show them (values as `apps.dashboards.models.encode` writes them: text, digits). Both
dashboards, the CSV downloads and the charts read these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.core.countries import country_name
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
    # the value (one MSME may hold several kinds: the rows do not add up).
    source: str = "msmes"

    @property
    def additive(self) -> bool:
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
        "ip-years",
        "filing_year",
        _("MSMEs with IP filed each year"),
        _("Filed in"),
        _year_labels,
        source="assets",
    ),
)
BY_SLUG = {breakdown.slug: breakdown for breakdown in (*BREAKDOWNS, *ASSET_BREAKDOWNS)}
# Division analysts see the countries side by side; a region is a part of one country, too fine for them.
DIVISION_BREAKDOWNS = (
    *(b for b in BREAKDOWNS if b.slug != "region"),
    *(b for b in ASSET_BREAKDOWNS if b.slug != "ip-years"),
)
DIVISION_BY_SLUG = {breakdown.slug: breakdown for breakdown in DIVISION_BREAKDOWNS}
MONTHS_SLUG = "registrations"
