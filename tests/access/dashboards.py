"""The access matrix's table for the statistics pages (see tests/access/__init__.py).

Agency staff see their tenant's figures and may have them counted again; division analysts see their
countries' figures side by side (aggregates, suppressed) and cannot ask for a count (it is a tenant's job);
everyone else is told whom the page is for.
"""

from tests.access.data import everyone, row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                    anon own  oth  help agcy anl  dagt adm
    "dashboards:index":              row(302, 403, 403, 403, 200, 200, 403, 403),
    "dashboards:csv":                row(302, 403, 403, 403, 200, 200, 403, 403),
    # An agency's own country profile; a division analyst's list of its countries' profiles.
    "dashboards:profile":            row(302, 403, 403, 403, 200, 200, 403, 403),
    # The PDF of an agency's own profile (an analyst's are per country, below).
    "dashboards:profile-pdf":        row(302, 403, 403, 403, 200, 404, 403, 403),
    # A country's profile as a division analyst sees it, suppressed (an agency has its own, above).
    "dashboards:agency-profile":     row(302, 403, 403, 403, 404, 200, 403, 403),
    "dashboards:agency-profile-pdf": row(302, 403, 403, 403, 404, 200, 403, 403),
    # POST-only: counted again, then back to the page.
    "dashboards:refresh":            row(302, 403, 403, 403, 302, 403, 403, 403),
    # Open data: every country's suppressed figures, for anyone.
    "dashboards:open-data":          everyone(200),
    "dashboards:open-data-csv":      everyone(200),
    "dashboards:open-data-json":     everyone(200),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "dashboards:csv": {"table": "size"},
    "dashboards:agency-profile": {"agency": "matrix"},
    "dashboards:agency-profile-pdf": {"agency": "matrix"},
    "dashboards:open-data-csv": {"table": "sector"},
    "dashboards:open-data-json": {"table": "maturity"},
}
POST_ONLY: set[str] = {"dashboards:refresh"}
XFAIL: dict[tuple[str, str], str] = {}
