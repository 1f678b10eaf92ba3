"""The ADR fee estimate, worked out by hand from the Center's published schedules (apps/programmes/data)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from apps.programmes import adr_fees
from apps.programmes.adr_fees import DATA_FILE_TEXTS
from apps.programmes.adr_fees import adr_fees as estimate


def _amounts(result):
    return [line.amount for line in result.lines]


@pytest.mark.parametrize(
    ("procedure", "amount", "lines"),
    [
        # Arbitration: registration 2,000; administration 2,000 up to 2.5M, 10,000 to 10M, then 10,000 + 0.05%
        # of what is over 10M, at most 25,000 (bands are totals, never added up).
        ("arbitration", "1000000", ["2000.00", "2000.00"]),
        ("arbitration", "2500000", ["2000.00", "2000.00"]),
        ("arbitration", "2500000.01", ["2000.00", "10000.00"]),
        ("arbitration", "20000000", ["2000.00", "15000.00"]),  # 10,000 + 0.05% of 10M
        ("arbitration", "50000000", ["2000.00", "25000.00"]),  # 10,000 + 20,000 capped at 25,000
        # Expedited: registration 1,000; administration 1,000 / 5,000 / 5,000 + 0.05% up to 15,000; and the
        # arbitrator's fixed fee 20,000 up to 2.5M, 40,000 to 10M.
        ("expedited_arbitration", "5000000", ["1000.00", "5000.00", "40000.00"]),
        ("expedited_arbitration", "100000", ["1000.00", "1000.00", "20000.00"]),
        ("expedited_arbitration", "30000000", ["1000.00", "15000.00"]),  # 5,000 + 10,000 = the cap
        # Mediation: 250 up to 250,000, else 0.10% of the whole amount, at most 10,000.
        ("mediation", "100000", ["250.00"]),
        ("mediation", "1000000", ["1000.00"]),
        ("mediation", "20000000", ["10000.00"]),
    ],
)
def test_the_fees_of_each_band_are_those_of_the_schedule(procedure, amount, lines):
    result = estimate(procedure=procedure, amount=Decimal(amount))
    assert _amounts(result) == [Decimal(value) for value in lines]
    assert result.total == sum(Decimal(value) for value in lines)
    assert result.currency == "USD"
    assert all(line.source and line.verified for line in result.lines)


def test_what_the_center_sets_case_by_case_is_a_note_outside_the_total():
    arbitration = estimate(procedure="arbitration", amount=Decimal(1_000_000))
    assert any("300 to 600 an hour" in note for note in arbitration.notes)
    expedited = estimate(procedure="expedited_arbitration", amount=Decimal(30_000_000))
    assert any("over USD 10 million" in note for note in expedited.notes)
    assert any("Mediator fees" in note for note in estimate(procedure="mediation", amount=Decimal(1)).notes)
    expert = estimate(procedure="expert_determination")
    assert expert.lines == [] and expert.total == 0 and "Ask the Center" in expert.notes[0]


def test_the_25_percent_reduction_is_taken_off_the_administration_fee_only():
    full = estimate(procedure="arbitration", amount=Decimal(1_000_000))
    reduced = estimate(procedure="arbitration", amount=Decimal(1_000_000), reduction=True)
    assert _amounts(reduced) == [Decimal("2000.00"), Decimal("2000.00"), Decimal("-500.00")]
    assert full.total - reduced.total == Decimal("500.00")
    expedited = estimate(procedure="expedited_arbitration", amount=Decimal(5_000_000), reduction=True)
    assert expedited.total == Decimal(1000 + 5000 - 1250 + 40000)  # the arbitrator's fee keeps its full amount
    mediation = estimate(procedure="mediation", amount=Decimal(1_000_000), reduction=True)
    assert mediation.total == Decimal("750.00")


@pytest.mark.parametrize(
    ("domains", "panelists", "amount"),
    [(1, 1, "1500"), (5, 1, "1500"), (5, 3, "4000"), (6, 1, "2000"), (10, 3, "5000")],
)
def test_udrp_fees_by_domain_names_and_panelists(domains, panelists, amount):
    result = estimate(procedure="udrp", domains=domains, panelists=panelists)
    assert result.total == Decimal(amount) and len(result.lines) == 1


def test_udrp_over_ten_domains_is_agreed_with_the_center_and_takes_no_reduction():
    result = estimate(procedure="udrp", domains=11, panelists=1, reduction=True)
    assert result.lines == [] and "More than 10 domain names" in result.notes[0]
    reduced = estimate(procedure="udrp", domains=2, panelists=1, reduction=True)
    assert reduced.total == Decimal(1500) and "domain-name fees" in reduced.notes[0]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"procedure": "litigation", "amount": Decimal(1)},
        {"procedure": "arbitration"},
        {"procedure": "arbitration", "amount": Decimal(-1)},
        {"procedure": "mediation", "amount": adr_fees.MAX_AMOUNT + 1},
        {"procedure": "udrp", "domains": 0},
        {"procedure": "udrp", "domains": 1, "panelists": 2},
    ],
)
def test_inputs_it_cannot_price_are_refused(kwargs):
    with pytest.raises(ValueError):
        estimate(**kwargs)


def _texts(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("label", "note", "schedule") and isinstance(value, str):
                yield value
            else:
                yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


def test_every_text_of_the_data_file_is_marked_for_translation():
    data = json.loads(adr_fees.DATA_FILE.read_text(encoding="utf-8"))
    missing = set(_texts(data)) - set(DATA_FILE_TEXTS)
    assert not missing
