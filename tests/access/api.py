"""The access matrix's table for api (see tests/access/__init__.py)."""

from tests.access.data import everyone, row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                          anon own  oth  help agcy anl  dagt adm
    "api:me":                              row(401, 200, 200, 200, 200, 200, 200, 200),
    # An MSME and what hangs off it: its members and the agency; another member gets 404; roles the
    # registry is not for get 403.
    "api:msme-asset-list":                 row(401, 200, 404, 403, 200, 403, 403, 403),
    "api:msme-asset-detail":               row(401, 200, 404, 403, 200, 403, 403, 403),
    "api:msme-list":                       row(401, 200, 200, 403, 200, 403, 403, 403),  # members: their own
    "api:msme-import-file":                row(401, 403, 403, 403, 400, 403, 403, 403),  # agency: 400 naming `file`
    "api:msme-detail":                     row(401, 200, 404, 403, 200, 403, 403, 403),
    "api:msme-deadlines":                  row(401, 200, 404, 403, 200, 403, 403, 403),
    # Import jobs are agency staff's, as on the pages (/registry/import/...: 403 to members) and
    # POST /api/v1/msmes/import/ (403).
    "api:import-job-list":                 row(401, 403, 403, 403, 200, 403, 403, 403),
    "api:import-job-detail":               row(401, 403, 403, 403, 200, 403, 403, 403),
    "api:import-job-errors":               row(401, 403, 403, 403, 200, 403, 403, 403),
    # Public calculators, asked nothing: a 400 naming the missing parameter, to everyone alike.
    "api:pct-deadlines":                   everyone(400),
    "api:pct-fees":                        everyone(400),
    "api:madrid-fees":                     everyone(400),
    "api:hague-fees":                      everyone(400),
    "api:route-comparison":                everyone(400),
    "api:msme-plan":                       row(401, 200, 404, 403, 200, 403, 403, 403),
    "api:guidance-topic-list":             everyone(200),
    "api:guidance-topic-detail":           everyone(200),
    "api:diagnostics-questionnaire":       everyone(200),
    "api:diagnostics-assessment-list":     row(401, 200, 200, 403, 200, 403, 403, 403),
    "api:diagnostics-assessment-detail":   row(401, 200, 404, 403, 200, 403, 403, 403),
    # Statistics: an agency's own figures, a division analyst's countries (as the page).
    "api:stats-index":                     row(401, 403, 403, 403, 200, 200, 403, 403),
    "api:stats-table":                     row(401, 403, 403, 403, 200, 200, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "api:stats-table": {"table": "size"},
    "api:msme-asset-list": {"msme_pk": "msme"},
    "api:msme-asset-detail": {"msme_pk": "msme", "pk": "asset"},
    "api:msme-detail": {"pk": "msme"},
    "api:msme-deadlines": {"pk": "msme"},
    "api:msme-plan": {"pk": "msme"},
    "api:import-job-detail": {"pk": "import_job"},
    "api:import-job-errors": {"pk": "import_job"},
    "api:guidance-topic-detail": {"slug": "patents"},
    "api:diagnostics-assessment-detail": {"pk": "assessment"},
}
POST_ONLY: set[str] = {"api:msme-import-file"}
XFAIL: dict[tuple[str, str], str] = {}
