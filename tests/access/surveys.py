"""The access matrix's table for needs surveys, pages and API (see tests/access/__init__.py).

Only the tenant's agency staff build surveys and read their answers; every other signed-in role is refused
(403) before any row is looked up. The answer page is public: its signed token decides, and a token that is
not one (here the literal "x") is refused with the same 404 to everyone. `survey` is the tenant's open
survey; `survey_question` its short-text question.
"""

from tests.access.data import everyone, row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                             anon own  oth  help agcy anl  dagt adm
    "surveys:index":          row(302, 403, 403, 403, 200, 403, 403, 403),
    "surveys:create":         row(302, 403, 403, 403, 200, 403, 403, 403),
    "surveys:detail":         row(302, 403, 403, 403, 200, 403, 403, 403),
    "surveys:edit":           row(302, 403, 403, 403, 200, 403, 403, 403),
    "surveys:preview":        row(302, 403, 403, 403, 200, 403, 403, 403),
    "surveys:results":        row(302, 403, 403, 403, 200, 403, 403, 403),
    "surveys:export":         row(302, 403, 403, 403, 200, 403, 403, 403),
    "surveys:texts":          row(302, 403, 403, 403, 200, 403, 403, 403),
    # Posted: back to the survey's page.
    "surveys:open":           row(302, 403, 403, 403, 302, 403, 403, 403),
    "surveys:close":          row(302, 403, 403, 403, 302, 403, 403, 403),
    "surveys:answer":         everyone(404),
    "api:survey-list":        row(401, 403, 403, 403, 200, 403, 403, 403),
    "api:survey-detail":      row(401, 403, 403, 403, 200, 403, 403, 403),
    "api:survey-results":     row(401, 403, 403, 403, 200, 403, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "surveys:detail": {"survey_pk": "survey"},
    "surveys:edit": {"survey_pk": "survey"},
    "surveys:preview": {"survey_pk": "survey"},
    "surveys:results": {"survey_pk": "survey"},
    "surveys:export": {"survey_pk": "survey"},
    "surveys:texts": {"survey_pk": "survey", "question_pk": "survey_question"},
    "surveys:open": {"survey_pk": "survey"},
    "surveys:close": {"survey_pk": "survey"},
    "surveys:answer": {"token": "x"},
    "api:survey-detail": {"pk": "survey"},
    "api:survey-results": {"pk": "survey"},
}
POST_ONLY: set[str] = {"surveys:open", "surveys:close"}
XFAIL: dict[tuple[str, str], str] = {}
