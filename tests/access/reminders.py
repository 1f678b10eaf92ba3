"""The access matrix's table for the reminders pages (see tests/access/__init__.py).

The pages are each MSME member's own (the member of another MSME gets their own page, not the first one's);
staff of every kind are told the pages are for MSME members. The calendar feed answers anyone who holds the
address (`calendar_feed`, the own member's), signed in or not: its token is the credential.
"""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                    anon own  oth  help agcy anl  dagt adm
    "reminders:index":               row(302, 200, 200, 403, 403, 403, 403, 403),
    # POST-only. An empty POST turns every reminder off (then back to the page); making an address shows it
    # on the page at once (it is shown this once); revoking goes back to the page.
    "reminders:settings":            row(302, 302, 302, 403, 403, 403, 403, 403),
    "reminders:calendar":            row(302, 200, 200, 403, 403, 403, 403, 403),
    "reminders:calendar-revoke":     row(302, 302, 302, 403, 403, 403, 403, 403),
    "reminders:feed":                row(200, 200, 200, 200, 200, 200, 200, 200),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "reminders:feed": {"token": "calendar_feed"},
}
POST_ONLY: set[str] = {"reminders:settings", "reminders:calendar", "reminders:calendar-revoke"}
XFAIL: dict[tuple[str, str], str] = {}
