"""The access matrix's table for registry (see tests/access/__init__.py)."""

from tests.access.data import everyone, row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                anon own  oth  help agcy anl  dagt adm
    "registry:index":            row(302, 403, 403, 403, 200, 403, 403, 403),
    "registry:export-csv":       row(302, 403, 403, 403, 200, 403, 403, 403),
    "registry:create":           row(302, 403, 403, 403, 200, 403, 403, 403),
    "registry:my-msme":          row(302, 302, 302, 403, 403, 403, 403, 403),  # members: to their MSME's page
    # Members are sent to their MSME's page, every other signed-in role away (it is for new users).
    "registry:register":         everyone(302),
    "registry:import":           row(302, 403, 403, 403, 200, 403, 403, 403),
    "registry:import-job":       row(302, 403, 403, 403, 200, 403, 403, 403),
    # POST-only routes: an empty POST by agency staff is answered with a redirect to the page.
    "registry:import-confirm":   row(302, 403, 403, 403, 302, 403, 403, 403),
    "registry:import-file":      row(302, 403, 403, 403, 200, 403, 403, 403),
    # The sample files (no tenant data but the country's regions) and a job's rejected rows (a finished job
    # with no rejected row gives the header alone).
    "registry:import-sample-csv":  row(302, 403, 403, 403, 200, 403, 403, 403),
    "registry:import-sample-xlsx": row(302, 403, 403, 403, 200, 403, 403, 403),
    "registry:import-rejected":  row(302, 403, 403, 403, 200, 403, 403, 403),
    # POST-only: an empty POST shows the confirmation; for the matrix's job, a preview, the job page (302).
    "registry:import-undo":      row(302, 403, 403, 403, 302, 403, 403, 403),
    # An MSME's own pages: its members and the agency. Another member and the helpdesk do not see
    # it (404); users with no tenant are refused (403: the page belongs to an agency).
    "registry:detail":           row(302, 200, 404, 404, 200, 403, 403, 403),
    "registry:edit":             row(302, 200, 404, 404, 200, 403, 403, 403),
    "registry:verify":           row(302, 403, 403, 403, 302, 403, 403, 403),
    # POST-only: an empty POST by agency staff is sent back to the list, with a message to select first.
    "registry:verify-many":      row(302, 403, 403, 403, 302, 403, 403, 403),
    "registry:maturity":         row(302, 403, 403, 403, 302, 403, 403, 403),
    "registry:export-json":      row(302, 403, 403, 403, 200, 403, 403, 403),
    "registry:erase":            row(302, 403, 403, 403, 200, 403, 403, 403),
    "registry:delete":           row(302, 403, 403, 403, 200, 403, 403, 403),
    "registry:asset-create":     row(302, 200, 404, 404, 200, 403, 403, 403),
    "registry:asset-edit":       row(302, 200, 404, 404, 200, 403, 403, 403),
    "registry:asset-delete":     row(302, 200, 404, 404, 200, 403, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "registry:detail": {"pk": "msme"},
    "registry:edit": {"pk": "msme"},
    "registry:verify": {"pk": "msme"},
    "registry:maturity": {"pk": "msme"},
    "registry:export-json": {"pk": "msme"},
    "registry:erase": {"pk": "msme"},
    "registry:delete": {"pk": "msme"},
    "registry:asset-create": {"pk": "msme"},
    "registry:asset-edit": {"pk": "msme", "asset_pk": "asset"},
    "registry:asset-delete": {"pk": "msme", "asset_pk": "asset"},
    "registry:import-job": {"pk": "import_job"},
    "registry:import-confirm": {"pk": "import_job"},
    "registry:import-file": {"pk": "import_job"},
    "registry:import-rejected": {"pk": "import_job"},
    "registry:import-undo": {"pk": "import_job"},
}
POST_ONLY: set[str] = {
    "registry:verify",
    "registry:verify-many",
    "registry:maturity",
    "registry:import-confirm",
    "registry:import-undo",
}
XFAIL: dict[tuple[str, str], str] = {}
