"""The access matrix's table for outreach's campaigns and the public unsubscribe page (see tests/access/__init__.py)."""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                anon own  oth  help agcy anl  dagt adm
    # The agency's staff keep the campaigns; nobody else sees one (403), not even a platform admin outside the
    # Django admin.
    "outreach:index":            row(302, 403, 403, 403, 200, 403, 403, 403),
    "outreach:campaign_create":  row(302, 403, 403, 403, 200, 403, 403, 403),
    "outreach:campaign_detail":  row(302, 403, 403, 403, 200, 403, 403, 403),
    "outreach:campaign_edit":    row(302, 403, 403, 403, 200, 403, 403, 403),
    "outreach:campaign_preview": row(302, 403, 403, 403, 200, 403, 403, 403),
    # POST: started, cancelled, a test sent; then back to the campaign's page.
    "outreach:campaign_send":    row(302, 403, 403, 403, 302, 403, 403, 403),
    "outreach:campaign_cancel":  row(302, 403, 403, 403, 302, 403, 403, 403),
    "outreach:campaign_test":    row(302, 403, 403, 403, 302, 403, 403, 403),
    # The API: the agency's staff alone; `send` and `cancel` answer the campaign (200).
    "api:campaign-list":         row(401, 403, 403, 403, 200, 403, 403, 403),
    "api:campaign-detail":       row(401, 403, 403, 403, 200, 403, 403, 403),
    "api:campaign-send":         row(401, 403, 403, 403, 200, 403, 403, 403),
    "api:campaign-cancel":       row(401, 403, 403, 403, 200, 403, 403, 403),
    # Public; a token that is not a valid signed link is refused alike for everyone (404).
    "outreach:unsubscribe":      row(404, 404, 404, 404, 404, 404, 404, 404),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "outreach:campaign_detail": {"campaign_pk": "campaign"},
    "outreach:campaign_edit": {"campaign_pk": "campaign"},
    "outreach:campaign_preview": {"campaign_pk": "campaign"},
    "outreach:campaign_send": {"campaign_pk": "campaign"},
    "outreach:campaign_cancel": {"campaign_pk": "campaign"},
    "outreach:campaign_test": {"campaign_pk": "campaign"},
    "outreach:unsubscribe": {"token": "not-a-signed-token"},
    "api:campaign-detail": {"pk": "campaign"},
    "api:campaign-send": {"pk": "campaign"},
    "api:campaign-cancel": {"pk": "campaign"},
}
POST_ONLY: set[str] = {
    "outreach:campaign_send",
    "outreach:campaign_cancel",
    "outreach:campaign_test",
    "api:campaign-send",
    "api:campaign-cancel",
}
XFAIL: dict[tuple[str, str], str] = {}
