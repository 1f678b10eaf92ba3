"""The access matrix's table for outreach's campaigns and the public unsubscribe page (see tests/access/__init__.py)."""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                anon own  oth  help agcy anl  dagt adm
    # Public; a token that is not a valid signed link is refused alike for everyone (404).
    "outreach:unsubscribe":      row(404, 404, 404, 404, 404, 404, 404, 404),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "outreach:unsubscribe": {"token": "not-a-signed-token"},
}
POST_ONLY: set[str] = set()
XFAIL: dict[tuple[str, str], str] = {}
