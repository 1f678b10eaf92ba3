"""The access matrix's table for the helpdesk's agent pages (see tests/access/__init__.py).

Only helpdesk agents work tickets: every other signed-in role is refused (403), even the member who asked
(their own pages are the member pages). `ticket` is in the agency's queue: the tenant's agent works it, the
division's agent does not see it at all (404, as another tenant's).
"""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                anon own  oth  help agcy anl  dagt adm
    "helpdesk:queue":            row(302, 403, 403, 200, 403, 403, 200, 403),
    # An empty bulk POST: back to the queue with an error.
    "helpdesk:bulk":             row(302, 403, 403, 302, 403, 403, 302, 403),
    "helpdesk:work":             row(302, 403, 403, 200, 403, 403, 404, 403),
    # An empty reply: the work page again with the error.
    "helpdesk:work-reply":       row(302, 403, 403, 400, 403, 403, 404, 403),
    # Empty action forms: back to the work page with an error (an empty assignee unassigns).
    "helpdesk:status":           row(302, 403, 403, 302, 403, 403, 404, 403),
    "helpdesk:assign":           row(302, 403, 403, 302, 403, 403, 404, 403),
    "helpdesk:transfer":         row(302, 403, 403, 302, 403, 403, 404, 403),
    "helpdesk:merge":            row(302, 403, 403, 302, 403, 403, 404, 403),
    "helpdesk:link":             row(302, 403, 403, 302, 403, 403, 404, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    name: {"ticket_pk": "ticket"}
    for name in (
        "helpdesk:work",
        "helpdesk:work-reply",
        "helpdesk:status",
        "helpdesk:assign",
        "helpdesk:transfer",
        "helpdesk:merge",
        "helpdesk:link",
    )
}
POST_ONLY: set[str] = {
    "helpdesk:bulk",
    "helpdesk:work-reply",
    "helpdesk:status",
    "helpdesk:assign",
    "helpdesk:transfer",
    "helpdesk:merge",
    "helpdesk:link",
}
XFAIL: dict[tuple[str, str], str] = {}
