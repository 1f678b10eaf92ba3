"""The SLA clock: business time counted in a queue's opening hours, time zone and public holidays.

Plain functions over a `BusinessHours` value, no models: the helpdesk's models build a `BusinessHours` from
a queue and call these to set and refresh due times.

How the time is counted
- Opening hours are local wall-clock intervals per weekday; an interval never crosses midnight, and a
  closing time of 00:00 means the end of that day (24:00).
- A day that is a public holiday of the queue's country (and subdivision), from the `holidays` package,
  has no opening hours.
- Each local day's intervals become real (UTC) instants through zoneinfo, so a daylight saving change
  that falls inside the opening hours gives that day one hour more or less of business time, and one
  outside them changes nothing.
- The work is done day by day, never minute by minute, and each computation walks at most
  `MAX_SCAN_DAYS` calendar days, so a policy that can never be met raises ValueError instead of keeping a
  worker busy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext

Interval = tuple[time, time]
Schedule = tuple[tuple[Interval, ...], ...]  # seven entries, Monday (0) to Sunday (6)
Pause = tuple[datetime, datetime | None]

END_OF_DAY = time(0)  # as a closing time: 24:00, the end of the day
WORKING_DAYS = (0, 1, 2, 3, 4)  # Monday to Friday
MAX_TARGET = timedelta(days=366)  # the longest business time a policy may ask for
MAX_SCAN_DAYS = 5 * 366  # the most calendar days one computation walks through

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class BusinessHours:
    """When a queue's SLA clock runs. Always valid: the constructor raises ValueError with the messages
    of `validate_business_hours` otherwise; forms call that function to show them by field.

    `schedule` may be given as a mapping {weekday: ((opening, closing), ...)} (0 is Monday, missing days
    closed) or as seven such tuples; it is kept as seven tuples of intervals in order, so equal hours are
    equal values."""

    time_zone: str
    schedule: Schedule
    country: str = ""
    subdivision: str = ""

    def __post_init__(self) -> None:
        errors = validate_business_hours(
            time_zone=self.time_zone, schedule=self.schedule, country=self.country, subdivision=self.subdivision
        )
        if errors:
            raise ValueError(" ".join(message for messages in errors.values() for message in messages))
        # Normalised so that equal hours compare and hash equal (the per-day cache is keyed by them).
        object.__setattr__(self, "schedule", _normalised_schedule(self.schedule))
        object.__setattr__(self, "country", _country_code(self.country))
        object.__setattr__(self, "subdivision", (self.subdivision or "").strip())

    @classmethod
    def weekdays(
        cls,
        tz: str,
        start: time,
        end: time,
        country: str = "",
        subdivision: str = "",
        days: Iterable[int] = WORKING_DAYS,
    ) -> BusinessHours:
        """The same opening interval on each of `days` (Monday to Friday unless told)."""
        return cls(tz, dict.fromkeys(days, ((start, end),)), country, subdivision)

    @classmethod
    def always(cls, tz: str, country: str = "", subdivision: str = "") -> BusinessHours:
        """Open round the clock, every day (but public holidays when a country is given)."""
        return cls.weekdays(tz, END_OF_DAY, END_OF_DAY, country, subdivision, days=range(7))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def validate_business_hours(
    time_zone: str,
    schedule: Mapping[int, Iterable[Interval]] | Sequence[Iterable[Interval]],
    country: str = "",
    subdivision: str = "",
) -> dict[str, list[str]]:
    """The problems with these values, by field (`time_zone`, `schedule`, `country`, `subdivision`), in the
    active language; empty when they make valid business hours."""
    errors: dict[str, list[str]] = {}
    if not time_zone:
        errors["time_zone"] = [gettext("Choose a time zone.")]
    elif not _is_time_zone(time_zone):
        errors["time_zone"] = [gettext("“%(value)s” is not a known time zone.") % {"value": time_zone}]
    schedule_errors = _schedule_errors(schedule)
    if schedule_errors:
        errors["schedule"] = schedule_errors
    code = _country_code(country)
    subdivision = (subdivision or "").strip()
    supported = _supported_countries()
    if code and code not in supported:
        errors["country"] = [gettext("No public holidays are known for the country “%(value)s”.") % {"value": country}]
    elif subdivision and not code:
        errors["subdivision"] = [gettext("Choose the country of this subdivision.")]
    elif subdivision and subdivision not in supported[code]:
        errors["subdivision"] = [
            gettext("No public holidays are known for the subdivision “%(value)s” of %(country)s.")
            % {"value": subdivision, "country": code}
        ]
    return errors


def business_time_between(start: datetime, end: datetime, hours: BusinessHours) -> timedelta:
    """The business time in [start, end); zero when end is not after start."""
    start, end = _utc(start), _utc(end)
    return _business_time(start, end, hours, _Scan())


def add_business_time(start: datetime, duration: timedelta, hours: BusinessHours) -> datetime:
    """The instant (UTC) when `duration` of business time has passed since `start`. Outside the opening
    hours the clock starts at the next opening, so a zero duration gives that opening."""
    _check_target(duration)
    instant, _ = _advance(_utc(start), duration, None, hours, _Scan())
    assert instant is not None  # without a stop, _advance ends with an instant or raises
    return instant


def due_at(start: datetime, target: timedelta, hours: BusinessHours, pauses: Sequence[Pause] = ()) -> datetime | None:
    """When `target` of business time has run since `start`, the clock stopped during `pauses` (a ticket
    waiting on the customer); None while a pause is still open, since a stopped clock has no due time."""
    _check_target(target)
    if any(end is None for _, end in pauses):
        return None
    cursor, remaining, scan = _utc(start), target, _Scan()
    for pause_start, pause_end in _merged_pauses(pauses, cursor):
        instant, remaining = _advance(cursor, remaining, pause_start, hours, scan)
        if instant is not None:
            return instant
        cursor = max(cursor, pause_end)
    instant, _ = _advance(cursor, remaining, None, hours, scan)
    return instant


def elapsed(start: datetime, now: datetime, hours: BusinessHours, pauses: Sequence[Pause] = ()) -> timedelta:
    """The business time the clock has run from `start` to `now`, without the pauses (an open one lasts
    until now)."""
    cursor, now, scan = _utc(start), _utc(now), _Scan()
    total = timedelta(0)
    closed = [(pause_start, pause_end if pause_end is not None else now) for pause_start, pause_end in pauses]
    for pause_start, pause_end in _merged_pauses(closed, cursor):
        if pause_start >= now:
            break
        total += _business_time(cursor, pause_start, hours, scan)
        cursor = max(cursor, pause_end)
    return total + _business_time(cursor, now, hours, scan)


# --- the walk --------------------------------------------------------------------------------------


class _Scan:
    """Counts the days one computation walks through, so that hours which can never supply the time asked
    for (a minute a week against a target of months) raise instead of keeping a worker busy."""

    def __init__(self) -> None:
        self.days = 0

    def step(self) -> None:
        self.days += 1
        if self.days > MAX_SCAN_DAYS:
            raise ValueError(f"SLA clock: more than {MAX_SCAN_DAYS} days to walk through; check the policy and hours.")


def _check_target(target: timedelta) -> None:
    if target < timedelta(0):
        raise ValueError("SLA clock: a target cannot be negative.")
    if target > MAX_TARGET:
        raise ValueError(f"SLA clock: a target of more than {MAX_TARGET.days} days of business time is refused.")


def _utc(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("SLA clock: datetimes must be aware (carry a time zone).")
    return instant.astimezone(UTC)


def _open_intervals(
    start: datetime, stop: datetime | None, hours: BusinessHours, scan: _Scan
) -> Iterator[tuple[datetime, datetime]]:
    """The opening intervals (UTC) clipped to [start, stop), in order, one local day at a time. Every
    interval of a local day lies within that day, so the walk starts on `start`'s local date and ends
    after `stop`'s."""
    zone = hours.zone
    day = start.astimezone(zone).date()
    last_day = stop.astimezone(zone).date() if stop is not None else None
    while last_day is None or day <= last_day:
        scan.step()
        for opening, closing in _day_intervals(hours, day):
            if stop is not None and opening >= stop:
                return
            opening, closing = max(opening, start), min(closing, stop) if stop is not None else closing
            if opening < closing:
                yield opening, closing
        day += _ONE_DAY


def _business_time(start: datetime, end: datetime, hours: BusinessHours, scan: _Scan) -> timedelta:
    if end <= start:
        return timedelta(0)
    return sum((closing - opening for opening, closing in _open_intervals(start, end, hours, scan)), timedelta(0))


def _advance(
    start: datetime, remaining: timedelta, stop: datetime | None, hours: BusinessHours, scan: _Scan
) -> tuple[datetime | None, timedelta]:
    """Runs the clock from `start` until `remaining` is used up: (that instant, zero), or, when `stop` comes
    first, (None, what is still to run). A zero remainder ends at the first opening."""
    if stop is not None and stop <= start:
        return None, remaining
    for opening, closing in _open_intervals(start, stop, hours, scan):
        if remaining <= closing - opening:
            return opening + remaining, timedelta(0)
        remaining -= closing - opening
    return None, remaining


def _merged_pauses(
    pauses: Iterable[tuple[datetime, datetime | None]], start: datetime
) -> list[tuple[datetime, datetime]]:
    """Closed pauses as disjoint intervals in order, the part before `start` dropped (it cannot stop a clock
    that has not started) and empty or reversed ones ignored."""
    intervals = sorted(
        (max(_utc(pause_start), start), _utc(pause_end)) for pause_start, pause_end in pauses if pause_end is not None
    )
    merged: list[tuple[datetime, datetime]] = []
    for pause_start, pause_end in intervals:
        if pause_end <= pause_start:
            continue
        if merged and pause_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], pause_end))
        else:
            merged.append((pause_start, pause_end))
    return merged


# --- one local day ---------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _day_intervals(hours: BusinessHours, day: date) -> tuple[tuple[datetime, datetime], ...]:
    """The day's opening intervals as UTC instants; none on a public holiday."""
    if day in _holiday_dates(hours.country, hours.subdivision, day.year):
        return ()
    zone = hours.zone
    intervals = []
    for opening, closing in hours.schedule[day.weekday()]:
        start = _instant(day, opening, zone)
        end = _instant(day + _ONE_DAY, END_OF_DAY, zone) if closing == END_OF_DAY else _instant(day, closing, zone)
        if start < end:  # both within a skipped hour: no time at all
            intervals.append((start, end))
    return tuple(intervals)


def _instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The real instant (UTC) at which the local clock reads `wall` on `day`.

    Daylight saving makes some wall times happen twice and others never; the choices, both deterministic
    and both keeping later wall times at later (or equal) instants:
    - an ambiguous time (clocks going back) is its first occurrence (fold=0): on the night 03:00 becomes
      02:00, an interval opening at 02:30 opens at the first 02:30, summer time;
    - a nonexistent time (clocks going forward) is the instant the clock jumps over it: on the night 02:00
      becomes 03:00, an interval opening at 02:30 opens at 03:00 summer time.
      PEP 495's own reading (02:30 taken as 03:30) would put it after a 03:15 closing.
    """
    local = datetime.combine(day, wall, tzinfo=zone)  # fold=0
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    return _jump_before(local, instant, zone)


def _jump_before(local: datetime, instant: datetime, zone: ZoneInfo) -> datetime:
    """The transition instant for a wall time in a gap: `instant` (the wall time read with the offset
    before the change) lies at most one gap after it. Found by halving to the second, transitions being
    on whole seconds; this runs only on the days of such a change, and those days are cached."""
    before = local.utcoffset()
    gap = local.replace(fold=1).utcoffset() - before
    low = math.floor((instant - gap).timestamp())  # still on the old offset
    high = math.ceil(instant.timestamp())  # already on the new one
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


@lru_cache(maxsize=512)
def _holiday_dates(country: str, subdivision: str, year: int) -> frozenset[date]:
    if not country:
        return frozenset()
    return frozenset(holidays.country_holidays(country, subdiv=subdivision or None, years=year))


# --- validation ------------------------------------------------------------------------------------


def _is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return True


@lru_cache(maxsize=1)
def _supported_countries() -> dict[str, list[str]]:
    return holidays.list_supported_countries(include_aliases=True)


def _country_code(country: str) -> str:
    return (country or "").strip().upper()


def _day_items(schedule: Mapping[int, Iterable[Interval]] | Sequence[Iterable[Interval]]) -> list[tuple[object, list]]:
    """(day, its intervals) pairs from either form of schedule; a day whose value is not a collection of
    intervals gets [None], which validation reports."""
    items = schedule.items() if isinstance(schedule, Mapping) else enumerate(schedule)
    return [
        (day, list(intervals) if isinstance(intervals, Iterable) and not isinstance(intervals, str) else [None])
        for day, intervals in items
    ]


def _since_midnight(moment: time, closing: bool) -> timedelta:
    """A wall time as the span since midnight, a closing 00:00 being the end of the day."""
    if closing and moment == END_OF_DAY:
        return _ONE_DAY
    return timedelta(hours=moment.hour, minutes=moment.minute, seconds=moment.second, microseconds=moment.microsecond)


def _schedule_errors(schedule: object) -> list[str]:
    if not isinstance(schedule, Mapping | Sequence) or isinstance(schedule, str):
        return [gettext("Give the opening hours as intervals per day of the week.")]
    if not isinstance(schedule, Mapping) and len(schedule) != 7:
        return [gettext("Give the opening hours for each of the seven days of the week.")]
    errors: list[str] = []
    any_interval = False
    for day, intervals in _day_items(schedule):
        if not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6:
            errors.append(gettext("“%(value)s” is not a day of the week (0 is Monday, 6 is Sunday).") % {"value": day})
            continue
        day_name = WEEKDAYS[day]
        spans = []
        for interval in intervals:
            if (
                not isinstance(interval, tuple | list)
                or len(interval) != 2
                or not all(isinstance(moment, time) and moment.tzinfo is None for moment in interval)
            ):
                errors.append(gettext("On %(day)s, an opening interval is not two times of day.") % {"day": day_name})
                continue
            opening, closing = interval
            if _since_midnight(opening, closing=False) >= _since_midnight(closing, closing=True):
                errors.append(
                    gettext("On %(day)s, the opening time %(start)s must be before the closing time %(end)s.")
                    % {"day": day_name, "start": opening.strftime("%H:%M"), "end": closing.strftime("%H:%M")}
                )
                continue
            spans.append(
                (_since_midnight(opening, closing=False), _since_midnight(closing, closing=True), opening, closing)
            )
        spans.sort()
        for earlier, later in pairwise(spans):
            if later[0] < earlier[1]:
                errors.append(
                    gettext("On %(day)s, the opening intervals %(first)s and %(second)s overlap.")
                    % {
                        "day": day_name,
                        "first": f"{earlier[2]:%H:%M}-{earlier[3]:%H:%M}",
                        "second": f"{later[2]:%H:%M}-{later[3]:%H:%M}",
                    }
                )
        any_interval = any_interval or bool(spans)
    if not errors and not any_interval:
        errors.append(gettext("Give at least one opening interval."))
    return errors


def _normalised_schedule(schedule: Mapping[int, Iterable[Interval]] | Sequence[Iterable[Interval]]) -> Schedule:
    by_day: dict[int, list[Interval]] = {day: [] for day in range(7)}
    for day, intervals in _day_items(schedule):
        by_day[int(day)].extend((opening, closing) for opening, closing in intervals)
    return tuple(tuple(sorted(by_day[day], key=lambda interval: interval[0])) for day in range(7))
