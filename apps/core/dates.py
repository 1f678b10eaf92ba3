"""Date arithmetic shared by the apps (deadlines, calculators, the action plan).

Months are counted as PCT Rule 80.2-80.4 counts them: the same day number so many months or years
later, or the last day of that month when the day does not exist there. `dateutil.relativedelta`
does exactly that; these names say so at the call site.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta


def add_months(start: date, months: int) -> date:
    """`start` moved by `months` as PCT Rule 80.2 counts: relativedelta keeps the day number, or takes
    the last day of the month when that day does not exist there (31 January + 1 month: 28/29 February)."""
    return start + relativedelta(months=months)


def add_years(start: date, years: int) -> date:
    return add_months(start, 12 * years)
