"""International Bureau fees in Swiss francs for the PCT, Madrid and Hague systems (figures: data/fees.json).

Each line of a result carries the schedule it comes from, the date it applies from (None where no source with a
date was found) and what was found when it was checked. The functions refuse inputs they cannot price with
ValueError; the forms and serializers check the inputs first and name the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "fees.json"
CENT = Decimal("0.01")

EFILING_OPTIONS = ("none", "pdf", "xml", "character_coded")
PCT_REDUCTIONS = ("none", "natural_person_eligible_state", "ldc")
HAGUE_LEVELS = (1, 2, 3)
MAX_CLASSES = 45  # the Nice Classification has 45 classes
# The largest count any input takes (sheets, reproductions, designated parties): no real filing comes near
# it, and it keeps every total inside the amounts the API answers with.
MAX_COUNT = 10_000


@dataclass(frozen=True)
class FeeLine:
    label: str
    amount: Decimal
    source: str
    applies_from: date | None
    verified: str


@dataclass(frozen=True)
class FeeResult:
    schedule: str
    lines: list[FeeLine]
    currency: str = "CHF"

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0")).quantize(CENT)


@cache
def fee_data() -> dict[str, Any]:
    """The data file, read once."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _line(entry: Mapping[str, Any], amount: Decimal, label: str | None = None) -> FeeLine:
    return FeeLine(
        label=label if label is not None else _(entry["label"]),
        amount=amount.quantize(CENT),
        source=entry["source"],
        applies_from=_date(entry["applies_from"]),
        verified=entry["verified"],
    )


def _times(label: str, count: int, amount: object) -> str:
    return _("%(label)s: %(count)s x CHF %(amount)s") % {"label": _(label), "count": count, "amount": amount}


def madrid_offices() -> list[dict[str, Any]]:
    """The offices whose individual fee is documented in the data file; any other code is an error."""
    return fee_data()["madrid"]["individual_fees"]["offices"]


def madrid_office_codes() -> list[str]:
    return [office["code"] for office in madrid_offices()]


def madrid_offices_note() -> str:
    return _(fee_data()["madrid"]["individual_fees"]["about"])


def hague_offices() -> list[dict[str, Any]]:
    """The Hague parties whose individual designation fee is documented in the data file."""
    return fee_data()["hague"]["individual_fees"]["offices"]


def hague_office_codes() -> list[str]:
    return [office["code"] for office in hague_offices()]


def hague_offices_note() -> str:
    return _(fee_data()["hague"]["individual_fees"]["about"])


# --- PCT ----------------------------------------------------------------------------------------


def pct_fees(*, sheets: int, efiling: str, reduction: str) -> FeeResult:
    """The PCT international filing fee: base fee, per-sheet fee over 30, e-filing reduction, then the 90% one.

    The 90% reduction is worked out on the fee after the e-filing reduction (WIPO PCT Fee Tables).
    """
    if sheets < 1:
        raise ValueError("sheets must be at least 1")
    if efiling not in EFILING_OPTIONS:
        raise ValueError(f"unknown efiling option: {efiling}")
    if reduction not in PCT_REDUCTIONS:
        raise ValueError(f"unknown reduction: {reduction}")
    pct = fee_data()["pct"]
    base, per_sheet = pct["international_filing_fee"], pct["sheet_fee"]
    lines = [_line(base, Decimal(base["amount"]))]
    extra_sheets = max(0, sheets - per_sheet["sheets_included"])
    if extra_sheets:
        label = _times(per_sheet["label"], extra_sheets, per_sheet["amount"])
        lines.append(_line(per_sheet, extra_sheets * Decimal(per_sheet["amount"]), label))
    if efiling != "none":
        entry = pct["efiling_reductions"][efiling]
        lines.append(_line(entry, -Decimal(entry["amount"])))
    if reduction != "none":
        entry = pct["reductions"][reduction]
        subtotal = sum((line.amount for line in lines), Decimal("0"))
        lines.append(_line(entry, -(subtotal * Decimal(entry["percent"]) / 100)))
    return FeeResult(schedule=_(pct["schedule"]), lines=lines)


# --- Madrid -------------------------------------------------------------------------------------


def _individual_fee(office: Mapping[str, Any], classes: int) -> Decimal:
    extra = max(0, classes - office["classes_in_first"])
    return Decimal(office["first"]) + extra * Decimal(office["each_additional_class"])


def madrid_fees(
    *, colour: bool, classes: int, designations: Sequence[str], ldc: bool, complementary_designations: int = 0
) -> FeeResult:
    """Fees of an international trademark application.

    `designations`: codes of designated parties that take an individual fee (only those of the data file);
    `complementary_designations`: how many designated parties take no individual fee (complementary fee each).
    The supplementary fee (each class beyond three) is not due when every designated party takes an individual fee.
    """
    if not 1 <= classes <= MAX_CLASSES:
        raise ValueError("classes must be between 1 and 45")
    if complementary_designations < 0:
        raise ValueError("complementary_designations must not be negative")
    by_code = {office["code"]: office for office in madrid_offices()}
    unknown = [code for code in designations if code not in by_code]
    if unknown:
        raise ValueError(f"unknown offices: {', '.join(unknown)}")
    if len(set(designations)) != len(designations):
        raise ValueError("an office is designated twice")
    if not designations and not complementary_designations:
        raise ValueError("designate at least one party")
    madrid = fee_data()["madrid"]
    basic = madrid["basic_fee"]["colour" if colour else "black_and_white"]
    lines = [_line(basic, Decimal(basic["amount"]))]
    if ldc:
        entry = madrid["ldc_reduction"]
        lines.append(_line(entry, -(Decimal(basic["amount"]) * Decimal(entry["percent"]) / 100)))
    supplementary = madrid["supplementary_fee"]
    extra_classes = max(0, classes - supplementary["classes_included"])
    if extra_classes and complementary_designations:
        label = _times(supplementary["label"], extra_classes, supplementary["amount"])
        lines.append(_line(supplementary, extra_classes * Decimal(supplementary["amount"]), label))
    if complementary_designations:
        complementary = madrid["complementary_fee"]
        label = _times(complementary["label"], complementary_designations, complementary["amount"])
        lines.append(_line(complementary, complementary_designations * Decimal(complementary["amount"]), label))
    for code in designations:
        office = by_code[code]
        label = _("Individual fee: %(name)s (%(code)s), %(classes)s classes") % {
            "name": _(office["name"]),
            "code": code,
            "classes": classes,
        }
        lines.append(_line(office, _individual_fee(office, classes), label))
    return FeeResult(schedule=_(madrid["schedule"]), lines=lines)


# --- Hague --------------------------------------------------------------------------------------


def hague_fees(
    *,
    designs: int,
    reproductions: int,
    extra_pages: int,
    standard_level_designations: Mapping[int, int],
    individual_designations: Sequence[str] = (),
) -> FeeResult:
    """Fees of an international design application: basic, publication and designation fees.

    `standard_level_designations`: how many designated parties take the standard designation fee, by level (1-3).
    `individual_designations`: codes of designated parties that take an individual designation fee (only those of
    the data file; any other code is an error rather than a zero).
    """
    hague = fee_data()["hague"]
    if not 1 <= designs <= hague["max_designs"]:
        raise ValueError("designs must be between 1 and 100")
    if reproductions < 0 or extra_pages < 0:
        raise ValueError("counts must not be negative")
    if any(level not in HAGUE_LEVELS or count < 0 for level, count in standard_level_designations.items()):
        raise ValueError("unknown level or negative count")
    by_code = {office["code"]: office for office in hague_offices()}
    unknown = [code for code in individual_designations if code not in by_code]
    if unknown:
        raise ValueError(f"unknown offices: {', '.join(unknown)}")
    if len(set(individual_designations)) != len(individual_designations):
        raise ValueError("an office is designated twice")
    further = designs - 1
    basic, basic_more = hague["basic_fee"], hague["basic_fee_additional"]
    lines = [_line(basic, Decimal(basic["amount"]))]
    if further:
        label = _times(basic_more["label"], further, basic_more["amount"])
        lines.append(_line(basic_more, further * Decimal(basic_more["amount"]), label))
    for key, count in (
        (hague["publication_per_reproduction"], reproductions),
        (hague["publication_per_page"], extra_pages),
    ):
        if count:
            label = _times(key["label"], count, key["amount"])
            lines.append(_line(key, count * Decimal(key["amount"]), label))
    for level in HAGUE_LEVELS:
        count = standard_level_designations.get(level, 0)
        if count:
            entry = hague["standard_designation_fees"][str(level)]
            per_party = Decimal(entry["first"]) + further * Decimal(entry["each_additional"])
            label = _times(entry["label"], count, per_party)
            lines.append(_line(entry, count * per_party, label))
    for code in individual_designations:
        office = by_code[code]
        amount = Decimal(office["first"]) + further * Decimal(office["each_additional_design"])
        label = _("Individual designation fee: %(name)s (%(code)s), %(designs)s designs") % {
            "name": _(office["name"]),
            "code": code,
            "designs": designs,
        }
        lines.append(_line(office, amount, label))
    return FeeResult(schedule=_(hague["schedule"]), lines=lines)
