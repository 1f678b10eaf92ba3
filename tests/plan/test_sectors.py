"""The ISIC Rev.4 heuristics behind the creative-sector and green-technology signals."""

from __future__ import annotations

import pytest

from apps.plan.engine import Signal
from apps.plan.sectors import is_creative_sector, is_green_sector, sector_signals


@pytest.mark.parametrize(
    "code",
    ["58", "5811", "5820", "59", "5911", "5920", "60", "6010", "62", "6201", "90", "9000", "7410", "7420", "6391"],
)
def test_creative_codes(code):
    assert is_creative_sector(code)
    assert Signal.CREATIVE_SECTOR in sector_signals(code)


@pytest.mark.parametrize("code", ["J", "R", "61", "6110", "91", "9101", "1820", "3240", "1079", "", "  ", "58x"])
def test_not_creative(code):
    assert not is_creative_sector(code)


@pytest.mark.parametrize("code", ["37", "3700", "38", "3811", "3830", "39", "3900"])
def test_green_codes(code):
    assert is_green_sector(code)
    assert sector_signals(code) == frozenset({Signal.GREEN_TECHNOLOGY})


@pytest.mark.parametrize("code", ["D", "35", "3510", "E", "36", "0111"])
def test_not_green(code):
    assert not is_green_sector(code)


def test_an_unlisted_code_gives_no_signal():
    assert sector_signals("1079") == frozenset()
    assert sector_signals(" 5820 ") == frozenset({Signal.CREATIVE_SECTOR})
