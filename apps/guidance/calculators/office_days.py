"""The days an office is closed, for PCT Rule 80.5 (a time limit that ends on such a day ends on the next
day the office is open): the weekend and the public holidays of the office's country, from the `holidays`
package, which knows the countries it lists. An office's own closures (an end-of-year shutdown, a day
closed by decree) are not in it: the calculator says so beside the moved date."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core.countries import country_choices

# More closed days in a row than any office has (a long holiday beside a weekend is about ten): a bound, so
# that a calendar with a mistake can never keep a request walking.
MAX_CLOSED_DAYS = 31


@dataclass(frozen=True)
class OfficeDay:
    """Where a limit really ends at an office: `moved_to` is the limit itself when the office is open."""

    limit: date
    moved_to: date
    closed: tuple[str, ...]  # each skipped day and why: "Saturday 3 July 2027: weekend"


@functools.cache
def _supported() -> frozenset[str]:
    return frozenset(holidays.list_supported_countries())


def office_choices() -> list[tuple[str, str]]:
    """The countries whose closed days are known, as (code, name in the active language), by name."""
    supported = _supported()
    return [(code, name) for code, name in country_choices() if code in supported]


def knows_office(code: str) -> bool:
    return code in _supported()


@functools.lru_cache(maxsize=256)
def _holiday_language(country: str, active: str) -> str | None:
    """The holiday names in the active language where the package has them, else English, else its own;
    worked out once per country and language (it builds a calendar to ask)."""
    offered = set(getattr(holidays.country_holidays(country, years=()), "supported_languages", ()) or ())
    for wanted in (active, "en_US", "en_GB", "en"):
        for language in offered:
            if language == wanted or language.split("_")[0] == wanted:
                return language
    return None


@functools.lru_cache(maxsize=256)
def _calendar(country: str, year: int, language: str | None) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=(year, year + 1), language=language)


def next_open_day(limit: date, country: str) -> OfficeDay:
    """The day a limit ending on `limit` really ends at the office of `country` (PCT Rule 80.5)."""
    language = _holiday_language(country, (get_language() or "en").split("-")[0])
    day, closed = limit, []
    for _step in range(MAX_CLOSED_DAYS):
        calendar = _calendar(country, day.year, language)
        holiday = calendar.get(day)
        if holiday is None and day.weekday() not in calendar.weekend:
            return OfficeDay(limit=limit, moved_to=day, closed=tuple(closed))
        why = holiday if holiday is not None else _("weekend")
        closed.append(
            _("%(day)s %(date)s: %(why)s")
            % {"day": date_format(day, "l"), "date": date_format(day, "DATE_FORMAT"), "why": why}
        )
        day += timedelta(days=1)
    raise ValueError(f"{country}: more than {MAX_CLOSED_DAYS} closed days in a row from {limit}")
