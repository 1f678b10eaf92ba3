"""The access matrix's table for the helpdesk's API routes (see tests/access/__init__.py).

`ticket` is the own MSME's ticket in the agency's queue: its member and the agency's helpdesk agent see
it; another member, and the PCT division's agent (who works only `routed_ticket`), get 404. Agency staff,
analysts and platform admins are not the helpdesk's users (403).
"""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                  anon own  oth  help agcy anl  dagt adm
    # Members: their tickets (another member's list is empty); agents: their queue, a division's agent
    # the tickets routed to the division.
    "api:ticket-list":             row(401, 200, 200, 200, 403, 403, 200, 403),
    "api:ticket-detail":           row(401, 200, 404, 200, 403, 403, 404, 403),
    "api:ticket-messages":         row(401, 200, 404, 200, 403, 403, 404, 403),
    # The agents' actions, posted empty: members and other roles are refused before the ticket is looked
    # up; the ticket's agent gets as far as reading the body, which must be JSON (415 for the empty form);
    # the division's agent does not see the ticket (404).
    "api:ticket-assign":           row(401, 403, 403, 415, 403, 403, 404, 403),
    "api:ticket-transfer":         row(401, 403, 403, 415, 403, 403, 404, 403),
    "api:ticket-status":           row(401, 403, 403, 415, 403, 403, 404, 403),
    # The member's: close takes no body (its member closes it); rate needs a resolved ticket (403).
    "api:ticket-close":            row(401, 200, 404, 403, 403, 403, 403, 403),
    "api:ticket-rate":             row(401, 403, 404, 403, 403, 403, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "api:ticket-detail": {"pk": "ticket"},
    "api:ticket-messages": {"pk": "ticket"},
    "api:ticket-assign": {"pk": "ticket"},
    "api:ticket-transfer": {"pk": "ticket"},
    "api:ticket-status": {"pk": "ticket"},
    "api:ticket-close": {"pk": "ticket"},
    "api:ticket-rate": {"pk": "ticket"},
}
POST_ONLY: set[str] = {
    "api:ticket-assign",
    "api:ticket-transfer",
    "api:ticket-status",
    "api:ticket-close",
    "api:ticket-rate",
}
XFAIL: dict[tuple[str, str], str] = {}
