"""When a deadline's reminders are due: 90, 30 and 7 days ahead, each within a window.

A lead time's window runs from its own day down to the day after the next shorter lead time's: the 90-day
reminder goes out with 90 to 31 days left, the 30-day one with 30 to 8, the 7-day one with 7 to 0 (the day
itself). A daily job that missed days (beat was down) still sends the reminder whose window it is in (the
30-day one with 29 days left), never one whose window has passed (no 90-day reminder with 10 days left: the
30-day one goes instead, if it has not gone yet). A deadline entered late gets only the reminders still ahead.
"""

from __future__ import annotations

from apps.reminders.models import LEAD_DAYS


def lead_for(days_left: int) -> int | None:
    """The lead time (90, 30 or 7) whose window holds `days_left`; None outside every window."""
    if days_left < 0:
        return None
    shorter = sorted(LEAD_DAYS)
    for index, lead in enumerate(shorter):
        floor = shorter[index - 1] if index else -1
        if floor < days_left <= lead:
            return lead
    return None
