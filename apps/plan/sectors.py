"""Signals read from an MSME's ISIC Rev.4 sector: creative industries and green technology.

Heuristics, not definitions: a sector code says what a business mostly does, not what it owns. A code
matches when it starts with one of the prefixes below, so a division ("58"), a group ("582") or a class
("5820") all work; a section letter alone ("J", "R") never matches, because each section mixes creative or
green activities with others (J also holds telecommunications, R also sports and gambling). The diagnostic
asks the business directly; these only fill in for a business that has not answered.
"""

from __future__ import annotations

from apps.plan.context import Signal

# Creative sector: businesses whose main output is works protected by copyright.
CREATIVE_PREFIXES: dict[str, str] = {
    "58": "Publishing: books, periodicals, and software publishing (5820, video games included)",
    "59": "Motion picture, video and television programme production, sound recording and music publishing",
    "60": "Programming and broadcasting activities",
    "62": "Computer programming, consultancy and related activities (software is protected by copyright)",
    "6391": "News agency activities",
    "7310": "Advertising (creates texts, images and films)",
    "7410": "Specialized design activities (fashion, graphic, interior design)",
    "7420": "Photographic activities",
    "90": "Creative, arts and entertainment activities",
}
# Left out on purpose: R91 (libraries, archives, museums keep works rather than create them),
# C1820 (reproduction of recorded media: copies others' works), C3240 (games and toys: designs and
# trademarks more than copyright).

# Green technology: businesses whose activity is an environmentally sound technology or service.
GREEN_PREFIXES: dict[str, str] = {
    "37": "Sewerage (waste-water treatment)",
    "38": "Waste collection, treatment and disposal; materials recovery (recycling)",
    "39": "Remediation activities and other waste management services",
}
# Left out on purpose: D35 (3510 counts every power plant, fossil ones too, so it does not tell
# a renewable-energy business apart); the diagnostic's green-technology question covers it.


def _matches(code: str, prefixes: dict[str, str]) -> bool:
    code = (code or "").strip().upper()
    if not code.isdigit():
        return False
    return any(code.startswith(prefix) for prefix in prefixes)


def is_creative_sector(code: str) -> bool:
    """Whether an ISIC Rev.4 division, group or class code is a creative-industry one."""
    return _matches(code, CREATIVE_PREFIXES)


def is_green_sector(code: str) -> bool:
    """Whether an ISIC Rev.4 division, group or class code is an environmental-technology one."""
    return _matches(code, GREEN_PREFIXES)


def sector_signals(code: str) -> frozenset[Signal]:
    """The signals an ISIC Rev.4 code suggests (empty for a section letter or an unlisted code)."""
    found = set()
    if is_creative_sector(code):
        found.add(Signal.CREATIVE_SECTOR)
    if is_green_sector(code):
        found.add(Signal.GREEN_TECHNOLOGY)
    return frozenset(found)
