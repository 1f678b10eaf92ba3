"""The access matrix's table for guidance (see tests/access/__init__.py)."""

from tests.access.data import everyone, row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                  anon own  oth  help agcy anl  dagt adm
    "guidance:calculators":        everyone(200),
    "guidance:pct-deadlines":      everyone(200),
    "guidance:pct-fees":           everyone(200),
    "guidance:madrid-fees":        everyone(200),
    "guidance:hague-fees":         everyone(200),
    "guidance:route-comparison":   everyone(200),
    "guidance:index":              everyone(200),
    "guidance:search":             everyone(200),
    "guidance:topic":              everyone(200),
    "guidance:overlay-edit":       row(302, 403, 403, 403, 200, 403, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "guidance:topic": {"slug": "patents"},
    "guidance:overlay-edit": {"slug": "patents"},
}
POST_ONLY: set[str] = set()
XFAIL: dict[tuple[str, str], str] = {}
