"""iCalendar (RFC 5545) files: an event's invitation, a calendar feed of deadlines.

Only what calendar apps need to show and update an entry: a stable UID (the same entry sent again replaces
the old one), its start and end (a time in UTC, or a whole day), a summary, a description, a place, a link,
and METHOD:CANCEL for a cancelled one. Text is escaped (RFC 5545 3.3.11) and lines are folded at 75 octets
(3.1), never inside a UTF-8 character.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

PRODUCT_ID = "-//MSME IP portal//EN"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str  # unique and stable: "<kind>-<row id>@<host>"
    summary: str
    start: datetime | date  # a datetime (aware) for a timed entry, a date for a whole day
    end: datetime | date | None = None  # None: one day for a date, one hour for a datetime
    description: str = ""
    location: str = ""
    url: str = ""
    sequence: int = 0  # raised on each change, so calendar apps take the newer version
    cancelled: bool = False


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """`line` folded into lines of at most 75 octets, each continuation starting with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    for character in line:
        if len((current + character).encode("utf-8")) > limit:
            parts.append(current)
            current = character
            limit = 74  # the leading space of a continuation line counts
        else:
            current += character
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: datetime | date) -> str:
    if isinstance(value, datetime):
        return f"{name}:{_utc(value)}"
    return f"{name};VALUE=DATE:{value.strftime('%Y%m%d')}"


def _end(entry: CalendarEntry) -> datetime | date:
    if entry.end is not None:
        return entry.end
    if isinstance(entry.start, datetime):
        return entry.start + timedelta(hours=1)
    return entry.start + timedelta(days=1)


def calendar(
    entries: Iterable[CalendarEntry], *, name: str = "", now: datetime | None = None, method: str = "PUBLISH"
) -> bytes:
    """The iCalendar file of `entries` (CRLF line ends, UTF-8)."""
    stamp = _utc(now or datetime.now(UTC))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN", f"METHOD:{method}"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for entry in entries:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(entry.uid)}",
            f"DTSTAMP:{stamp}",
            _when("DTSTART", entry.start),
            _when("DTEND", _end(entry)),
            f"SEQUENCE:{entry.sequence}",
            f"SUMMARY:{escape_text(entry.summary)}",
        ]
        if entry.description:
            lines.append(f"DESCRIPTION:{escape_text(entry.description)}")
        if entry.location:
            lines.append(f"LOCATION:{escape_text(entry.location)}")
        if entry.url:
            lines.append(f"URL:{entry.url}")
        lines.append("STATUS:CANCELLED" if entry.cancelled else "STATUS:CONFIRMED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
