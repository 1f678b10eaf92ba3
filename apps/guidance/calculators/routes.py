"""Route comparison: national filings in each chosen country against the international route (Madrid, Hague, PCT).

National fees come from data/national_fees.json and stay in each office's own currency: they are never
converted, so totals are given per currency. The international route is priced by the fee calculators
(fees.py), in Swiss francs. A country without documented figures is shown as "no data", never as zero.
The functions refuse inputs they cannot price with ValueError; the form and serializer check them first.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.guidance.calculators import fees

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "national_fees.json"
RIGHTS = ("mark", "design", "invention")
RIGHT_LABELS = {
    "mark": gettext_lazy("Brand (trade mark)"),
    "design": gettext_lazy("Design"),
    "invention": gettext_lazy("Invention (patent)"),
}
INTERNATIONAL_SYSTEMS = {"mark": "madrid", "design": "hague", "invention": "pct"}


@dataclass(frozen=True)
class NationalFiling:
    """One country's national (or regional) filing, or the fact that no figure is documented for it."""

    country: str
    country_name: str
    office: str | None = None
    label: str | None = None
    currency: str | None = None
    amount: Decimal | None = None
    source: str | None = None
    url: str | None = None
    applies_from: date | None = None
    verified: str | None = None

    @property
    def has_data(self) -> bool:
        return self.amount is not None


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    total: Decimal


@dataclass(frozen=True)
class InternationalRoute:
    system: str
    name: str
    result: fees.FeeResult | None
    covered: list[str]
    not_covered: list[str]
    notes: list[str]

    @property
    def total(self) -> Decimal | None:
        return self.result.total if self.result else None


@dataclass(frozen=True)
class RouteComparison:
    right: str
    countries: list[str]
    national: list[NationalFiling]
    national_totals: list[CurrencyTotal]
    international: InternationalRoute
    national_fits: list[str] = field(default_factory=list)
    international_fits: list[str] = field(default_factory=list)

    @property
    def national_missing(self) -> list[str]:
        return [filing.country for filing in self.national if not filing.has_data]


# --- Data ---------------------------------------------------------------------------------------


@cache
def national_data() -> dict[str, Any]:
    """The national fee data file, read once."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def national_offices() -> dict[str, dict[str, Any]]:
    return {office["country"]: office for office in national_data()["offices"]}


def national_note() -> str:
    return _(national_data()["about"])


@cache
def _country_names() -> dict[str, str]:
    # The same code can appear in several lists; the national data's name wins, then Madrid's, then Hague's.
    names: dict[str, str] = {}
    for office in fees.hague_offices() + fees.madrid_offices():
        names[office["code"]] = office["name"]
    for office in national_data()["offices"]:
        names[office["country"]] = office["country_name"]
    return names


def route_countries() -> list[tuple[str, str]]:
    """(code, English name) of every country documented in one of the data files, sorted by code.

    Any other code is refused: the comparison cannot say anything about it.
    """
    return sorted(_country_names().items())


def route_country_codes() -> list[str]:
    return [code for code, _name in route_countries()]


def country_name(code: str) -> str:
    return _(_country_names()[code])


def national_fee(entry: Mapping[str, Any], count: int) -> Decimal:
    """One office's fee for `count` units (classes, designs or applications).

    `first` covers `included` units; each further `block` of units (default 1) costs the next amount of `steps`,
    the last amount repeating; `single` (if given) is the fee for exactly one unit.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    if count == 1 and entry.get("single"):
        return Decimal(entry["single"])
    extra = max(0, count - entry["included"])
    blocks = math.ceil(extra / entry.get("block", 1))
    steps = [Decimal(step) for step in entry.get("steps", [])]
    if blocks and not steps:
        raise ValueError("this fee covers one unit only")
    return Decimal(entry["first"]) + sum((steps[min(i, len(steps) - 1)] for i in range(blocks)), Decimal("0"))


def _national_filing(code: str, right: str, count: int) -> NationalFiling:
    office = national_offices().get(code)
    entry = office["fees"].get(right) if office else None
    if entry is None:
        return NationalFiling(country=code, country_name=country_name(code))
    return NationalFiling(
        country=code,
        country_name=country_name(code),
        office=_(office["office"]),
        label=_(entry["label"]),
        currency=entry["currency"],
        amount=national_fee(entry, count).quantize(fees.CENT),
        source=entry["source"],
        url=entry["url"],
        applies_from=date.fromisoformat(entry["applies_from"]) if entry["applies_from"] else None,
        verified=entry["verified"],
    )


def _currency_totals(filings: Sequence[NationalFiling]) -> list[CurrencyTotal]:
    totals: dict[str, Decimal] = {}
    for filing in filings:
        if filing.has_data:
            totals[filing.currency] = totals.get(filing.currency, Decimal("0")) + filing.amount
    return [CurrencyTotal(currency, total.quantize(fees.CENT)) for currency, total in sorted(totals.items())]


# --- International routes -----------------------------------------------------------------------


def _names(codes: Sequence[str]) -> str:
    return ", ".join(codes)


def _madrid(countries: Sequence[str], *, classes: int, colour: bool) -> InternationalRoute:
    documented = set(fees.madrid_office_codes())
    covered = [code for code in countries if code in documented]
    not_covered = [code for code in countries if code not in documented]
    notes = [
        _(
            "Madrid needs a basic mark: an application or registration for the same mark at your own office "
            "(the office of origin), which also charges a handling fee not shown here."
        )
    ]
    if not_covered:
        notes.append(
            _(
                "Not counted: %(codes)s. Whether they are Madrid members and what they charge is not documented "
                "here; if any of them takes the complementary fee, the supplementary fee for each class beyond "
                "three is also due."
            )
            % {"codes": _names(not_covered)}
        )
    result = None
    if covered:
        result = fees.madrid_fees(colour=colour, classes=classes, designations=covered, ldc=False)
    else:
        notes.append(_("None of the chosen countries has a documented Madrid individual fee, so no total is given."))
    return InternationalRoute("madrid", _("Madrid System (WIPO)"), result, covered, not_covered, notes)


def _hague(countries: Sequence[str], *, designs: int, reproductions: int) -> InternationalRoute:
    documented = set(fees.hague_office_codes())
    covered = [code for code in countries if code in documented]
    not_covered = [code for code in countries if code not in documented]
    notes = []
    if not_covered:
        notes.append(
            _(
                "Not counted: %(codes)s. Whether they are Hague members and which designation fee they take is not "
                "documented here, so the total leaves them out."
            )
            % {"codes": _names(not_covered)}
        )
    result = None
    if covered:
        result = fees.hague_fees(
            designs=designs,
            reproductions=reproductions,
            extra_pages=0,
            standard_level_designations={},
            individual_designations=covered,
        )
    else:
        notes.append(_("None of the chosen countries has a documented Hague designation fee, so no total is given."))
    return InternationalRoute("hague", _("Hague System (WIPO)"), result, covered, not_covered, notes)


def _pct(countries: Sequence[str], *, sheets: int, efiling: str) -> InternationalRoute:
    notes = [
        _(
            "This is only the international filing fee. The transmittal fee and the international search fee "
            "depend on the receiving Office and the search authority and are not included."
        ),
        _(
            "The PCT does not replace the national filings: it defers them. At 30 months from the priority date "
            "(31 at some offices) you enter the national phase in each country and pay its national fees, "
            "translations and local agents then."
        ),
    ]
    result = fees.pct_fees(sheets=sheets, efiling=efiling, reduction="none")
    return InternationalRoute("pct", _("Patent Cooperation Treaty (PCT)"), result, [], list(countries), notes)


# --- When each route fits -----------------------------------------------------------------------


def _fits(right: str) -> tuple[list[str], list[str]]:
    national = [
        _("Fits one or two countries, or a country that is not a member of the international system."),
        _("Each office is used directly, in its own language and currency, usually through a local agent."),
    ]
    if right == "mark":
        international = [
            _("One application, in one language (English, French or Spanish), with one set of fees in Swiss francs."),
            _("One registration to renew and to change (owner, address) centrally, and countries can be added later."),
            _(
                "For five years it depends on your basic mark: if that falls, the international registration falls "
                "with it (it can be turned into national applications)."
            ),
        ]
        national.append(_("Independent of your home registration, and needed where you have no basic mark yet."))
    elif right == "design":
        international = [
            _("One application for up to 100 designs of the same class, with one set of fees in Swiss francs."),
            _("No earlier national application is needed, and renewals are managed centrally."),
            _("Each designated office may still refuse protection under its own law."),
        ]
        national.append(_("Fits where an office has requirements the international application does not meet."))
    else:
        international = [
            _("One application, in one language, keeps the option to protect the invention in over 150 countries."),
            _(
                "You get an international search report before the main costs, and 30 months to decide where to "
                "go. There is no international patent: grants stay national."
            ),
        ]
        national.append(_("Cheaper and faster overall when you already know the one or two countries you need."))
    return national, international


# --- The comparison -----------------------------------------------------------------------------


def compare_routes(
    *,
    right: str,
    countries: Sequence[str],
    classes: int = 1,
    colour: bool = False,
    designs: int = 1,
    reproductions: int | None = None,
    sheets: int = 30,
    efiling: str = "none",
) -> RouteComparison:
    """National filings in each country next to the international route for `right` (mark, design, invention).

    `classes` and `colour` count for marks, `designs` and `reproductions` (default: one per design) for designs,
    `sheets` and `efiling` for inventions. Countries are ISO codes from route_country_codes(); repeats are dropped.
    """
    if right not in RIGHTS:
        raise ValueError(f"unknown right: {right}")
    codes = list(dict.fromkeys(countries))
    if not codes:
        raise ValueError("choose at least one country")
    known = set(route_country_codes())
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValueError(f"unknown or undocumented countries: {', '.join(unknown)}")
    if not 1 <= classes <= fees.MAX_CLASSES:
        raise ValueError("classes must be between 1 and 45")
    if reproductions is None:
        reproductions = designs
    if not 1 <= designs <= fees.fee_data()["hague"]["max_designs"] or reproductions < 0 or sheets < 1:
        raise ValueError("counts out of range")

    count = {"mark": classes, "design": designs, "invention": 1}[right]
    national = [_national_filing(code, right, count) for code in codes]
    if right == "mark":
        international = _madrid(codes, classes=classes, colour=colour)
    elif right == "design":
        international = _hague(codes, designs=designs, reproductions=reproductions)
    else:
        international = _pct(codes, sheets=sheets, efiling=efiling)
    national_fits, international_fits = _fits(right)
    return RouteComparison(
        right=right,
        countries=codes,
        national=national,
        national_totals=_currency_totals(national),
        international=international,
        national_fits=national_fits,
        international_fits=international_fits,
    )
