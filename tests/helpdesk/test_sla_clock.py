"""The SLA clock (apps.helpdesk.sla_clock): business time over weekends, public holidays, pauses, time zones
and daylight saving changes. Every expected instant is worked out by hand in the comments, in UTC.

Calendar used: 2026-12-04 is a Friday, 2026-12-07 a Monday; 2025-12-12 (Jamhuri Day) a Friday;
2026-07-14 (Fête nationale) a Tuesday; Europe/Paris goes from 02:00 CET to 03:00 CEST on Sunday
2026-03-29 (at 01:00 UTC) and from 03:00 CEST back to 02:00 CET on Sunday 2026-10-25 (at 01:00 UTC).
Nairobi is UTC+3 all year, Tokyo UTC+9, New York UTC-5 in December.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from apps.helpdesk.sla_clock import (
    END_OF_DAY,
    BusinessHours,
    add_business_time,
    business_time_between,
    due_at,
    elapsed,
    validate_business_hours,
)

NAIROBI = ZoneInfo("Africa/Nairobi")
PARIS = ZoneInfo("Europe/Paris")
H = timedelta(hours=1)


def eat(*args: int) -> datetime:
    return datetime(*args, tzinfo=NAIROBI)


def paris(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=PARIS, fold=fold)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def kenya() -> BusinessHours:
    # Monday to Friday, 08:00-17:00 Nairobi time: nine hours a day.
    return BusinessHours.weekdays(tz="Africa/Nairobi", start=time(8), end=time(17), country="KE")


@pytest.fixture
def kenya_no_holidays() -> BusinessHours:
    return BusinessHours.weekdays(tz="Africa/Nairobi", start=time(8), end=time(17))


# --- weekends and public holidays ----------------------------------------------------------------------


def test_a_weekend_is_skipped(kenya):
    # Friday 4 December 15:00 EAT + 4 h: 15:00-17:00 on Friday (2 h), Saturday and Sunday closed,
    # Monday 7 December 08:00-10:00 (2 h): Monday 10:00 EAT = 07:00 UTC.
    start = eat(2026, 12, 4, 15)
    assert add_business_time(start, 4 * H, kenya) == utc(2026, 12, 7, 7)
    assert business_time_between(start, eat(2026, 12, 7, 10), kenya) == 4 * H
    # The whole weekend holds no business time at all.
    assert business_time_between(eat(2026, 12, 4, 17), eat(2026, 12, 7, 8), kenya) == timedelta(0)


def test_the_due_instant_is_the_closing_time_when_the_target_ends_there(kenya):
    # Monday 09:00 EAT + 8 h ends exactly at 17:00 EAT (14:00 UTC), not at Tuesday's opening.
    assert add_business_time(eat(2026, 12, 7, 9), 8 * H, kenya) == utc(2026, 12, 7, 14)


def test_jamhuri_day_is_skipped_in_kenya(kenya, kenya_no_holidays):
    # Thursday 11 December 2025 16:00 EAT + 3 h: 16:00-17:00 Thursday (1 h), Friday 12 December is Jamhuri
    # Day, then the weekend, Monday 15 December 08:00-10:00 (2 h): 10:00 EAT = 07:00 UTC.
    start = eat(2025, 12, 11, 16)
    assert add_business_time(start, 3 * H, kenya) == utc(2025, 12, 15, 7)
    # Without a country, Friday is a working day: 1 h Thursday + 2 h Friday, 10:00 EAT = 07:00 UTC Friday.
    assert add_business_time(start, 3 * H, kenya_no_holidays) == utc(2025, 12, 12, 7)
    # Thursday 16:00 to Monday 10:00: 1 + 2 = 3 h with the holiday, 1 + 9 + 2 = 12 h without it.
    assert business_time_between(start, eat(2025, 12, 15, 10), kenya) == 3 * H
    assert business_time_between(start, eat(2025, 12, 15, 10), kenya_no_holidays) == 12 * H


def test_bastille_day_is_skipped_in_france():
    hours = BusinessHours.weekdays(tz="Europe/Paris", start=time(9), end=time(17), country="FR")
    # Monday 13 July 2026 16:00 CEST (14:00 UTC) + 2 h: 1 h on Monday, Tuesday 14 July is the Fête nationale,
    # Wednesday 09:00-10:00 (1 h): 10:00 CEST = 08:00 UTC.
    assert add_business_time(paris(2026, 7, 13, 16), 2 * H, hours) == utc(2026, 7, 15, 8)


def test_a_target_spanning_many_weeks(kenya, kenya_no_holidays):
    # 900 h at 45 h a week (5 x 9 h) is 20 working weeks from Monday 5 January 2026 08:00 EAT.
    start = eat(2026, 1, 5, 8)
    # Without holidays the last day is Friday of the 20th week: 5 January + 137 days = Friday 22 May
    # (26 days to 31 January, 28 in February, 31 in March, 30 in April, 22 in May), 17:00 EAT = 14:00 UTC.
    assert add_business_time(start, 900 * H, kenya_no_holidays) == utc(2026, 5, 22, 14)
    # Kenya's weekday holidays in that span (the `holidays` package's dates): Idd-ul-Fitr Friday 20 March,
    # Good Friday 3 April, Easter Monday 6 April, Labour Day Friday 1 May: four more days, Monday 25 to
    # Thursday 28 May, 17:00 EAT = 14:00 UTC.
    assert add_business_time(start, 900 * H, kenya) == utc(2026, 5, 28, 14)
    assert business_time_between(start, eat(2026, 5, 28, 17), kenya) == 900 * H


# --- starting outside the opening hours ----------------------------------------------------------------


def test_a_start_outside_hours_waits_for_the_next_opening(kenya):
    # Saturday 5 December 22:00 EAT + 1 h: the clock starts Monday 08:00, due 09:00 EAT = 06:00 UTC.
    assert add_business_time(eat(2026, 12, 5, 22), H, kenya) == utc(2026, 12, 7, 6)
    # Monday 06:00 EAT (before opening) + 30 min: 08:30 EAT = 05:30 UTC.
    assert add_business_time(eat(2026, 12, 7, 6), timedelta(minutes=30), kenya) == utc(2026, 12, 7, 5, 30)
    # Monday 17:30 EAT (after closing) + 1 h: Tuesday 09:00 EAT = 06:00 UTC.
    assert add_business_time(eat(2026, 12, 7, 17, 30), H, kenya) == utc(2026, 12, 8, 6)
    # A zero target outside hours is the next opening (Monday 08:00 EAT = 05:00 UTC); inside, the start.
    assert add_business_time(eat(2026, 12, 5, 22), timedelta(0), kenya) == utc(2026, 12, 7, 5)
    assert add_business_time(eat(2026, 12, 7, 10), timedelta(0), kenya) == utc(2026, 12, 7, 7)
    assert business_time_between(eat(2026, 12, 5, 22), eat(2026, 12, 7, 9), kenya) == H


def test_an_empty_or_reversed_span_has_no_business_time(kenya):
    assert business_time_between(eat(2026, 12, 7, 12), eat(2026, 12, 7, 12), kenya) == timedelta(0)
    assert business_time_between(eat(2026, 12, 7, 12), eat(2026, 12, 7, 10), kenya) == timedelta(0)


# --- pauses (waiting on the customer) -------------------------------------------------------------------


def test_a_closed_pause_moves_the_due_time(kenya):
    start = eat(2026, 12, 7, 9)  # Monday 09:00 EAT
    # No pause: 09:00 + 8 h = 17:00 EAT = 14:00 UTC.
    assert due_at(start, 8 * H, kenya, []) == utc(2026, 12, 7, 14)
    # Paused 11:00-14:00: 2 h before, 3 h after (14:00-17:00), 3 h on Tuesday from 08:00: 11:00 EAT = 08:00 UTC.
    pause = (eat(2026, 12, 7, 11), eat(2026, 12, 7, 14))
    assert due_at(start, 8 * H, kenya, [pause]) == utc(2026, 12, 8, 8)
    # The same pause given as two overlapping pieces, out of order, counts once.
    pieces = [(eat(2026, 12, 7, 12), eat(2026, 12, 7, 14)), (eat(2026, 12, 7, 11), eat(2026, 12, 7, 13))]
    assert due_at(start, 8 * H, kenya, pieces) == utc(2026, 12, 8, 8)
    # Consumed by Monday 15:00: 09:00-11:00 and 14:00-15:00, 3 h; by Tuesday 10:00: 2 + 3 + 2 = 7 h.
    assert elapsed(start, eat(2026, 12, 7, 15), kenya, [pause]) == 3 * H
    assert elapsed(start, eat(2026, 12, 8, 10), kenya, [pause]) == 7 * H
    # In the middle of the pause (12:00) only the 2 h before it count.
    assert elapsed(start, eat(2026, 12, 7, 12), kenya, [pause]) == 2 * H


def test_a_pause_outside_hours_or_before_the_start(kenya):
    start = eat(2026, 12, 7, 9)
    # 12 h from Monday 09:00: 8 h Monday, 4 h Tuesday from 08:00: 12:00 EAT = 09:00 UTC, with or without a
    # pause from Monday 18:00 to Tuesday 07:00, when the queue is closed anyway.
    overnight = (eat(2026, 12, 7, 18), eat(2026, 12, 8, 7))
    assert due_at(start, 12 * H, kenya, []) == utc(2026, 12, 8, 9)
    assert due_at(start, 12 * H, kenya, [overnight]) == utc(2026, 12, 8, 9)
    # A pause from 08:00 to 10:00 that began before the 09:00 start: the clock starts at 10:00, 7 h on Monday,
    # 1 h on Tuesday from 08:00: 09:00 EAT = 06:00 UTC.
    early = (eat(2026, 12, 7, 8), eat(2026, 12, 7, 10))
    assert due_at(start, 8 * H, kenya, [early]) == utc(2026, 12, 8, 6)


def test_an_open_pause_stops_the_clock(kenya):
    start = eat(2026, 12, 7, 9)
    waiting = (eat(2026, 12, 7, 11), None)
    assert due_at(start, 8 * H, kenya, [waiting]) is None
    assert due_at(start, 8 * H, kenya, [(eat(2026, 12, 7, 10), eat(2026, 12, 7, 10, 30)), waiting]) is None
    # Waiting since 11:00: at 15:00 and on Tuesday alike, only 09:00-11:00 counted.
    assert elapsed(start, eat(2026, 12, 7, 15), kenya, [waiting]) == 2 * H
    assert elapsed(start, eat(2026, 12, 8, 15), kenya, [waiting]) == 2 * H


# --- the queue's time zone --------------------------------------------------------------------------


def test_the_same_instants_in_different_queue_zones():
    def hours(tz: str) -> BusinessHours:
        return BusinessHours.weekdays(tz=tz, start=time(9), end=time(17))

    start = utc(2026, 12, 7, 14)  # Monday
    # Paris (UTC+1): 15:00, 2 h on Monday, 2 h on Tuesday from 09:00: 11:00 CET = 10:00 UTC Tuesday.
    assert add_business_time(start, 4 * H, hours("Europe/Paris")) == utc(2026, 12, 8, 10)
    # New York (UTC-5): 09:00, the whole 4 h on Monday: 13:00 EST = 18:00 UTC Monday.
    assert add_business_time(start, 4 * H, hours("America/New_York")) == utc(2026, 12, 7, 18)
    # Tokyo (UTC+9): 23:00 Monday, closed; Tuesday 09:00 + 4 h = 13:00 JST = 04:00 UTC Tuesday.
    assert add_business_time(start, 4 * H, hours("Asia/Tokyo")) == utc(2026, 12, 8, 4)
    # 14:00-20:00 UTC Monday: Paris 15:00-21:00 (2 h open), New York 09:00-15:00 (6 h), Tokyo 23:00-05:00 (none).
    end = utc(2026, 12, 7, 20)
    assert business_time_between(start, end, hours("Europe/Paris")) == 2 * H
    assert business_time_between(start, end, hours("America/New_York")) == 6 * H
    assert business_time_between(start, end, hours("Asia/Tokyo")) == timedelta(0)


def test_the_zone_of_the_given_instant_does_not_matter(kenya):
    # One instant written in three zones: Monday 7 December 10:00 EAT.
    expected = utc(2026, 12, 7, 10)  # 10:00 EAT + 3 h = 13:00 EAT = 10:00 UTC
    for start in (eat(2026, 12, 7, 10), utc(2026, 12, 7, 7), paris(2026, 12, 7, 8)):
        assert add_business_time(start, 3 * H, kenya) == expected
        assert add_business_time(start, 3 * H, kenya).utcoffset() == timedelta(0)


# --- daylight saving time ---------------------------------------------------------------------------


def test_round_the_clock_hours_show_the_hour_lost_and_gained():
    hours = BusinessHours.always("Europe/Paris")
    # Saturday 28 March 00:00 CET (27th 23:00 UTC) to Monday 30 March 00:00 CEST (29th 22:00 UTC): 47 h.
    assert business_time_between(paris(2026, 3, 28), paris(2026, 3, 30), hours) == 47 * H
    # Saturday 24 October 00:00 CEST (23rd 22:00 UTC) to Monday 26 October 00:00 CET (25th 23:00 UTC): 49 h.
    assert business_time_between(paris(2026, 10, 24), paris(2026, 10, 26), hours) == 49 * H
    # 24 h from Saturday 28 March 12:00 CET (11:00 UTC) is Sunday 11:00 UTC, which the wall clock shows as 13:00.
    due = add_business_time(paris(2026, 3, 28, 12), 24 * H, hours)
    assert due == utc(2026, 3, 29, 11)
    assert due.astimezone(PARIS).hour == 13


def test_opening_hours_that_include_the_change_gain_or_lose_an_hour():
    night = BusinessHours("Europe/Paris", dict.fromkeys(range(7), ((time(1), time(5)),)))
    # Saturday 28 March, 01:00-05:00 CET: 4 h.
    assert business_time_between(paris(2026, 3, 28), paris(2026, 3, 29), night) == 4 * H
    # Sunday 29 March, 01:00 CET (00:00 UTC) to 05:00 CEST (03:00 UTC): 3 h.
    assert business_time_between(paris(2026, 3, 29), paris(2026, 3, 30), night) == 3 * H
    # Sunday 25 October, 01:00 CEST (24th 23:00 UTC) to 05:00 CET (04:00 UTC): 5 h.
    assert business_time_between(paris(2026, 10, 25), paris(2026, 10, 26), night) == 5 * H
    # 4 h from Sunday 29 March 01:00 CET: 3 h that night, 1 h from Monday 01:00 CEST (Sunday 23:00 UTC):
    # Monday 02:00 CEST = Monday 00:00 UTC.
    assert add_business_time(paris(2026, 3, 29, 1), 4 * H, night) == utc(2026, 3, 30, 0)


def test_opening_hours_away_from_the_change_keep_their_length():
    daytime = BusinessHours.weekdays(tz="Europe/Paris", start=time(9), end=time(17), days=range(7))
    # Sunday 29 March 09:00-17:00 CEST and Sunday 25 October 09:00-17:00 CET: 8 h each.
    assert business_time_between(paris(2026, 3, 29), paris(2026, 3, 30), daytime) == 8 * H
    assert business_time_between(paris(2026, 10, 25), paris(2026, 10, 26), daytime) == 8 * H
    # Monday to Friday: Friday 27 March 16:00 CET (15:00 UTC) + 2 h: 1 h on Friday, Monday 30 March
    # 09:00-10:00 CEST: 10:00 CEST = 08:00 UTC (the same wall time a week earlier would be 09:00 UTC).
    weekdays = BusinessHours.weekdays(tz="Europe/Paris", start=time(9), end=time(17))
    assert add_business_time(paris(2026, 3, 27, 16), 2 * H, weekdays) == utc(2026, 3, 30, 8)
    assert add_business_time(paris(2026, 3, 20, 16), 2 * H, weekdays) == utc(2026, 3, 23, 9)


def test_skipped_and_repeated_wall_times_are_read_one_fixed_way():
    hours = BusinessHours("Europe/Paris", dict.fromkeys(range(7), ((time(2, 30), time(4)),)))
    # 29 March: 02:30 never happens; the interval opens when the clock jumps to 03:00 CEST (01:00 UTC) and
    # closes at 04:00 CEST (02:00 UTC): 1 h.
    assert business_time_between(paris(2026, 3, 29), paris(2026, 3, 30), hours) == H
    assert add_business_time(paris(2026, 3, 29), timedelta(0), hours) == utc(2026, 3, 29, 1)
    # 25 October: 02:30 happens twice; the first one (CEST, 00:30 UTC) opens, 04:00 CET (03:00 UTC) closes: 2.5 h.
    assert business_time_between(paris(2026, 10, 25), paris(2026, 10, 26), hours) == 2.5 * H
    assert add_business_time(paris(2026, 10, 25), timedelta(0), hours) == utc(2026, 10, 25, 0, 30)


def test_a_closing_time_of_midnight_is_the_end_of_the_day():
    evening = BusinessHours("Africa/Nairobi", {0: ((time(18), END_OF_DAY),)})
    # Monday 7 December 18:00-24:00 EAT: 6 h; 5 h from 18:00 is 23:00 EAT = 20:00 UTC.
    assert business_time_between(eat(2026, 12, 7), eat(2026, 12, 8), evening) == 6 * H
    assert add_business_time(eat(2026, 12, 7, 18), 5 * H, evening) == utc(2026, 12, 7, 20)


# --- values -----------------------------------------------------------------------------------------


def test_good_values_have_no_errors_and_build_equal_hours():
    monday_to_friday = dict.fromkeys(range(5), ((time(8), time(12)), (time(13), time(17))))
    assert validate_business_hours("Africa/Nairobi", monday_to_friday, "ke") == {}
    assert validate_business_hours("Europe/Paris", monday_to_friday, "FR", "Zone A") == {}
    from_mapping = BusinessHours("Africa/Nairobi", monday_to_friday, "ke")
    as_week = BusinessHours("Africa/Nairobi", (*([((time(8), time(12)), (time(13), time(17)))] * 5), (), ()), "KE")
    assert from_mapping == as_week
    assert hash(from_mapping) == hash(as_week)
    assert from_mapping.country == "KE"


def test_bad_values_give_messages_by_field():
    week = dict.fromkeys(range(5), ((time(9), time(17)),))
    assert validate_business_hours("Mars/Olympus_Mons", week) == {
        "time_zone": ["“Mars/Olympus_Mons” is not a known time zone."]
    }
    assert validate_business_hours("", week) == {"time_zone": ["Choose a time zone."]}
    assert validate_business_hours("UTC", week, "XX") == {
        "country": ["No public holidays are known for the country “XX”."]
    }
    assert validate_business_hours("UTC", week, "FR", "Atlantis") == {
        "subdivision": ["No public holidays are known for the subdivision “Atlantis” of FR."]
    }
    assert validate_business_hours("UTC", week, "", "Zone A") == {
        "subdivision": ["Choose the country of this subdivision."]
    }
    assert validate_business_hours("UTC", {0: ((time(17), time(9)),)}) == {
        "schedule": ["On Monday, the opening time 17:00 must be before the closing time 09:00."]
    }
    assert validate_business_hours("UTC", {2: ((time(9), time(9)),)}) == {
        "schedule": ["On Wednesday, the opening time 09:00 must be before the closing time 09:00."]
    }
    assert validate_business_hours("UTC", {}) == {"schedule": ["Give at least one opening interval."]}
    assert validate_business_hours("UTC", {0: (), 6: ()}) == {"schedule": ["Give at least one opening interval."]}
    assert validate_business_hours("UTC", {4: ((time(9), time(12)), (time(11), time(14)))}) == {
        "schedule": ["On Friday, the opening intervals 09:00-12:00 and 11:00-14:00 overlap."]
    }
    assert validate_business_hours("UTC", {7: ((time(9), time(12)),)}) == {
        "schedule": ["“7” is not a day of the week (0 is Monday, 6 is Sunday)."]
    }
    assert validate_business_hours("UTC", {0: (("9", "17"),)}) == {
        "schedule": ["On Monday, an opening interval is not two times of day."]
    }


def test_bad_values_cannot_make_hours():
    with pytest.raises(ValueError, match="is not a known time zone"):
        BusinessHours.weekdays(tz="Nowhere/City", start=time(9), end=time(17))
    with pytest.raises(ValueError, match="must be before the closing time"):
        BusinessHours.weekdays(tz="UTC", start=time(17), end=time(9))
    with pytest.raises(ValueError, match="at least one opening interval"):
        BusinessHours("UTC", {})


# --- bounds -----------------------------------------------------------------------------------------


def test_targets_over_a_year_are_refused(kenya):
    always = BusinessHours.always("UTC")
    # Round the clock, 366 days of business time is 366 calendar days: 1 January 2026 + 366 = 2 January 2027.
    assert add_business_time(utc(2026, 1, 1), timedelta(days=366), always) == utc(2027, 1, 2)
    with pytest.raises(ValueError, match="more than 366 days"):
        add_business_time(utc(2026, 1, 1), timedelta(days=367), always)
    with pytest.raises(ValueError, match="more than 366 days"):
        due_at(utc(2026, 1, 1), timedelta(days=400), kenya, [])
    with pytest.raises(ValueError, match="negative"):
        add_business_time(utc(2026, 1, 1), -H, kenya)


def test_hours_that_cannot_meet_a_target_stop_the_walk():
    # One minute a week: 100 h would take 6,000 weeks, far past the walk's bound.
    minute = BusinessHours("UTC", {0: ((time(9), time(9, 1)),)})
    with pytest.raises(ValueError, match="days to walk"):
        add_business_time(utc(2026, 1, 1), 100 * H, minute)
    with pytest.raises(ValueError, match="days to walk"):
        due_at(utc(2026, 1, 1), 100 * H, minute, [(utc(2026, 1, 2), utc(2026, 1, 3))])
    # Counting over six years is refused as well; over two it is one minute per Monday: 2026 has 52 Mondays
    # (from 5 January to 28 December), 2027 has 52 (from 4 January to 27 December): 104 minutes.
    with pytest.raises(ValueError, match="days to walk"):
        business_time_between(utc(2026, 1, 1), utc(2032, 1, 1), minute)
    assert business_time_between(utc(2026, 1, 1), utc(2028, 1, 1), minute) == timedelta(minutes=104)


def test_naive_datetimes_are_refused(kenya):
    with pytest.raises(ValueError, match="aware"):
        add_business_time(datetime(2026, 12, 7, 9), H, kenya)
