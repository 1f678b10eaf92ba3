"""PCT time limits counted from the priority date (the figures and their sources: data/pct_time_limits.json).

Months are counted as PCT Rule 80.2 says, with `apps.core.dates.add_months`. A limit that ends on a
day the Office is closed moves to its next working day (PCT Rule 80.5): with an office chosen, each limit
that Rule 80.5 applies to also carries the day it really ends there (`office_days`); without one, the dates
are not moved and each carries a note that says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.core.dates import add_months
from apps.guidance.calculators.office_days import OfficeDay, next_open_day

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "pct_time_limits.json"


@dataclass(frozen=True)
class Deadline:
    id: str
    label: str
    date: date
    months: int
    source: str
    applies_from: date
    note: str
    at_office: OfficeDay | None = None  # with an office chosen, where Rule 80.5 applies


@dataclass(frozen=True)
class OfficeDeadline:
    office: str
    name: str
    deadline: date
    months: int
    source: str
    applies_from: date


@dataclass(frozen=True)
class Rule:
    text: str
    source: str
    applies_from: date


@cache
def time_limits() -> dict[str, Any]:
    """The data file, read once."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def _limit(limit_id: str) -> dict[str, Any]:
    return next(limit for limit in time_limits()["limits"] if limit["id"] == limit_id)


def _rule(key: str) -> Rule:
    entry = time_limits()[key]
    return Rule(text=_(entry["rule"]), source=entry["source"], applies_from=date.fromisoformat(entry["applies_from"]))


def counting_rule() -> Rule:
    """PCT Rule 80.2: how months are counted."""
    return _rule("counting")


def working_day_rule() -> Rule:
    """PCT Rule 80.5: a limit ending on a day the Office is closed ends on its next working day."""
    return _rule("working_day")


def offices_note() -> str:
    return _(time_limits()["national_phase_31_month_offices"]["about"])


def _note(limit: dict[str, Any], search_report_date: date | None, later_from_report: bool) -> str:
    parts = []
    if limit["id"] == "chapter_ii_demand":
        months = limit["months_from_search_report"]
        if search_report_date is None:
            parts.append(
                _(
                    "Or %(months)s months from the transmittal of the international search report and written "
                    "opinion, if that is later."
                )
                % {"months": months}
            )
        elif later_from_report:
            parts.append(
                _(
                    "%(months)s months from the transmittal of the international search report (%(report_date)s), "
                    "which is later than %(priority_months)s months from the priority date."
                )
                % {
                    "months": months,
                    "report_date": date_format(search_report_date, "DATE_FORMAT"),
                    "priority_months": limit["months"],
                }
            )
        else:
            parts.append(
                _(
                    "%(priority_months)s months from the priority date, which is later than %(months)s months from "
                    "the transmittal of the international search report (%(report_date)s)."
                )
                % {
                    "months": months,
                    "report_date": date_format(search_report_date, "DATE_FORMAT"),
                    "priority_months": limit["months"],
                }
            )
    if limit["id"] == "international_publication":
        parts.append(
            _(
                "Not a time limit for the applicant: the International Bureau publishes promptly after this date, "
                "unless the application is withdrawn or early publication is requested."
            )
        )
    if limit["working_day_source"]:
        parts.append(
            _("If this day is not a working day at the Office, the limit moves to the next working day (%(source)s).")
            % {"source": limit["working_day_source"]}
        )
    return " ".join(parts)


def pct_deadlines(
    *, priority_date: date, search_report_date: date | None = None, office: str | None = None
) -> list[Deadline]:
    """The PCT time limits of an application with this priority date, in the order of the data file.

    `search_report_date`: the date the international search report and written opinion were transmitted; the
    Chapter II demand is then due 3 months after it, if that is later than 22 months from the priority date
    (PCT Rule 54bis.1(a)). `office`: a country code the `holidays` package knows; each limit Rule 80.5
    applies to then carries the day it ends at that office. Raises ValueError when the search report date
    is before the priority date, or a date is out of range.
    """
    if search_report_date is not None and search_report_date < priority_date:
        raise ValueError("search_report_date is before priority_date")
    deadlines = []
    for limit in time_limits()["limits"]:
        due = add_months(priority_date, limit["months"])
        later_from_report = False
        if limit["id"] == "chapter_ii_demand" and search_report_date is not None:
            from_report = add_months(search_report_date, limit["months_from_search_report"])
            later_from_report = from_report > due
            due = max(due, from_report)
        deadlines.append(
            Deadline(
                id=limit["id"],
                label=_(limit["label"]),
                date=due,
                months=limit["months"],
                source=limit["source"],
                applies_from=date.fromisoformat(limit["applies_from"]),
                note=_note(limit, search_report_date, later_from_report),
                at_office=next_open_day(due, office) if office and limit["working_day_source"] else None,
            )
        )
    return deadlines


def national_phase_31_month_offices(*, priority_date: date) -> list[OfficeDeadline]:
    """Offices that allow 31 months for the national phase: examples only (see offices_note())."""
    return [
        OfficeDeadline(
            office=office["office"],
            name=_(office["name"]),
            deadline=add_months(priority_date, office["months"]),
            months=office["months"],
            source=office["source"],
            applies_from=date.fromisoformat(office["applies_from"]),
        )
        for office in time_limits()["national_phase_31_month_offices"]["offices"]
    ]


LATEST_PRIORITY_DATE = date(9997, 5, 31)  # the last day from which 31 months are still a date


def input_errors(*, priority_date: date, search_report_date: date | None) -> dict[str, str]:
    """What is wrong with the inputs, by field name (empty when they can be calculated)."""
    errors = {}
    if priority_date > LATEST_PRIORITY_DATE:
        errors["priority_date"] = _("Enter a priority date before %(date)s.") % {
            "date": LATEST_PRIORITY_DATE.isoformat()
        }
    if search_report_date is not None:
        if search_report_date < priority_date:
            errors["search_report_date"] = _("The search report cannot be transmitted before the priority date.")
        elif search_report_date > LATEST_PRIORITY_DATE:
            errors["search_report_date"] = _("Enter a date before %(date)s.") % {
                "date": LATEST_PRIORITY_DATE.isoformat()
            }
    return errors
