"""The access matrix's tests: every cell requested, every mismatch reported at once (see __init__.py).

`ACCESS_MATRIX_PRINT=1 pytest tests/access -k observed -s` prints every route's observed row as a
table entry: a start for a new app's table, to be read and corrected, never pasted blindly.
"""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from tests.access import admin as admin_rule
from tests.access import tables
from tests.access.data import ROLES, AccessData
from tests.access.tables import Cell

pytestmark = pytest.mark.django_db


def request_cell(client: Client, cell: Cell) -> int:
    """The status of one cell, inside a savepoint rolled back afterwards: an empty POST to a delete
    or erase route must not change what the next cells see."""
    with transaction.atomic():
        response = client.get(cell.path) if cell.method == "get" else client.post(cell.path, {})
        transaction.set_rollback(True)
    # Rolling back to the savepoint undid the transaction-local RLS settings too; make the
    # connection set them again before its next query.
    connection._rls_applied = None
    return response.status_code


def run_matrix(data: AccessData, clients: dict[str, Client]) -> tuple[list[str], list[tuple[Cell, int]]]:
    problems: list[str] = []
    results: list[tuple[Cell, int]] = []
    login_checked = {reverse("account_logout")}
    for cell in tables.cells(data):
        if isinstance(cell, str):
            problems.append(cell)
            continue
        client = clients[cell.role]
        results.append((cell, request_cell(client, cell)))
        user = data.users[cell.role]
        signs_out = cell.method != "get" or cell.path in login_checked
        if user is not None and signs_out and "_auth_user_id" not in client.session:
            client.force_login(user)  # that cell signed the role out; the next ones need it back
    return problems, results


@pytest.fixture
def matrix_data() -> AccessData:
    return AccessData.make()


@override_settings(PORTAL_REQUIRE_STAFF_MFA=False)  # staff MFA has its own tests
def test_access_matrix(matrix_data):
    started = time.monotonic()
    problems, results = run_matrix(matrix_data, matrix_data.clients())
    elapsed = time.monotonic() - started
    for cell, status in results:
        if cell.xfail is None and status != cell.expected:
            problems.append(f"{cell}: {status}, the table says {cell.expected}")
    assert problems == [], f"{len(problems)} access matrix mismatches:\n" + "\n".join(problems)
    # Every route of the portal was requested as every role.
    assert len(results) == len(tables.portal_routes()) * len(ROLES)
    print(f"access matrix: {len(results)} cells in {elapsed:.1f}s")


def _known_bugs() -> list[str]:
    return sorted({reason for module in tables.TABLES for reason in getattr(module, "XFAIL", {}).values()})


@pytest.mark.parametrize(
    "bug", [pytest.param(reason, marks=pytest.mark.xfail(strict=True, reason=reason)) for reason in _known_bugs()]
)
@override_settings(PORTAL_REQUIRE_STAFF_MFA=False)
def test_access_matrix_known_bugs(matrix_data, bug):
    """The cells the tables mark as a bug answer as the tables say they should (they do not, yet)."""
    clients = matrix_data.clients()
    wrong = []
    for cell in tables.cells(matrix_data):
        if isinstance(cell, Cell) and cell.xfail == bug:
            status = request_cell(clients[cell.role], cell)
            if status != cell.expected:
                wrong.append(f"{cell}: {status}, should be {cell.expected}")
    assert wrong == [], "\n".join(wrong)


def test_ratchet_every_portal_route_has_a_row():
    """A new URL name fails here until its app's table (or the admin's rule) has its row."""
    missing = []
    for route in tables.portal_routes():
        spec = tables.spec_for(route, None)
        if spec is None:
            missing.append(route.name)
        elif set(spec.expected) != set(ROLES):
            missing.append(f"{route.name} (roles {sorted(set(ROLES) - set(spec.expected))})")
    assert missing == [], (
        "URL names with no row in the access matrix: add each to its app's table in tests/access/ "
        f"(see tests/access/__init__.py): {missing}"
    )


def test_ratchet_the_tables_name_existing_routes():
    names = {route.name for route in tables.portal_routes()}
    stale = []
    for module in (*tables.TABLES, admin_rule):
        keys = set(module.TABLE) | set(getattr(module, "ARGS", {})) | set(getattr(module, "POST_ONLY", ()))
        keys |= {name for name, _role in getattr(module, "XFAIL", {})}
        stale += [f"{module.__name__}: {name}" for name in sorted(keys - names)]
    stale += [f"admin: {name}" for name in sorted(set(admin_rule.REFUSED_TO_ADMIN) - names)]
    assert stale == [], f"the access matrix names routes that no longer exist: {stale}"


@pytest.mark.skipif(not os.environ.get("ACCESS_MATRIX_PRINT"), reason="prints the observed matrix on demand")
@override_settings(PORTAL_REQUIRE_STAFF_MFA=False)
def test_print_observed_matrix(matrix_data):
    clients = matrix_data.clients()
    for route in tables.portal_routes():
        spec = tables.table_spec(route.name, matrix_data, observing=True) or tables.spec_for(route, matrix_data)
        if spec is None:
            spec = tables.Spec(route.name, {})
        url = tables.route_path(route, spec.kwargs)
        if url is None:
            print(f"# {route.name}: no URL for {route.params}")
            continue
        row = {}
        for role in ROLES:
            cell = Cell(route.name, role, spec.method, url, 0)
            row[role] = request_cell(clients[role], cell)
            user = matrix_data.users[role]
            if user is not None and "_auth_user_id" not in clients[role].session:
                clients[role].force_login(user)
        flag = " (POST)" if spec.method == "post" else ""
        print(f'"{route.name}": row({", ".join(map(str, row.values()))}),  # {url}{flag}')
