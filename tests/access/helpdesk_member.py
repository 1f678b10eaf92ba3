"""The access matrix's table for the MSMEs' helpdesk pages (see tests/access/__init__.py).

`ticket` is the own MSME's ticket in the agency's queue (not routed to a division); `attachment` is on its
public reply. Agents are sent to their own pages: the front door and the MSME's list to the queue, a ticket's
page to its work page; the MSME's POST actions answer them 403 (they reply from their pages).
"""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                anon own  oth  help agcy anl  dagt adm
    # Members go to their tickets, agents to the queue; anyone else reads what the helpdesk is.
    "helpdesk:home":             row(200, 302, 302, 302, 200, 200, 302, 200),
    "helpdesk:new":              row(302, 200, 200, 403, 403, 403, 403, 403),
    "helpdesk:suggest":          row(302, 200, 200, 403, 403, 403, 403, 403),
    "helpdesk:mine":             row(302, 200, 200, 302, 403, 403, 302, 403),
    # Another member and the division agent (the ticket is not routed to it) do not see it.
    "helpdesk:ticket":           row(302, 200, 404, 302, 403, 403, 404, 403),
    # POST-only; an empty POST: a reply without text is a 400, closing works (then back to the page),
    # rating a ticket that is not resolved is refused.
    # The division agent does not see the ticket at all (404) before being told these are not its pages.
    "helpdesk:reply":            row(302, 400, 404, 403, 403, 403, 404, 403),
    "helpdesk:close":            row(302, 302, 404, 403, 403, 403, 404, 403),
    "helpdesk:rate":             row(302, 403, 404, 403, 403, 403, 404, 403),
    # The tenant's agent downloads the files of the tickets it works; the division agent works none here.
    "helpdesk:attachment":       row(302, 200, 404, 200, 403, 403, 404, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "helpdesk:ticket": {"ticket_pk": "ticket"},
    "helpdesk:reply": {"ticket_pk": "ticket"},
    "helpdesk:close": {"ticket_pk": "ticket"},
    "helpdesk:rate": {"ticket_pk": "ticket"},
    "helpdesk:attachment": {"attachment_pk": "attachment"},
}
POST_ONLY: set[str] = {"helpdesk:reply", "helpdesk:close", "helpdesk:rate"}
XFAIL: dict[tuple[str, str], str] = {}
