"""International Bureau fees in Swiss francs for the PCT, Madrid and Hague systems (figures: data/fees.json), and
for the PCT what else the receiving Office collects: its transmittal fee and the search fee of the International
Searching Authority (figures: data/pct_office_fees.json, the WIPO PCT Applicant's Guide's Annexes C and D).

Each line of a result carries the schedule it comes from, the date it applies from (None where no source with a
date was found) and what was found when it was checked. The functions refuse inputs they cannot price with
ValueError; the forms and serializers check the inputs first and name the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import get_language_bidi
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
    """One fee. `amount` None: not known in the result's currency (the total leaves it out; `note` says why)."""

    label: str
    amount: Decimal | None
    source: str
    applies_from: date | None
    verified: str
    note: str = ""
    url: str = ""


@dataclass(frozen=True)
class FeeResult:
    schedule: str
    lines: list[FeeLine]
    currency: str = "CHF"

    @property
    def total(self) -> Decimal:
        """The sum of the known amounts (a line of unknown amount is left out, and says so)."""
        return sum((line.amount for line in self.lines if line.amount is not None), Decimal("0")).quantize(CENT)


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

OFFICE_DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "pct_office_fees.json"
DEFAULT_RECEIVING_OFFICE = "IB"
STANDARD_OPTION = "standard"
PLAIN_AMOUNT = re.compile(r"[\d,.]+ [A-Z]{3}")


@dataclass(frozen=True)
class PctFeeResult(FeeResult):
    """The PCT fees; with a receiving Office, what is paid to it (filing, transmittal and search fees).

    `left_out`: the fees the total does not count because their amount is not known (or no Authority was chosen);
    `notes`: what is converted, unknown or not applied, in words.
    """

    receiving_office: str = ""
    receiving_office_name: str = ""
    isa: str = ""
    left_out: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.left_out

    @property
    def total_note(self) -> str:
        if not self.left_out:
            return ""
        return _("Leaves out: %(fees)s.") % {"fees": "; ".join(self.left_out)}


@cache
def pct_office_data() -> dict[str, Any]:
    """The receiving Offices' transmittal fees and the Authorities' search fees (data/pct_office_fees.json)."""
    with OFFICE_DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def receiving_offices() -> list[dict[str, Any]]:
    return pct_office_data()["receiving_offices"]


def receiving_office_codes() -> list[str]:
    return [office["code"] for office in receiving_offices()]


def find_receiving_office(code: str) -> dict[str, Any] | None:
    return next((office for office in receiving_offices() if office["code"] == code), None)


def receiving_office_label(office: Mapping[str, Any]) -> str:
    return f"{_(office['name'])} ({office['code']})"


def search_authority_label(isa: Mapping[str, Any]) -> str:
    return f"{isa['code']} - {_(isa['name'])}"


def search_authorities() -> list[dict[str, Any]]:
    return pct_office_data()["isas"]


def search_authority_codes() -> list[str]:
    return [isa["code"] for isa in search_authorities()]


def find_search_authority(code: str) -> dict[str, Any] | None:
    return next((isa for isa in search_authorities() if isa["code"] == code), None)


def parse_isa(value: str) -> tuple[str, str | None]:
    """'jp:EN' -> ('JP', 'en'); 'EP' -> ('EP', None)."""
    code, _sep, option = value.strip().partition(":")
    return code.strip().upper(), (option.strip().lower() or None)


def _option_value(isa: Mapping[str, Any], option: Mapping[str, Any]) -> str:
    """The value that picks an option: the bare code for the Authority's standard amount, else CODE:option."""
    return isa["code"] if option["key"] == isa["search_fee"]["default"] else f"{isa['code']}:{option['key']}"


def _money(currency: str, amount: Decimal | str) -> str:
    return f"{currency} {number_format(Decimal(amount), force_grouping=True)}"


def _english(text: str) -> str:
    """English text of a source (an Annex's words, its name) set into a translated sentence. In a right-to-left
    language it is isolated (Unicode's first strong isolate), so that it reads left to right as a whole and the
    sentence's quotation marks stay on its sides: without it, a quote that starts with a Latin letter or a number
    takes its opening mark into its own left-to-right run, on its left, pointing the same way as the closing
    one. The note is plain text (the pages and the API show it), so the isolate is in the text."""
    return f"\u2068{text}\u2069" if get_language_bidi() else text


def isa_choices() -> list[tuple[str, str]]:
    """Every Authority and fee option the form offers, with its search fee in CHF."""
    choices = []
    for isa in search_authorities():
        for option in isa["search_fee"]["options"]:
            label = search_authority_label(isa)
            if option["label"]:
                label += f": {_(option['label'])}"
            choices.append((_option_value(isa, option), f"{label} ({_money('CHF', option['chf'])})"))
    return choices


def accepted_isas(office_code: str) -> list[str] | None:
    """The Authorities the receiving Office names as competent; None: any (the International Bureau)."""
    office = find_receiving_office(office_code)
    return None if office is None else office["isas"]


def pct_office_errors(*, receiving_office: str, isa: str | None) -> dict[str, str]:
    """What is wrong with a receiving Office code and an Authority value ('EP', 'JP:en'), by field."""
    errors: dict[str, str] = {}
    office = find_receiving_office(receiving_office)
    if office is None:
        errors["receiving_office"] = _("Unknown receiving Office: %(code)s. Known Offices: %(codes)s.") % {
            "code": receiving_office,
            "codes": ", ".join(receiving_office_codes()),
        }
    if not isa:
        return errors
    code, option = parse_isa(isa)
    entry = find_search_authority(code)
    if entry is None:
        errors["isa"] = _("Unknown International Searching Authority: %(code)s. Known Authorities: %(codes)s.") % {
            "code": code,
            "codes": ", ".join(search_authority_codes()),
        }
        return errors
    keys = [item["key"] for item in entry["search_fee"]["options"]]
    if option is not None and option not in keys:
        errors["isa"] = _("Unknown search fee option for %(code)s: %(option)s. Options: %(options)s.") % {
            "code": code,
            "option": option,
            "options": ", ".join(f"{code}:{key}" for key in keys),
        }
    elif office is not None and office["isas"] is not None and code not in office["isas"]:
        errors["isa"] = _(
            "%(office)s does not accept %(code)s as International Searching Authority. It accepts: %(codes)s."
        ) % {"office": receiving_office_label(office), "code": code, "codes": ", ".join(office["isas"])}
    return errors


def _equivalent(currency: str) -> dict[str, Any] | None:
    return next((e for e in pct_office_data()["chf_equivalents"]["currencies"] if e["currency"] == currency), None)


def _to_chf(amount: Decimal, currency: str) -> tuple[Decimal, str] | None:
    """The amount in CHF at the Guide's equivalents of the international filing fee, and how it was converted."""
    equivalent = _equivalent(currency)
    if equivalent is None:
        return None
    chf = (amount * Decimal(equivalent["chf"]) / Decimal(equivalent["amount"])).quantize(CENT)
    how = _(
        "Converted from %(amount)s at the Guide's equivalents of the international filing fee (%(chf)s = "
        "%(reference)s; %(source)s, applicable as from %(date)s)."
    ) % {
        "amount": _money(currency, amount),
        "chf": _money("CHF", equivalent["chf"]),
        "reference": _money(currency, equivalent["amount"]),
        "source": _english(equivalent["source"]),
        "date": date_format(date.fromisoformat(equivalent["applies_from"])),
    }
    return chf, how


def _annex_line(entry: Mapping[str, Any], label: str, amount: Decimal | None, note: str) -> FeeLine:
    return FeeLine(
        label=label,
        amount=None if amount is None else amount.quantize(CENT),
        source=entry["source"],
        applies_from=_date(entry["applies_from"]),
        verified=entry["verified"],
        note=note,
        url=entry["url"],
    )


def _transmittal_line(office: Mapping[str, Any], reduction: str) -> tuple[FeeLine, bool]:
    """The receiving Office's transmittal fee in CHF (None where unknown or not convertible); and converted?"""
    fee = office["transmittal_fee"]
    label = _("Transmittal fee (receiving Office: %(office)s)") % {"office": receiving_office_label(office)}
    quote = "" if PLAIN_AMOUNT.fullmatch(fee["text"]) else _("Annex C: “%(text)s”") % {"text": _english(fee["text"])}
    amount, note, converted = None, "", False
    if fee["waived_with_90_percent_reduction"] and reduction != "none":
        amount = Decimal("0")
        note = _(
            "Not payable: applicants who qualify for the 90 per cent reduction of the international filing fee do "
            "not pay this transmittal fee."
        )
    elif fee["amount"] is None:
        note = _("Amount not known: the Office's Annex C gives no single amount.")
    elif fee["chf"] is not None:
        amount = Decimal(fee["chf"])
        if fee["currency"] is None:
            note = _("The Office charges no transmittal fee.")
    else:
        candidates = [(fee["amount"], fee["currency"])] + [(a["amount"], a["currency"]) for a in fee["alternatives"]]
        for value, currency in candidates:
            found = _to_chf(Decimal(value), currency)
            if found is not None:
                amount, note = found
                converted = True
                break
        else:
            note = _("%(amount)s: not converted (no Swiss franc equivalent of this currency in the data).") % {
                "amount": _money(fee["currency"], fee["amount"])
            }
    return _annex_line(office, label, amount, " ".join(part for part in (note, quote) if part)), converted


def _search_line(isa: Mapping[str, Any], option_key: str | None) -> FeeLine:
    """The Authority's search fee in CHF, as printed in Annex D; None where it depends on an option not chosen."""
    name = search_authority_label(isa)
    search_fee = isa["search_fee"]
    key = option_key or search_fee["default"]
    option = next((item for item in search_fee["options"] if item["key"] == key), None)
    if option is None:
        label = _("International search fee: %(isa)s") % {"isa": name}
        choices = "; ".join(
            f"{_(item['label'])}: {_money('CHF', item['chf'])} ({isa['code']}:{item['key']})"
            for item in search_fee["options"]
        )
        return _annex_line(
            isa, label, None, _("Amount not known: it depends on the case (%(choices)s).") % {"choices": choices}
        )
    label = _("International search fee: %(isa)s") % {"isa": name}
    if option["label"]:
        label = f"{label}, {_(option['label'])}"
    note = ""
    if option["home_currency_amount"]:
        home = option["home_currency_amount"]
        note = _("The Swiss franc equivalent printed in Annex D; it also gives %(amount)s.") % {
            "amount": _money(home["currency"], home["amount"])
        }
    return _annex_line(isa, label, Decimal(option["chf"]), note)


def _filing_fee_lines(*, sheets: int, efiling: str, reduction: str) -> list[FeeLine]:
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
        subtotal = sum((line.amount for line in lines if line.amount is not None), Decimal("0"))
        lines.append(_line(entry, -(subtotal * Decimal(entry["percent"]) / 100)))
    return lines


def pct_fees(
    *, sheets: int, efiling: str, reduction: str, receiving_office: str | None = None, isa: str | None = None
) -> PctFeeResult:
    """The PCT international filing fee: base fee, per-sheet fee over 30, e-filing reduction, then the 90% one.

    The 90% reduction is worked out on the fee after the e-filing reduction (WIPO PCT Fee Tables), and applies to
    the international filing fee only. With `receiving_office` (a code of data/pct_office_fees.json) the result is
    what is paid to that Office: its transmittal fee is added, and with `isa` ('EP', or 'JP:en' where the
    Authority's fee depends on a choice) that Authority's search fee; without `isa` the total leaves the search
    fee out and says so. An amount not known in CHF is a line with amount None, and the total says it leaves it out.
    """
    if sheets < 1:
        raise ValueError("sheets must be at least 1")
    if efiling not in EFILING_OPTIONS:
        raise ValueError(f"unknown efiling option: {efiling}")
    if reduction not in PCT_REDUCTIONS:
        raise ValueError(f"unknown reduction: {reduction}")
    lines = _filing_fee_lines(sheets=sheets, efiling=efiling, reduction=reduction)
    if receiving_office is None and not isa:
        return PctFeeResult(schedule=_(fee_data()["pct"]["schedule"]), lines=lines)
    errors = pct_office_errors(receiving_office=receiving_office or DEFAULT_RECEIVING_OFFICE, isa=isa)
    if receiving_office is None:
        errors.pop("receiving_office", None)
    if errors:
        raise ValueError(" ".join(errors.values()))
    notes: list[str] = []
    left_out: list[str] = []
    converted: list[str] = []
    office = find_receiving_office(receiving_office) if receiving_office else None
    if office is not None:
        notes.append(
            _(
                "The total is what you pay the receiving Office, %(office)s, in Swiss francs; the Office charges "
                "in the currency or currencies it accepts, so the amount you pay follows its own equivalents."
            )
            % {"office": receiving_office_label(office)}
        )
        line, was_converted = _transmittal_line(office, reduction)
        lines.append(line)
        if was_converted:
            converted.append(_("the transmittal fee"))
        if line.amount is None:
            left_out.append(_("the transmittal fee (amount not known in Swiss francs)"))
    code, option = parse_isa(isa) if isa else ("", None)
    entry = find_search_authority(code) if code else None
    if entry is None:
        left_out.append(_("the international search fee (no International Searching Authority chosen)"))
    else:
        line = _search_line(entry, option)
        lines.append(line)
        if line.amount is None:
            left_out.append(_("the international search fee (amount not known: choose the case that applies)"))
        if entry["search_fee"]["own_reduction"]:
            notes.append(
                _("%(isa)s has its own reduction of the search fee, not applied here (Annex D): “%(text)s”")
                % {"isa": search_authority_label(entry), "text": _english(entry["search_fee"]["own_reduction"])}
            )
    if reduction != "none":
        notes.append(
            _("The 90 per cent reduction applies to the international filing fee only, not to the search fee.")
        )
    if converted:
        notes.append(
            _("Converted to Swiss francs: %(fees)s (an estimate: the Office's own currency is what you pay).")
            % {"fees": "; ".join(converted)}
        )
    option_value = ""
    if entry is not None:
        option_value = code if option is None else f"{code}:{option}"
    return PctFeeResult(
        schedule=_("PCT Schedule of Fees and the WIPO PCT Applicant's Guide (Annexes C and D)"),
        lines=lines,
        receiving_office=office["code"] if office else "",
        receiving_office_name=receiving_office_label(office) if office else "",
        isa=option_value,
        left_out=tuple(left_out),
        notes=tuple(notes),
    )


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
