"""The role the portal connects as must be one row-level security applies to (PostgreSQL only).

The test database's own user is a superuser and owns the tables: RLS never applies to it, which is
what the check must say. A second connection logs in as a role `grant_app_role` made, as the web
and worker processes do in production, and the check must be silent for it.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import subprocess
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.test import override_settings
from django.urls import reverse

from apps.core.roles import Role
from apps.tenants.checks import check_rls_role, inspect_role, require_rls_role, role_messages
from apps.tenants.context import tenant_context
from tests.conftest import connected_as_owner
from tests.registry.factories import MsmeFactory
from tests.test_rls import raw, restricted_session

pytestmark = [
    pytest.mark.postgres,
    # These tests are about the role the connection has: they start as the owner (a superuser here),
    # not as the runtime role the rest of the suite connects as.
    pytest.mark.usefixtures("as_db_owner"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"),
]

ROOT = Path(__file__).resolve().parent.parent
APP_ROLE = "portal_rls_role_check"
APP_PASSWORD = "rls-role-check-2026"
GOOD_SECRET = secrets.token_urlsafe(45)


def _url(user: str, password: str = "") -> str:
    """A URL of the test database (the one the tests use, not DATABASE_URL's) as `user`."""
    s = connection.settings_dict
    auth = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _owner_url() -> str:
    return _url(connection.settings_dict["USER"], connection.settings_dict["PASSWORD"])


@pytest.fixture(scope="session")
def app_role_connection(django_db_setup, django_db_blocker):
    """A second connection, logged in as a runtime role made by `grant_app_role`."""
    with django_db_blocker.unblock(), connected_as_owner():
        call_command("grant_app_role", "--role", APP_ROLE, "--password", APP_PASSWORD)
        settings_dict = {**connection.settings_dict, "USER": APP_ROLE, "PASSWORD": APP_PASSWORD}
    probe = connections["default"].__class__(settings_dict, alias="app_role")
    yield probe
    with django_db_blocker.unblock():
        probe.close()


def _ids(messages: list[checks.CheckMessage]) -> list[str]:
    return [message.id for message in messages if message.id and message.id.startswith("tenants.")]


# --- grant_app_role ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_grant_app_role_reads_the_password_from_the_environment_and_sets_it_again(monkeypatch):
    role = "portal_rls_role_env"
    monkeypatch.setenv("PORTAL_TEST_ROLE_PASSWORD", "first-pass-2026")
    call_command("grant_app_role", "--role", role, "--password-env", "PORTAL_TEST_ROLE_PASSWORD")
    first = raw("SELECT rolpassword FROM pg_authid WHERE rolname = %s", [role])
    monkeypatch.setenv("PORTAL_TEST_ROLE_PASSWORD", "second-pass-2026")
    call_command("grant_app_role", "--role", role, "--password-env", "PORTAL_TEST_ROLE_PASSWORD")
    assert raw("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", [role]) == [(True,)]
    assert raw("SELECT rolpassword FROM pg_authid WHERE rolname = %s", [role]) != first  # rotated
    monkeypatch.setenv("PORTAL_TEST_ROLE_PASSWORD", "")
    with pytest.raises(CommandError, match="PORTAL_TEST_ROLE_PASSWORD is empty"):
        call_command("grant_app_role", "--role", role, "--password-env", "PORTAL_TEST_ROLE_PASSWORD")


@pytest.mark.django_db(transaction=True)
def test_grant_app_role_refuses_the_tables_owner():
    owner = "portal_rls_role_owner"
    if not raw("SELECT 1 FROM pg_roles WHERE rolname = %s", [owner]):
        raw(f"CREATE ROLE {owner} NOLOGIN NOSUPERUSER NOBYPASSRLS")
    # A transactional test: the table would outlive it, so it is dropped whatever happens.
    raw("DROP TABLE IF EXISTS rls_role_owned")
    raw("CREATE TABLE rls_role_owned (tenant_id bigint)")
    try:
        raw("ALTER TABLE rls_role_owned ENABLE ROW LEVEL SECURITY")
        raw(f"ALTER TABLE rls_role_owned OWNER TO {owner}")
        with pytest.raises(CommandError, match="owns the tables"):
            call_command("grant_app_role", "--role", owner)
    finally:
        raw("DROP TABLE IF EXISTS rls_role_owned")


# --- The system check -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_check_warns_when_connected_as_a_superuser():
    messages = checks.run_checks(include_deployment_checks=True, databases=["default"])
    ours = [message for message in messages if message.id == "tenants.W001"]
    assert len(ours) == 1 and _ids(messages) == ["tenants.W001"]
    assert ours[0].level == checks.WARNING
    assert "superuser" in ours[0].msg and "owns" in ours[0].msg
    assert "grant_app_role" in ours[0].hint


@pytest.mark.django_db(transaction=True)
@override_settings(PORTAL_REQUIRE_RLS_ROLE=True)
def test_the_check_is_an_error_when_the_settings_require_the_runtime_role():
    messages = check_rls_role(databases=["default"])
    assert _ids(messages) == ["tenants.E001"]
    assert messages[0].is_serious()


@pytest.mark.django_db(transaction=True)
def test_a_role_with_bypassrls_is_reported_even_if_not_a_superuser():
    role = "portal_rls_role_bypass"
    if not raw("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]):
        raw(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER BYPASSRLS")
    raw(f"SET ROLE {role}")
    try:
        inspection = inspect_role(connection)
    finally:
        raw("RESET ROLE")
    assert inspection.role == role
    assert inspection.reasons == ["has BYPASSRLS"]
    assert not inspection.enforced


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("required", [False, True])
def test_the_check_is_silent_for_a_role_made_by_grant_app_role(app_role_connection, required):
    inspection = inspect_role(app_role_connection)
    assert inspection.role == APP_ROLE
    assert inspection.reasons == [] and inspection.enforced
    with override_settings(PORTAL_REQUIRE_RLS_ROLE=required):
        assert role_messages(app_role_connection) == []


@pytest.mark.django_db(transaction=True)
def test_migrate_and_plain_checks_do_not_run_it():
    """Migrations run as the owner, in production too: `migrate` runs the database checks, not deploy ones."""
    assert _ids(checks.run_checks(databases=["default"])) == []
    assert _ids(checks.run_checks(include_deployment_checks=True)) == []  # no database named: not asked


# --- Production processes, each in a fresh process ---------------------------------------------


def _run(args: list[str], database_url: str, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "PORTAL_REQUIRE_RLS_ROLE", "APP_DATABASE_URL"}
    }
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15",
    )
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.django_db(transaction=True)
def test_production_check_deploy_with_the_database_fails_for_a_superuser(app_role_connection):
    owner = _run([sys.executable, "manage.py", "check", "--deploy", "--database", "default"], _owner_url())
    assert owner.returncode != 0
    assert "tenants.E001" in owner.stderr + owner.stdout
    runtime = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--database", "default"], _url(APP_ROLE, APP_PASSWORD)
    )
    assert runtime.returncode == 0, runtime.stdout + runtime.stderr
    assert "tenants." not in runtime.stdout + runtime.stderr


@pytest.mark.django_db(transaction=True)
def test_production_migrations_still_run_as_the_owner():
    result = _run([sys.executable, "manage.py", "migrate", "--plan"], _owner_url())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tenants.E001" not in result.stdout + result.stderr


@pytest.mark.django_db(transaction=True)
def test_production_web_server_refuses_to_start_as_a_superuser(app_role_connection):
    start = [sys.executable, "-c", "import portal.wsgi, portal.asgi; print('started')"]
    owner = _run(start, _owner_url())
    assert owner.returncode != 0
    assert "ImproperlyConfigured" in owner.stderr and "row-level security" in owner.stderr
    assert "started" not in owner.stdout
    runtime = _run(start, _url(APP_ROLE, APP_PASSWORD))
    assert runtime.returncode == 0, runtime.stderr
    assert "started" in runtime.stdout


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("process", ["worker", "beat"])
def test_production_celery_refuses_to_start_as_a_superuser(process, tmp_path):
    command = [str(Path(sys.executable).parent / "celery"), "-A", "portal", process]
    if process == "beat":
        command.append(f"--schedule={tmp_path / 'schedule'}")
    result = _run(command, _owner_url(), 60)
    assert result.returncode != 0
    assert "row-level security" in result.stdout + result.stderr


@pytest.mark.django_db(transaction=True)
@override_settings(PORTAL_REQUIRE_RLS_ROLE=False)
def test_development_start_only_warns(caplog):
    require_rls_role()
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert len(warnings) == 1 and "tenants.W001" in warnings[0] and "superuser" in warnings[0]


@override_settings(PORTAL_REQUIRE_RLS_ROLE=False)
def test_development_start_survives_a_database_it_cannot_reach(caplog):
    """Here pytest blocks the database: development still starts, and says it could not check."""
    require_rls_role()
    assert any("could not check" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db(transaction=True)
@override_settings(PORTAL_REQUIRE_RLS_ROLE=True)
def test_production_start_refuses_in_process():
    with pytest.raises(ImproperlyConfigured, match=r"tenants\.E001"):
        require_rls_role()


# --- /healthz's detail ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("required", [False, True])
def test_healthz_says_rls_is_bypassed_as_a_superuser(client, required):
    with override_settings(PORTAL_REQUIRE_RLS_ROLE=required):
        response = client.get("/healthz")
    data = response.json()
    assert data["rls"] == "bypassed"
    # A detail, not a dependency: production processes refuse to start as such a role instead.
    assert (response.status_code, data["status"]) == (200, "ok")


def as_app_role() -> AbstractContextManager[None]:
    """The (autocommit) default connection acts as the runtime role, as the test client's requests then do."""
    return restricted_session(APP_ROLE)


@pytest.mark.django_db(transaction=True)
def test_healthz_says_rls_is_enforced_as_the_runtime_role(client, app_role_connection):
    with as_app_role():
        response = client.get("/healthz")
    data = response.json()
    assert (response.status_code, data["status"], data["rls"]) == (200, "ok", "enforced")


# --- Pages that work only as the owner ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_csv_export_streams_the_tenants_rows_as_the_runtime_role(
    client, login_as, tenant_a, tenant_b, app_role_connection
):
    """The export is read while the response streams, after the view (and its tenant context) returned."""
    login_as(Role.AGENCY_STAFF, tenant_a)
    with transaction.atomic(), tenant_context(tenant_a):
        MsmeFactory(name="Ours Ltd", registration_number="RLS-1")
    with transaction.atomic(), tenant_context(tenant_b):
        MsmeFactory(name="Theirs Ltd", registration_number="RLS-2")
    with as_app_role():
        assert raw("SELECT current_user") == [(APP_ROLE,)]
        response = client.get(reverse("registry:export-csv"))
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response.status_code == 200
    assert [row[0] for row in rows[1:]] == ["Ours Ltd"]


# --- make run's runtime URL -----------------------------------------------------------------------


def _app_database_url(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ENV"}}
    clean.pop("APP_DATABASE_URL", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "app_database_url", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_app_database_url_swaps_the_owner_for_a_granted_runtime_role():
    role = "portal_rls_url_check"
    owner_url = _owner_url() + "?connect_timeout=5"
    result = _app_database_url({"DATABASE_URL": owner_url}, "--role", role)
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    assert len(result.stdout.strip().splitlines()) == 1
    parts, owner = urlsplit(url), urlsplit(owner_url)
    assert (parts.username, parts.hostname, parts.port, parts.path, parts.query) == (
        role,
        owner.hostname,
        owner.port,
        owner.path,
        owner.query,
    )
    assert parts.password  # a fresh one, set on the role
    assert parts.password not in result.stderr
    assert raw("SELECT rolcanlogin, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role]) == [
        (True, False, False)
    ]
    check = _run([sys.executable, "manage.py", "check", "--deploy", "--database", "default"], url)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.django_db(transaction=True)
def test_app_database_url_uses_app_database_url_when_set():
    role, password = "portal_rls_url_given", "given-pass-2026"
    given = _url(role, password)
    result = _app_database_url({"DATABASE_URL": _owner_url(), "APP_DATABASE_URL": given})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == given
    assert raw("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", [role]) == [(True,)]


@pytest.mark.django_db(transaction=True)
def test_app_database_url_refuses_a_runtime_url_that_bypasses_rls():
    result = _app_database_url({"DATABASE_URL": _owner_url(), "APP_DATABASE_URL": _owner_url()})
    assert result.returncode != 0
    assert "superuser" in result.stderr and result.stdout == ""


def test_app_database_url_leaves_sqlite_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = _app_database_url({"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == url
