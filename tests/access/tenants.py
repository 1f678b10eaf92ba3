"""The access matrix's table for tenants (see tests/access/__init__.py)."""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                       anon own  oth  help agcy anl  dagt adm
    "tenants:switch":   row(302, 200, 200, 200, 200, 200, 200, 200),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {}
POST_ONLY: set[str] = set()
XFAIL: dict[tuple[str, str], str] = {}
