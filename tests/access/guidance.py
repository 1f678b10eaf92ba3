"""The access matrix's table for guidance (see tests/access/__init__.py)."""

from tests.access.data import everyone, row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                  anon own  oth  help agcy anl  dagt adm
    "guidance:pct-deadlines":      everyone(200),
    "guidance:pct-fees":           everyone(200),
    "guidance:madrid-fees":        everyone(200),
    "guidance:hague-fees":         everyone(200),
    "guidance:route-comparison":   everyone(200),
    "guidance:index":              everyone(200),
    "guidance:search":             everyone(200),
    # Members are sent to their MSME's plan, agency staff to the registry; the rest see the general plan.
    "guidance:plan":               row(200, 302, 302, 200, 302, 200, 200, 200),
    # An MSME's plan: its members and the agency. Others of the tenant do not see the MSME (404);
    # users with no tenant are refused (403: the page belongs to an agency).
    "guidance:msme-plan":          row(302, 200, 404, 404, 200, 403, 403, 403),
    "guidance:msme-plan-pdf":      row(302, 200, 404, 404, 200, 403, 403, 403),
    "guidance:topic":              everyone(200),
    "guidance:overlay-edit":       row(302, 403, 403, 403, 200, 403, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "guidance:msme-plan": {"pk": "msme"},
    "guidance:msme-plan-pdf": {"pk": "msme"},
    "guidance:topic": {"slug": "patents"},
    "guidance:overlay-edit": {"slug": "patents"},
}
POST_ONLY: set[str] = set()
XFAIL: dict[tuple[str, str], str] = {}
