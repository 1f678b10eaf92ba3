"""The access matrix's table for core (see tests/access/__init__.py)."""

from tests.access.data import everyone

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                            anon own  oth  help agcy anl  dagt adm
    "home":                  everyone(200),
    "healthz":               everyone(200),
    "about-privacy":         everyone(200),
    "about-terms":           everyone(200),
    "about-contact":         everyone(200),
    "about-accessibility":   everyone(200),
    "set_language":          everyone(302),  # an empty POST: back to where the visitor came from
    "api-schema":            everyone(200),
    "api-docs":              everyone(200),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {}
POST_ONLY: set[str] = {"set_language"}
XFAIL: dict[tuple[str, str], str] = {}
