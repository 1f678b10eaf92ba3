"""iCalendar files: escaped text, folded lines, whole days and UTC times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from apps.core.ics import CalendarEntry, calendar, escape_text, fold


def test_text_is_escaped_as_rfc_5545_says():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "تجديد العلامة التجارية " * 10
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if i else piece for i, piece in enumerate(pieces)) == line


def test_a_calendar_holds_whole_days_and_utc_times():
    nairobi = timezone(timedelta(hours=3))
    body = calendar(
        [
            CalendarEntry(uid="deadline-1@portal", summary="Renew mark, KE", start=date(2027, 3, 31)),
            CalendarEntry(
                uid="event-2@portal",
                summary="Webinar",
                start=datetime(2027, 1, 5, 10, 0, tzinfo=nairobi),
                location="Online",
                url="https://portal.example/events/2/",
                sequence=2,
            ),
        ],
        name="My deadlines",
        now=datetime(2026, 12, 6, tzinfo=UTC),
    ).decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20270331\r\nDTEND;VALUE=DATE:20270401" in body
    assert "DTSTART:20270105T070000Z\r\nDTEND:20270105T080000Z" in body
    assert "SUMMARY:Renew mark\\, KE" in body
    assert "SEQUENCE:2" in body
    assert "X-WR-CALNAME:My deadlines" in body
    assert body.count("BEGIN:VEVENT") == 2


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        calendar([CalendarEntry(uid="x", summary="x", start=datetime(2027, 1, 1, 10))])
