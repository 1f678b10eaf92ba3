"""The access matrix's table for the outreach segments' pages and API (see tests/access/__init__.py).

Only the tenant's agency staff keep segments: every other signed-in role is refused (403) before any row is
looked up; anonymous visitors are sent to sign in (pages) or answered 401 (API). `segment` is the agency's,
used by no campaign.
"""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                    anon own  oth  help agcy anl  dagt adm
    "outreach:segment_list":         row(302, 403, 403, 403, 200, 403, 403, 403),
    "outreach:segment_create":       row(302, 403, 403, 403, 200, 403, 403, 403),
    "outreach:segment_count":        row(302, 403, 403, 403, 200, 403, 403, 403),
    "outreach:segment_detail":       row(302, 403, 403, 403, 200, 403, 403, 403),
    "outreach:segment_edit":         row(302, 403, 403, 403, 200, 403, 403, 403),
    # GET: the confirmation page (the delete itself is a POST, tested in tests/outreach/).
    "outreach:segment_delete":       row(302, 403, 403, 403, 200, 403, 403, 403),
    "api:segment-list":              row(401, 403, 403, 403, 200, 403, 403, 403),
    "api:segment-detail":            row(401, 403, 403, 403, 200, 403, 403, 403),
    "api:segment-count":             row(401, 403, 403, 403, 200, 403, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "outreach:segment_detail": {"pk": "segment"},
    "outreach:segment_edit": {"pk": "segment"},
    "outreach:segment_delete": {"pk": "segment"},
    "api:segment-detail": {"pk": "segment"},
    "api:segment-count": {"pk": "segment"},
}
POST_ONLY: set[str] = set()
XFAIL: dict[tuple[str, str], str] = {}
