"""CSV export of MSMEs, safe to open in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from apps.registry.importing import columns
from apps.registry.models import Msme

# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = (*columns.ALL, "size_class", "maturity_level", "maturity_assessed_at", "verification", "id")


def neutralise(value: object) -> str:
    """The cell's text, prefixed with an apostrophe if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _value(msme: Msme, column: str) -> object:
    if column == "sector_isic":
        return msme.sector_isic_id
    if isinstance(getattr(msme, column), bool):
        return "true" if getattr(msme, column) else "false"
    return getattr(msme, column)


def csv_rows(msmes: Iterable[Msme]) -> Iterator[list[str]]:
    """The header, then one row per MSME: the import columns first, then what the registry derives."""
    yield list(EXPORT_COLUMNS)
    for msme in msmes:
        yield [neutralise(_value(msme, column)) for column in EXPORT_COLUMNS]
