"""The access matrix's table for events and trainings (see tests/access/__init__.py).

`event` is an upcoming event of the tenant; `registration` is the own MSME's confirmed registration for it.
Events are for the tenant's MSME members and its agency staff; helpdesk agents, divisions and platform
admins have no page here (403).
"""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                    anon own  oth  help agcy anl  dagt adm
    "events:index":                  row(302, 200, 200, 403, 200, 403, 403, 403),
    # An event's pages load it through the rule's rows: to a role of the tenant the rule refuses, no such
    # event (404); users with no tenant (divisions, platform admins) are refused before (403).
    "events:detail":                 row(302, 200, 200, 404, 200, 403, 403, 403),
    "events:ics":                    row(302, 200, 200, 404, 200, 403, 403, 403),
    # The member's own registrations page; staff see an event's on its registrations page.
    "events:mine":                   row(302, 200, 200, 403, 403, 403, 403, 403),
    # Posted empty: the own MSME is registered already (400, on the page); the other member registers
    # their MSME (back to the event); staff must name the MSME (the form again, 400).
    "events:register":               row(302, 400, 302, 404, 400, 403, 403, 403),
    # The own MSME's registration: its member and staff cancel it; another member does not see it (404).
    "events:registration-cancel":    row(302, 302, 404, 404, 302, 403, 403, 403),
    "events:create":                 row(302, 403, 403, 403, 200, 403, 403, 403),
    "events:edit":                   row(302, 404, 404, 404, 200, 403, 403, 403),
    "events:cancel":                 row(302, 404, 404, 404, 302, 403, 403, 403),
    "events:registrations":          row(302, 404, 404, 404, 200, 403, 403, 403),
    # Posted with no marks: the page again with the error.
    "events:attendance":             row(302, 404, 404, 404, 400, 403, 403, 403),
    "events:feedback-summary":       row(302, 404, 404, 404, 200, 403, 403, 403),
    # The signed link: a forged one is refused alike for everyone, signed in or not.
    "events:feedback":               row(404, 404, 404, 404, 404, 404, 404, 404),
    #                                    anon own  oth  help agcy anl  dagt adm
    "api:event-list":                row(401, 200, 200, 403, 200, 403, 403, 403),
    "api:event-detail":              row(401, 200, 200, 403, 200, 403, 403, 403),
    # Posted as an empty form: the API reads JSON only (415) once the rule let the caller in.
    "api:event-register":            row(401, 415, 415, 403, 415, 403, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "events:detail": {"event_pk": "event"},
    "events:ics": {"event_pk": "event"},
    "events:register": {"event_pk": "event"},
    "events:registration-cancel": {"registration_pk": "registration"},
    "events:edit": {"event_pk": "event"},
    "events:cancel": {"event_pk": "event"},
    "events:registrations": {"event_pk": "event"},
    "events:attendance": {"event_pk": "event"},
    "events:feedback-summary": {"event_pk": "event"},
    "events:feedback": {"token": "forged-token"},
    "api:event-detail": {"pk": "event"},
    "api:event-register": {"pk": "event"},
}
POST_ONLY: set[str] = {
    "events:register",
    "events:registration-cancel",
    "events:cancel",
    "events:attendance",
    "api:event-register",
}
XFAIL: dict[tuple[str, str], str] = {}
