"""The access matrix's table for the helpdesk's counselling sessions (see tests/access/__init__.py)."""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                anon own  oth  help agcy anl  dagt adm
    # Members see their agency's free slots, the agency's agents their own slots; a division's agents
    # have no visits to make (403), nor does anyone else.
    "helpdesk:sessions":         row(302, 200, 200, 200, 403, 403, 403, 403),
    # The matrix's slot is booked already: a member's booking is refused on the page (400).
    "helpdesk:session-book":     row(302, 400, 400, 403, 403, 403, 403, 403),
    # The booking's member and the slot's agent cancel (then back to the page); another member does
    # not see the booking (404).
    "helpdesk:session-cancel":   row(302, 302, 404, 302, 403, 403, 403, 403),
    # An empty form is re-shown with its errors (400).
    "helpdesk:slot-publish":     row(302, 403, 403, 400, 403, 403, 403, 403),
    # The slot is booked: not withdrawn, back to the page with the reason.
    "helpdesk:slot-withdraw":    row(302, 403, 403, 302, 403, 403, 403, 403),
    # Empty notes: the page again with the error (400).
    "helpdesk:session-record":   row(302, 403, 403, 400, 403, 403, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "helpdesk:session-book": {"slot_pk": "slot"},
    "helpdesk:session-cancel": {"counselling_session_pk": "counselling_session"},
    "helpdesk:slot-withdraw": {"slot_pk": "slot"},
    "helpdesk:session-record": {"counselling_session_pk": "counselling_session"},
}
POST_ONLY: set[str] = {
    "helpdesk:session-book",
    "helpdesk:session-cancel",
    "helpdesk:slot-publish",
    "helpdesk:slot-withdraw",
    "helpdesk:session-record",
}
XFAIL: dict[tuple[str, str], str] = {}
