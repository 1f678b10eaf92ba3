"""Backups (docs/backups.md), on PostgreSQL: the documented commands, run against the test database.

A dump of the whole portal, taken by a backup role that bypasses row-level security, restored into a new
database by the owner without superuser-only options; there the migrations are complete, the runtime role
made by `grant_app_role` is still held by the policies, and pages served from the copy show one tenant only.
A tenant's rows come out of the copy through the policy and are put back the same way; erasures made after
the dump are erased again on the copy by the script the document gives.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection, transaction
from django.utils import timezone

from apps.core.roles import Role
from apps.registry import services
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from tests.conftest import _OWNER, RUNTIME_ROLE, owner_sql
from tests.factories import MsmeFactory, user_with_role

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and row-level security are PostgreSQL's"),
    pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore")), reason="no pg_dump/pg_restore"),
    pytest.mark.skipif(not RUNTIME_ROLE, reason="the suite runs as the owner (PORTAL_TEST_DB_ROLE empty)"),
]

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "backups.md"
BACKUP_ROLE = "portal_backup_test"
RESTORE_FLAGS = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
EXTRACT_FLAGS = ["--data-only", "--enable-row-security", "--rows-per-insert=1000"]


def _url(database: str, user: str, password: str = "") -> str:
    s = connection.settings_dict
    auth = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{database}"


def _owner(database: str) -> str:
    return _url(database, _OWNER["user"])


def _runtime(database: str) -> str:
    return _url(database, RUNTIME_ROLE, RUNTIME_ROLE)  # conftest's grant_app_role gives it its own name


def _run(command: list[str], *, env: dict[str, str] | None = None, stdin: str | None = None) -> str:
    done = subprocess.run(
        command, cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, f"{command[:3]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _manage(args: list[str], database_url: str, *, stdin: str | None = None, **extra: str) -> str:
    """`manage.py` on another database, in a process of its own (no Redis: the copy alone is under test)."""
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DJANGO_ENV"}}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.test", DATABASE_URL=database_url, **extra)
    return _run([sys.executable, "manage.py", *args], env=env, stdin=stdin)


@pytest.fixture
def backup_role(django_db_setup):
    """The backup role of docs/backups.md: reads everything, bypasses row-level security."""
    owner_sql(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{BACKUP_ROLE}') THEN "
        f"CREATE ROLE {BACKUP_ROLE} LOGIN PASSWORD '{BACKUP_ROLE}' BYPASSRLS; END IF; END $$",
        f"GRANT pg_read_all_data TO {BACKUP_ROLE}",
    )
    return BACKUP_ROLE


@pytest.fixture
def restored(backup_role, tmp_path):
    """`restore()` dumps the test database as the backup role and restores it into a new database, as the
    documented commands do; returns the new database's name. Dropped at the end."""
    name = f"{connection.settings_dict['NAME']}_restored"[:63]
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'

    def restore() -> str:
        dump = tmp_path / "portal.dump"
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--file={dump}",
                _url(connection.settings_dict["NAME"], backup_role, backup_role),
            ]
        )
        owner_sql(drop, f'CREATE DATABASE "{name}"')
        _run(["pg_restore", *RESTORE_FLAGS, f"--dbname={_owner(name)}", str(dump)])
        _manage(["migrate", "--check"], _owner(name))
        _manage(["grant_app_role", "--role", RUNTIME_ROLE], _owner(name))
        return name

    yield restore
    owner_sql(drop)


def _msme(tenant, **fields) -> Msme:
    with transaction.atomic(), tenant_context(tenant):
        return MsmeFactory(**fields)


def _rows(database_url: str, sql: str, params: tuple = (), *, tenant=None) -> list[tuple]:
    """`sql` on `database_url` in a transaction of its own, in `tenant`'s scope if given."""
    with psycopg.connect(database_url, autocommit=True) as conn, conn.transaction():
        if tenant is not None:
            conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant.pk),))
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _protected_tables(database_url: str) -> list[tuple]:
    return _rows(
        database_url,
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, p.qual FROM pg_class c "
        "JOIN pg_policies p ON p.tablename = c.relname AND p.schemaname = 'public' "
        "WHERE c.relnamespace = 'public'::regnamespace ORDER BY 1",
    )


def test_the_documented_commands_are_the_ones_tested():
    text = DOC.read_text(encoding="utf-8")
    assert " ".join(RESTORE_FLAGS) in text.replace(" \\\n  ", " ")
    assert " ".join(EXTRACT_FLAGS[:2]) in text and EXTRACT_FLAGS[2] in text
    assert "pg_dump --format=custom" in text and "GRANT pg_read_all_data TO portal_backup" in text


@pytest.mark.django_db(transaction=True)
def test_a_restored_copy_keeps_tenants_apart_and_serves_pages(restored, tenant_a, tenant_b):
    _msme(tenant_a, name="Backup Alpha Ltd", registration_number="BK-ALPHA")
    _msme(tenant_b, name="Backup Beta Ltd", registration_number="BK-BETA")
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    source = _owner(connection.settings_dict["NAME"])

    copy = restored()

    # Every table keeps its row-level security and policy, as in the database it was dumped from.
    protected = _protected_tables(_owner(copy))
    assert protected and protected == _protected_tables(source)
    assert all(enabled and forced for _, enabled, forced, _ in protected)
    runtime = _runtime(copy)
    assert _rows(runtime, "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user") == [
        (False, False)
    ]
    assert _rows(runtime, "SELECT count(*) FROM pg_tables WHERE tableowner = current_user") == [(0,)]
    # As the runtime role: nothing without a scope, one tenant's rows in its scope, no write into another.
    assert _rows(runtime, "SELECT name FROM registry_msme") == []
    assert _rows(runtime, "SELECT name FROM registry_msme", tenant=tenant_a) == [("Backup Alpha Ltd",)]
    assert _rows(runtime, "SELECT name FROM registry_msme", tenant=tenant_b) == [("Backup Beta Ltd",)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        _rows(runtime, "UPDATE registry_msme SET tenant_id = %s", (tenant_b.pk,), tenant=tenant_a)
    # The production deployment check, as the runtime role: silent about the wall (tenants.E001/W001).
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="backup-round-trip-" + "k" * 40 + "9f3Qz",
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=runtime,
    )
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--database", "default"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert checked.returncode == 0 and "tenants." not in checked.stdout + checked.stderr, checked.stderr

    # Pages served from the copy, as the web server would: /healthz, and the registry as tenant A's staff.
    pages = _manage(
        ["shell", "-c", PAGES],
        runtime,
        STAFF_EMAIL=staff.email,
    )
    answer = json.loads(pages.strip().splitlines()[-1])
    assert answer["health"]["status"] == "ok" and answer["health"]["rls"] == "enforced"
    assert answer["registry"] == 200 and answer["api"] == 200
    assert "Backup Alpha Ltd" in answer["body"] and "Backup Beta Ltd" not in answer["body"]
    assert answer["api_names"] == ["Backup Alpha Ltd"]


PAGES = """
import json, os
from django.test import Client
from django.test.utils import setup_test_environment
from apps.accounts.models import User
setup_test_environment()
client = Client()
health = client.get("/healthz").json()
client.force_login(User.objects.get(email=os.environ["STAFF_EMAIL"]))
page = client.get("/registry/")
api = client.get("/api/v1/msmes/")
print(json.dumps({
    "health": health, "registry": page.status_code, "body": page.content.decode(),
    "api": api.status_code, "api_names": [row["name"] for row in api.json()["results"]],
}))
"""


@pytest.mark.django_db(transaction=True)
def test_a_tenant_is_taken_out_of_the_copy_and_put_back_through_the_policy(restored, tenant_a, tenant_b, tmp_path):
    _msme(tenant_a, name="Backup Alpha Ltd", registration_number="BK-ALPHA")
    _msme(tenant_b, name="Backup Beta Ltd", registration_number="BK-BETA")
    copy = restored()
    runtime = _runtime(copy)
    tables = [
        f"--table=public.{name}"
        for (name,) in _rows(
            runtime, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND rowsecurity ORDER BY 1"
        )
    ]
    extract = tmp_path / "tenant-aa.sql"
    env = {**os.environ, "PGOPTIONS": f"-c app.tenant_id={tenant_a.pk}"}
    _run(["pg_dump", runtime, *EXTRACT_FLAGS, *tables, f"--file={extract}"], env=env)
    text = extract.read_text(encoding="utf-8")
    assert "BK-ALPHA" in text and "Backup Alpha Ltd" in text
    assert "BK-BETA" not in text and "Backup Beta Ltd" not in text  # the policy kept tenant B out

    # Both tenants change after the backup; tenant A alone is put back as it was.
    owner = _owner(copy)
    _rows(owner, "UPDATE registry_msme SET name = name || ' (changed)'")
    deletes = tmp_path / "delete-tenant-rows.sql"
    deletes.write_text(
        "".join(f"DELETE FROM public.{table.removeprefix('--table=public.')};\n" for table in tables),
        encoding="utf-8",
    )
    load = [
        "psql",
        runtime,
        "--single-transaction",
        "-v",
        "ON_ERROR_STOP=1",
        "-q",
        "-f",
        str(deletes),
        "-f",
        str(extract),
    ]
    _run(load, env=env)
    assert _rows(owner, "SELECT name FROM registry_msme ORDER BY name") == [
        ("Backup Alpha Ltd",),
        ("Backup Beta Ltd (changed)",),
    ]

    # Without the tenant's scope the same load changes nothing: the DELETEs see no row, the INSERTs are refused.
    failed = subprocess.run(
        load,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert failed.returncode != 0 and "row-level security" in failed.stderr
    assert len(_rows(owner, "SELECT id FROM registry_msme")) == 2


def _replay_script() -> str:
    """The replay script as docs/backups.md gives it."""
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    [script] = [block for block in blocks if "# replay-erasures" in block]
    return "\n".join(line.removeprefix("   ") for line in script.splitlines())


@pytest.mark.django_db(transaction=True)
def test_erasures_made_after_the_backup_are_replayed_on_the_restored_copy(restored, tenant_a, tenant_b, tmp_path):
    kept = _msme(tenant_a, name="Backup Alpha Ltd", registration_number="BK-ALPHA", email="alpha@example.org")
    erased = _msme(tenant_a, name="Backup Gamma Ltd", registration_number="BK-GAMMA", email="gamma@example.org")
    other = _msme(tenant_b, name="Backup Beta Ltd", registration_number="BK-BETA", email="beta@example.org")
    started = timezone.now()
    copy = restored()
    with transaction.atomic(), tenant_context(tenant_a):
        services.msme_erase(msme=Msme.objects.get(pk=erased.pk), actor=None)
    owner = _owner(copy)
    assert _rows(owner, "SELECT name, email FROM registry_msme WHERE id = %s", (erased.pk,)) == [
        ("Backup Gamma Ltd", "gamma@example.org")
    ]  # the restore brought the erased data back

    # Step 1: the erasures since the backup started, from the database being replaced, as the backup role.
    listed = _rows(
        _url(connection.settings_dict["NAME"], BACKUP_ROLE, BACKUP_ROLE),
        "SELECT tenant_id, object_id FROM tenants_auditevent WHERE action = 'erase' "
        "AND object_type = 'registry.msme' AND at >= %s - INTERVAL '1 hour'",
        (started,),
    )
    assert listed == [(tenant_a.pk, erased.pk)]
    erasures = tmp_path / "erasures.csv"
    with erasures.open("w", newline="") as out:
        # Listed twice, as overlapping lists or a second run would: the second time must change nothing.
        csv.writer(out).writerows(listed * 2)

    # Step 2: the document's script, on the copy, as the runtime role.
    said = _manage(["shell"], _runtime(copy), stdin=_replay_script(), ERASURES=str(erasures))
    assert said.splitlines()[-2:] == [
        f"{erased.pk}: erased again",
        f"{erased.pk}: already erased, or not in this database",
    ]

    rows = {
        str(pk): (name, email, erased_at is not None)
        for pk, name, email, erased_at in _rows(owner, "SELECT id, name, email, erased_at FROM registry_msme")
    }
    name, email, is_erased = rows[str(erased.pk)]
    assert is_erased and name.startswith("Erased MSME") and email == ""
    assert rows[str(kept.pk)] == ("Backup Alpha Ltd", "alpha@example.org", False)
    assert rows[str(other.pk)] == ("Backup Beta Ltd", "beta@example.org", False)
    replayed = _rows(
        owner,
        "SELECT actor_id, channel FROM tenants_auditevent WHERE action = 'erase' AND object_id = %s",
        (erased.pk,),
    )
    assert replayed == [(None, "command")]
