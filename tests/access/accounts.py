"""The access matrix's table for accounts (see tests/access/__init__.py)."""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                  anon own  oth  help agcy anl  dagt adm
    "accounts:profile":            row(302, 200, 200, 200, 200, 200, 200, 200),
    "accounts:api-tokens":         row(302, 200, 200, 200, 200, 200, 200, 200),
    # An empty POST to revoke the agency staff's token: its owner is sent back to the list, anyone
    # else gets 404 (another user's token does not exist for them).
    "accounts:api-token-revoke":   row(302, 404, 404, 404, 302, 404, 404, 404),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "accounts:api-token-revoke": {"token_id": "api_token"},
}
POST_ONLY: set[str] = {"accounts:api-token-revoke"}
XFAIL: dict[tuple[str, str], str] = {}
