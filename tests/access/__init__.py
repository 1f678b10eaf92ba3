"""THE ACCESS MATRIX: every URL name of the portal x every role -> the HTTP status it must answer.

The isolation sweep (tests/test_isolation_sweep.py) proves that no role reaches another tenant's
rows. The matrix proves the other half: inside one tenant, with that tenant's own object ids, who
may open what. Each app has a table, `TABLE = {url_name: {role: status}}`, written with
`row(anon, own, oth, help, agcy, anl, dagt, adm)` (the statuses in the order of the roles below)
or `everyone(status)`:

    tests/access/core.py  accounts.py  allauth.py  tenants.py  registry.py  guidance.py
    tests/access/diagnostics.py  plan.py  api.py  admin.py (a rule per kind of admin route, not a row each)

tests/access/test_matrix.py requests every cell (a GET; an empty POST for the routes a module
lists in `POST_ONLY`, inside a savepoint rolled back afterwards so that nothing it changes reaches
the next cell) and reports every mismatch at once. Its ratchets fail when a URL name of the
portal has no row (or a row lacks a role) and when a table names a route that no longer exists.

Adding a row for a new URL:
1. Put it in its app's table (a new app: a new module like these, added to `TABLES` in
   tests/access/tables.py), with a status for every role. Write the status the route SHOULD
   answer, with a short comment where it is not obvious.
2. Name what its path parameters take in the module's `ARGS`: `{"pk": "msme"}` means the id of
   `AccessData.msme` (tests/access/data.py: `msme`, `other_msme`, `asset`, `import_job`,
   `assessment`, `audit_event`, `overlay`, `api_token`...; add an object there when a route needs a
   new kind); an AccessData attribute that is a string is used as its value (`{"token": "calendar_feed"}`: the
   calendar address's secret token); any other value is used as it is (`{"slug": "patents"}`).
3. A route that only takes POST goes in `POST_ONLY`.
4. If the code answers otherwise than it should, that is a bug: keep the row as it should be and
   name the cells in the module's `XFAIL` with the bug as the reason; they are checked by a strict
   xfail test, which fails (XPASS) once the bug is fixed, so the entry is removed then.
`ACCESS_MATRIX_PRINT=1 pytest tests/access -k observed -s` prints every route's observed row: a
start for a new table, to be read and corrected, never pasted blindly.

Roles (`ROLES` in tests/access/data.py): `anonymous`; `msme_own`, a member of the MSME the URL
names; `msme_other`, a member of another MSME of the same tenant; `helpdesk` and `agency`, the
tenant's helpdesk agent and agency staff; `analyst` and `division_agent`, WIPO division users with
no tenant (`division_role` analyst / agent); `admin`, a platform admin. `PORTAL_REQUIRE_STAFF_MFA`
is off for the whole matrix: staff MFA has its own tests (tests/test_account_security.py).
"""
