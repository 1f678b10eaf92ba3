"""A fee estimate for a procedure of the WIPO Arbitration and Mediation Center, in US dollars (figures:
data/adr_fees.json).

Each line carries its schedule, the date it applies from (None: no dated source was found) and what was found
when it was checked, like the guidance's fee calculators. What the Center sets case by case (arbitrator and
mediator fees, expert determination, domain-name cases over ten names) is never a line: it is a note, outside
the total. Inputs that cannot be priced raise ValueError; the form and the serializer check them first.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.guidance.calculators.fees import CENT, FeeLine, FeeResult, _date

DATA_FILE = Path(__file__).resolve().parent / "data" / "adr_fees.json"
PROCEDURES = ("mediation", "arbitration", "expedited_arbitration", "expert_determination", "udrp")
PANELISTS = (1, 3)
MAX_AMOUNT = Decimal("1000000000000")  # a trillion dollars: far above any dispute, and inside the answer's digits
MAX_DOMAINS = 10_000
NEEDS_AMOUNT = ("mediation", "arbitration", "expedited_arbitration")

# The data file's English texts, marked for makemessages (tests/programmes checks that each is listed).
DATA_FILE_TEXTS = (
    gettext_noop("WIPO Schedule of Fees and Costs: Arbitration"),
    gettext_noop("WIPO Schedule of Fees and Costs: Expedited Arbitration"),
    gettext_noop("WIPO Schedule of Fees and Costs: Mediation"),
    gettext_noop("WIPO Schedule of Fees and Costs: Expert Determination"),
    gettext_noop("WIPO Schedule of Fees under the UDRP"),
    gettext_noop("Registration fee"),
    gettext_noop("Administration fee"),
    gettext_noop("Arbitrator fees"),
    gettext_noop("Arbitrator fee (fixed)"),
    gettext_noop("Reduction for users of the PCT, Madrid or Hague systems (25%)"),
    gettext_noop(
        "Arbitrator fees: as agreed by the Center with the parties and the arbitrators; indicative rates USD 300 "
        "to 600 an hour (not in the total)."
    ),
    gettext_noop(
        "Arbitrator fee over USD 10 million in dispute: as agreed by the Center with the parties and the "
        "arbitrator (not in the total)."
    ),
    gettext_noop(
        "Mediator fees: as agreed by the Center with the parties and the mediator, by the hour or the day (not in "
        "the total)."
    ),
    gettext_noop(
        "Expert determination: the Center's schedule could not be checked for this estimate; it sets "
        "registration, administration and expert fees with the parties. Ask the Center for a quote."
    ),
    gettext_noop("More than 10 domain names: the fee is decided in consultation with the Center (not in the total)."),
    gettext_noop(
        "The reduction is on the Center's administration fee; it does not apply to arbitrator or mediator fees, "
        "nor to the fixed domain-name fees."
    ),
    gettext_noop("Good Offices are free: 'This WIPO service is not subject to any fees.'"),
)


@dataclass(frozen=True)
class AdrFeeResult(FeeResult):
    """The priced lines and total, and the notes on what the total leaves out."""

    notes: tuple[str, ...] = ()


@cache
def fee_data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def _line(entry: Mapping[str, Any], amount: Decimal, label: str) -> FeeLine:
    return FeeLine(
        label=label,
        amount=amount.quantize(CENT),
        source=entry["source"],
        applies_from=_date(entry.get("applies_from")),
        verified=entry["verified"],
    )


def banded(entry: Mapping[str, Any], amount: Decimal) -> Decimal | None:
    """The fee of the band `amount` falls in (bands are totals, never added up); over the last band, the
    base plus a percent of what is over it (or of the whole amount), up to the maximum; None when the
    schedule has nothing over its last band."""
    bands = entry["bands"]
    for band in bands:
        if amount <= Decimal(band["up_to"]):
            return Decimal(band["amount"])
    over = entry.get("over_top")
    if over is None:
        return None
    top = Decimal(bands[-1]["up_to"])
    counted = amount if over.get("of_whole") else amount - top
    fee = Decimal(over["base"]) + counted * Decimal(over["percent"]) / 100
    return min(fee, Decimal(over["maximum"]))


def adr_fees(
    *, procedure: str, amount: Decimal | None = None, domains: int = 1, panelists: int = 1, reduction: bool = False
) -> AdrFeeResult:
    """The Center's fees for `procedure` and `amount` in dispute (USD), or for a UDRP case of `domains` domain
    names before `panelists` panelists; `reduction` for a party that uses the PCT, Madrid or Hague."""
    if procedure not in PROCEDURES:
        raise ValueError(f"unknown procedure: {procedure}")
    data = fee_data()
    if procedure == "udrp":
        return _udrp(data, domains=domains, panelists=panelists, reduction=reduction)
    schedule = data[procedure]
    if procedure == "expert_determination":
        return AdrFeeResult(schedule=_(schedule["schedule"]), lines=[], currency="USD", notes=(_(schedule["note"]),))
    if amount is None or amount < 0 or amount > MAX_AMOUNT:
        raise ValueError("amount must be given, from 0 to MAX_AMOUNT")
    lines, notes = [], []
    if "registration" in schedule:
        entry = schedule["registration"]
        lines.append(_line(entry, Decimal(entry["amount"]), _(entry["label"])))
    administration = schedule["administration"]
    admin_fee = banded(administration, amount)
    lines.append(_line(administration, admin_fee, _(administration["label"])))
    if reduction and procedure in data["reduction"]["applies_to"]:
        entry = data["reduction"]
        lines.append(_line(entry, -(admin_fee * Decimal(entry["percent"]) / 100), _(entry["label"])))
        notes.append(_(entry["note"]))
    arbitrator = schedule.get("arbitrator")
    if arbitrator is not None and "bands" in arbitrator:
        fixed = banded(arbitrator, amount)
        if fixed is not None:
            lines.append(_line(arbitrator, fixed, _(arbitrator["label"])))
        else:
            notes.append(_(arbitrator["note"]))
    elif arbitrator is not None:
        notes.append(_(arbitrator["note"]))
    if "mediator" in schedule:
        notes.append(_(schedule["mediator"]["note"]))
    return AdrFeeResult(schedule=_(schedule["schedule"]), lines=lines, currency="USD", notes=tuple(notes))


def _udrp(data: Mapping[str, Any], *, domains: int, panelists: int, reduction: bool) -> AdrFeeResult:
    if not 1 <= domains <= MAX_DOMAINS:
        raise ValueError("domains must be from 1 to MAX_DOMAINS")
    if panelists not in PANELISTS:
        raise ValueError("panelists must be 1 or 3")
    schedule = data["udrp"]
    notes = [_(data["reduction"]["note"])] if reduction else []
    for band in schedule["bands"]:
        if domains <= band["domains_up_to"] and band["panelists"] == panelists:
            label = _("Fee for %(domains)s domain name(s), %(panelists)s panelist(s)") % {
                "domains": domains,
                "panelists": panelists,
            }
            line = _line(schedule, Decimal(band["amount"]), label)
            return AdrFeeResult(schedule=_(schedule["schedule"]), lines=[line], currency="USD", notes=tuple(notes))
    notes.insert(0, _(schedule["note"]))
    return AdrFeeResult(schedule=_(schedule["schedule"]), lines=[], currency="USD", notes=tuple(notes))


def good_offices_note() -> str:
    return _(fee_data()["good_offices"]["note"])
