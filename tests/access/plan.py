"""The access matrix's table for the action plan (apps.plan; see tests/access/__init__.py).

Its pages kept the "guidance:" names and /guidance/plan/ paths they had inside the guidance app; its
API route is in tests/access/api.py with the other /api/v1/ routes.
"""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                  anon own  oth  help agcy anl  dagt adm
    # Members are sent to their MSME's plan, agency staff to the registry; the rest see the general plan.
    "guidance:plan":               row(200, 302, 302, 200, 302, 200, 200, 200),
    # An MSME's plan: its members and the agency. Others of the tenant do not see the MSME (404);
    # users with no tenant are refused (403: the page belongs to an agency).
    "guidance:msme-plan":          row(302, 200, 404, 404, 200, 403, 403, 403),
    "guidance:msme-plan-pdf":      row(302, 200, 404, 404, 200, 403, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "guidance:msme-plan": {"pk": "msme"},
    "guidance:msme-plan-pdf": {"pk": "msme"},
}
POST_ONLY: set[str] = set()
XFAIL: dict[tuple[str, str], str] = {}
