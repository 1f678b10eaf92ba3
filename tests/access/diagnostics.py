"""The access matrix's table for diagnostics (see tests/access/__init__.py)."""

from tests.access.data import everyone, row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                anon own  oth  help agcy anl  dagt adm
    "diagnostics:start":         everyone(200),
    "diagnostics:step":          everyone(200),
    "diagnostics:result":        row(302, 200, 302, 302, 302, 302, 302, 302),  # no result yet: to the start
    "diagnostics:assessment":    row(302, 200, 404, 403, 200, 403, 403, 403),  # another MSME's: 404
    "diagnostics:record":        row(302, 403, 403, 403, 302, 403, 403, 403),  # agency: on to step 1
    "diagnostics:record-step":   row(302, 403, 403, 403, 200, 403, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "diagnostics:step": {"step": "1"},
    "diagnostics:assessment": {"pk": "assessment"},
    "diagnostics:record": {"pk": "msme"},
    "diagnostics:record-step": {"pk": "msme", "step": "1"},
}
POST_ONLY: set[str] = set()
XFAIL: dict[tuple[str, str], str] = {}
