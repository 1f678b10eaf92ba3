"""The dashboards' tables as CSV rows and as JSON: the page's downloads, the API and the open data all write
the figures the page shows ("<5" and the withheld sign included), from these functions."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from apps.dashboards.selectors import AgencyTable, DivisionTable, DivisionView, FigureTable, Month
from apps.dashboards.suppression import THRESHOLD, WITHHELD, Shown


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def agency_rows(table: AgencyTable) -> list[list[Any]]:
    rows: list[list[Any]] = [[str(table.breakdown.heading), _("MSMEs")], *([label, n] for label, n in table.rows)]
    # An IP table's rows overlap (an MSME holds several kinds): its last row is all the MSMEs, not a sum.
    last = _("Total") if table.breakdown.additive else _("All MSMEs")
    return [*rows, [last, table.total]]


def table_rows(table: AgencyTable | FigureTable) -> list[list[Any]]:
    return agency_rows(table) if isinstance(table, AgencyTable) else figure_rows(table)


def table_json(table: AgencyTable | FigureTable, counted_at: Any) -> dict[str, Any]:
    return agency_json(table, counted_at) if isinstance(table, AgencyTable) else figure_json(table, counted_at)


def figure_rows(table: FigureTable) -> list[list[Any]]:
    """A table of the agency's services: a row per label, a column per figure."""
    return [[table.heading, *table.columns], *([label, *figures] for label, figures in table.rows)]


def figure_json(table: FigureTable, counted_at: Any) -> dict[str, Any]:
    return {
        "table": table.slug,
        "title": table.title,
        "heading": table.heading,
        "counted_at": counted_at,
        "columns": table.columns,
        "rows": [{"label": label, "figures": figures} for label, figures in table.rows],
    }


def month_rows(months: list[Month]) -> list[list[Any]]:
    return [[_("Month"), _("MSMEs registered")], *([m.month.strftime("%Y-%m"), m.msmes] for m in months)]


def division_rows(table: DivisionTable | None, heading: str) -> list[list[Any]]:
    """A division table as CSV rows; with no table (no country counted yet), its header alone."""
    if table is None:
        return [[heading, _("Total")]]
    totals = table.has_row_totals  # a regional bureau's part of a table has none
    rows: list[list[Any]] = [[str(table.breakdown.heading), *table.countries, *([_("Total")] if totals else [])]]
    rows += [
        [label, *(f.text for f in figures), *([total.text] if totals else [])] for label, figures, total in table.rows
    ]
    if table.column_totals:
        rows.append([_("Total"), *(f.text for f in table.column_totals), *([table.total.text] if table.total else [])])
    return rows


def _figure(shown: Shown) -> int | str:
    """A count, or "<5", or the withheld sign: as the page and the CSV show it."""
    return shown.value if shown.value is not None else shown.text


def legend() -> dict[str, str]:
    return {
        "<5": _("fewer than %(n)d MSMEs") % {"n": THRESHOLD},
        WITHHELD: _("withheld: with the totals, it would reveal a count under %(n)d") % {"n": THRESHOLD},
    }


def agency_json(table: AgencyTable, counted_at: Any) -> dict[str, Any]:
    return {
        "table": table.slug,
        "title": str(table.breakdown.title),
        "heading": str(table.breakdown.heading),
        "counted_at": counted_at,
        "rows": [{"label": label, "msmes": n} for label, n in table.rows],
        "total": table.total,
    }


def months_json(months: list[Month], counted_at: Any) -> dict[str, Any]:
    return {
        "table": "registrations",
        "counted_at": counted_at,
        "rows": [{"month": m.month.strftime("%Y-%m"), "msmes": m.msmes} for m in months],
    }


def division_json(view: DivisionView, slug: str, heading: str, title: str) -> dict[str, Any]:
    """A division table as the API and the open data give it."""
    table = next((t for t in view.tables if t.slug == slug), None)
    data: dict[str, Any] = {
        "table": slug,
        "title": title,
        "heading": heading,
        "counted_from": view.counted_from,
        "counted_to": view.counted_to,
        "legend": legend(),
        "countries": [{"code": code, "name": name} for code, name in view.countries],
        "rows": [],
        "totals": None,
    }
    if table is not None:
        data["rows"] = [
            {"label": label, "msmes": [_figure(f) for f in figures], "total": _figure(total) if total else None}
            for label, figures, total in table.rows
        ]
        if table.column_totals:  # an IP table's rows overlap: no column adds up
            total = _figure(table.total) if table.total else None
            data["totals"] = {"msmes": [_figure(f) for f in table.column_totals], "total": total}
    return data
