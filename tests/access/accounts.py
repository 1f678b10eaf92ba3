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
    # An empty POST names no list that keeps saved filters: 400 for a user in the tenant, 403 without one.
    "accounts:saved-filter-save":  row(302, 400, 400, 400, 400, 403, 403, 403),
    # An empty POST to delete the agency staff's saved filters: its owner is sent back to the registry list,
    # anyone else in the tenant gets 404 (another user's saved filters do not exist for them).
    "accounts:saved-filter-delete": row(302, 404, 404, 404, 302, 403, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "accounts:api-token-revoke": {"token_id": "api_token"},
    "accounts:saved-filter-delete": {"saved_filter_pk": "saved_filter"},
}
POST_ONLY: set[str] = {"accounts:api-token-revoke", "accounts:saved-filter-save", "accounts:saved-filter-delete"}
XFAIL: dict[tuple[str, str], str] = {}
