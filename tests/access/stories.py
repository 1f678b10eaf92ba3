"""The access matrix's table for success stories (see tests/access/__init__.py).

`story` is a published story of the tenant: public. Agency staff submit their agency's stories and follow them;
the platform's administrators review them in the admin (tests/access/admin.py).
"""

from tests.access.data import everyone, row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                    anon own  oth  help agcy anl  dagt adm
    "stories:index":                 everyone(200),
    "stories:detail":                everyone(200),
    "stories:mine":                  row(302, 403, 403, 403, 200, 403, 403, 403),
    "stories:new":                   row(302, 403, 403, 403, 200, 403, 403, 403),
    "api:story-list":                everyone(200),
    "api:story-detail":              everyone(200),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "stories:detail": {"story_pk": "story"},
    "api:story-detail": {"pk": "story"},
}
POST_ONLY: set[str] = set()
XFAIL: dict[tuple[str, str], str] = {}
