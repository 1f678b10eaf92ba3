"""Row-level security, the second wall (PostgreSQL only).

The tests act as a role that neither owns the tables nor bypasses RLS, as the portal's runtime
role does in production (`manage.py grant_app_role`); the test database's own user is a
superuser, to which RLS never applies.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from apps.tenants.context import tenant_context, unscoped
from apps.tenants.models import Tenant, TenantOwnedModel
from apps.tenants.rls import POLICY_NAME, ScopedQueryInAutocommit, _rls_execute_wrapper, autocommit_scope
from tests.conftest import owner_sql
from tests.factories import TenantFactory
from tests.tenancy_app.models import Widget

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"),
]

RESTRICTED_ROLE = "portal_rls_probe"
WIDGETS = Widget._meta.db_table


@pytest.fixture(scope="session")
def restricted_role(django_db_setup, django_db_blocker):
    """A role like the runtime one: no superuser, no BYPASSRLS, not the owner; DML granted.

    Made by the owner; the connection's own role (the runtime role, when the suite runs as it) is
    made a member so that it can SET ROLE to it."""
    with django_db_blocker.unblock():
        connection.ensure_connection()
        owner_sql(
            f"DO $$ BEGIN CREATE ROLE {RESTRICTED_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$",
            f"GRANT USAGE ON SCHEMA public TO {RESTRICTED_ROLE}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {RESTRICTED_ROLE}",
            f"GRANT {RESTRICTED_ROLE} TO {connection.settings_dict['USER']}",
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [RESTRICTED_ROLE])
            assert cursor.fetchone() == (False, False)
    return RESTRICTED_ROLE


def raw(sql: str, params: list | tuple = ()) -> list[tuple]:
    """Run SQL on the driver's connection, past Django's execute wrappers (the RLS one included)."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@contextmanager
def restricted_transaction() -> Iterator[None]:
    """A transaction acting as the restricted role, rolled back at the end."""
    with transaction.atomic():
        # Through Django's cursor, as the runtime's statements are: the RLS wrapper then knows
        # this statement opened the transaction.
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {RESTRICTED_ROLE}")
        yield
        transaction.set_rollback(True)


@contextmanager
def restricted_session(role: str = RESTRICTED_ROLE) -> Iterator[None]:
    """The whole (autocommit) connection acts as `role` (the restricted role) until the block ends."""
    assert connection.get_autocommit()
    raw(f"SET ROLE {role}")
    try:
        yield
    finally:
        try:
            raw("RESET ROLE")
        finally:
            connection.close()  # never hand a restricted session to the next test


@pytest.fixture
def rows(restricted_role):
    """Two widgets in tenant A, one in tenant B (committed, as the suite's role)."""
    tenant_a = TenantFactory(slug="rls-a", name="RLS Agency A")
    tenant_b = TenantFactory(slug="rls-b", name="RLS Agency B")
    with transaction.atomic(), tenant_context(tenant_a):
        Widget.objects.create(name="loom")
        Widget.objects.create(name="kiln")
    with transaction.atomic(), tenant_context(tenant_b):
        Widget.objects.create(name="press")
    return tenant_a, tenant_b


def _names(result: list[tuple]) -> list[str]:
    return sorted(row[0] for row in result)


def _current_settings() -> tuple[str | None, str | None]:
    row = raw("SELECT current_setting('app.tenant_id', true), current_setting('app.unscoped', true)")[0]
    return row[0], row[1]


# --- The tables -----------------------------------------------------------------------------


def _rls_flags(table: str) -> tuple[bool, bool] | None:
    result = raw("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = %s::regclass", [table])
    return result[0] if result else None


@pytest.mark.django_db
def test_widget_table_has_row_level_security_enabled_and_forced():
    assert _rls_flags(WIDGETS) == (True, True)
    policies = raw("SELECT policyname, qual, with_check FROM pg_policies WHERE tablename = %s", [WIDGETS])
    assert [p[0] for p in policies] == [POLICY_NAME]
    _name, using, with_check = policies[0]
    assert "app.tenant_id" in using and "app.unscoped" in using
    assert "app.tenant_id" in with_check


@pytest.mark.django_db
def test_ratchet_every_tenant_owned_table_has_row_level_security():
    owned = [model for model in apps.get_models() if issubclass(model, TenantOwnedModel)]
    assert Widget in owned
    problems = []
    for model in owned:
        table = model._meta.db_table
        if _rls_flags(table) != (True, True):
            problems.append(f"{model._meta.label} ({table}): RLS not enabled and forced, got {_rls_flags(table)}")
        elif not raw("SELECT 1 FROM pg_policies WHERE tablename = %s AND policyname = %s", [table, POLICY_NAME]):
            problems.append(f"{model._meta.label} ({table}): no {POLICY_NAME} policy")
    assert problems == [], "add apps.tenants.rls.EnableRowLevelSecurity to the migration:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_ratchet_every_policy_reads_each_setting_once_per_statement():
    """Read in a scalar subquery, a setting is computed once per statement; read bare, `current_setting` runs
    again for every row the policy filters (a list's capped count of 1,001 rows: 0.85 ms instead of 0.35)."""
    problems = []
    for table, using, with_check in raw(
        "SELECT tablename, qual, with_check FROM pg_policies WHERE policyname = %s", [POLICY_NAME]
    ):
        for clause, text in (("USING", using), ("WITH CHECK", with_check)):
            # PostgreSQL renders `(SELECT current_setting(...) ...)` as `( SELECT (current_setting(...`.
            if text.count("current_setting(") != text.count("( SELECT "):
                problems.append(f"{table} {clause}: {text}")
    assert problems == [], "run the tenants migration that replaces the policies:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_a_scoped_scan_compares_its_rows_to_settings_computed_once(rows):
    tenant_a, _ = rows
    with restricted_transaction(), tenant_context(tenant_a), connection.cursor() as cursor:
        cursor.execute(f'EXPLAIN (ANALYZE, COSTS OFF) SELECT count(*) FROM "{WIDGETS}"')
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f'SELECT count(*) FROM "{WIDGETS}"')
        assert cursor.fetchone()[0] == 2
    assert "InitPlan" in plan, plan
    filters = [line for line in plan.splitlines() if "Filter:" in line]
    assert filters and not any("current_setting" in line for line in filters), plan


class _RecordingEditor:
    """A schema editor that reads through the suite's connection and keeps what it would execute."""

    def __init__(self) -> None:
        self.connection = connection
        self.statements: list[str] = []

    def execute(self, sql: str) -> None:
        self.statements.append(sql)


@pytest.mark.django_db
def test_the_policy_migration_replaces_every_policy_both_ways():
    import importlib

    from apps.tenants.rls import policy_predicate

    migration = importlib.import_module("apps.tenants.migrations.0003_rls_policies_read_settings_once")
    routed = {table for (table,) in raw(
        "SELECT tablename FROM pg_policies WHERE policyname = %s AND qual LIKE %s", [POLICY_NAME, "%app.division%"]
    )}  # fmt: skip
    tables = {table for (table,) in raw("SELECT tablename FROM pg_policies WHERE policyname = %s", [POLICY_NAME])}
    assert routed and routed < tables
    for function, per_row in ((migration.read_once, False), (migration.read_per_row, True)):
        editor = _RecordingEditor()
        function(None, editor)
        assert len(editor.statements) == len(tables)
        for statement in editor.statements:
            table = statement.split('"')[1]
            if per_row:
                predicate = migration._PER_ROW_DIVISION if table in routed else migration._PER_ROW
            else:
                predicate = policy_predicate(routed_to_division=table in routed)
            assert statement == f'ALTER POLICY {POLICY_NAME} ON "{table}" USING {predicate} WITH CHECK {predicate}'


@pytest.mark.django_db
def test_ratchet_every_index_on_a_tenant_owned_table_starts_with_tenant_id():
    """What the database really has (RunSQL included): every index but the primary key (a table routed to
    divisions may also lead one with `division`)."""
    problems = []
    for model in [m for m in apps.get_models() if issubclass(m, TenantOwnedModel)]:
        for index_name, first_column in raw(
            "SELECT i.relname, a.attname FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0] "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary",
            [model._meta.db_table],
        ):
            # A division's scope reads the rows routed to it by division, across tenants.
            routed_lead = getattr(model, "routable_to_division", False) and first_column == "division"
            if first_column != "tenant_id" and not routed_lead:
                problems.append(f"{model._meta.db_table}: {index_name} starts with {first_column}")
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
def test_the_execute_wrapper_is_installed_on_the_connection():
    connection.ensure_connection()
    assert _rls_execute_wrapper in connection.execute_wrappers


# --- Raw SQL as the restricted role ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_raw_select_sees_nothing_without_the_setting(rows):
    with restricted_transaction():
        assert raw("SELECT current_user")[0][0] == RESTRICTED_ROLE
        assert _current_settings()[0] in ("", None)
        assert raw(f"SELECT name FROM {WIDGETS}") == []
        assert raw(f"SELECT count(*) FROM {WIDGETS}") == [(0,)]


@pytest.mark.django_db(transaction=True)
def test_raw_select_sees_only_the_tenant_that_is_set(rows):
    tenant_a, tenant_b = rows
    with restricted_transaction():
        raw("SELECT set_config('app.tenant_id', %s, true)", [str(tenant_a.pk)])
        assert _names(raw(f"SELECT name FROM {WIDGETS}")) == ["kiln", "loom"]
        # Even asking for B's rows by name returns nothing.
        assert raw(f"SELECT name FROM {WIDGETS} WHERE tenant_id = %s", [tenant_b.pk]) == []
        raw("SELECT set_config('app.tenant_id', %s, true)", [str(tenant_b.pk)])
        assert _names(raw(f"SELECT name FROM {WIDGETS}")) == ["press"]


@pytest.mark.django_db(transaction=True)
def test_raw_select_sees_everything_when_unscoped(rows):
    with restricted_transaction():
        raw("SELECT set_config('app.unscoped', 'on', true)")
        assert _names(raw(f"SELECT name FROM {WIDGETS}")) == ["kiln", "loom", "press"]
        raw("SELECT set_config('app.unscoped', 'off', true)")
        assert raw(f"SELECT name FROM {WIDGETS}") == []


@pytest.mark.django_db(transaction=True)
def test_writing_another_tenants_rows_is_refused(rows):
    tenant_a, tenant_b = rows
    with restricted_transaction():
        raw("SELECT set_config('app.tenant_id', %s, true)", [str(tenant_a.pk)])
        # Updates and deletes of B's rows find nothing to change.
        assert raw(f"UPDATE {WIDGETS} SET name = 'stolen' WHERE tenant_id = %s RETURNING id", [tenant_b.pk]) == []
        assert raw(f"DELETE FROM {WIDGETS} WHERE tenant_id = %s RETURNING id", [tenant_b.pk]) == []
        # A's own rows can be written.
        assert len(raw(f"UPDATE {WIDGETS} SET name = name || '!' WHERE name = 'loom' RETURNING id")) == 1
    for sql, params in (
        (f"INSERT INTO {WIDGETS} (id, name, tenant_id) VALUES (%s, 'planted', %s)", [uuid.uuid4(), tenant_b.pk]),
        (f"UPDATE {WIDGETS} SET tenant_id = %s WHERE name = 'kiln'", [tenant_b.pk]),  # move A's row to B
    ):
        with restricted_transaction():
            raw("SELECT set_config('app.tenant_id', %s, true)", [str(tenant_a.pk)])
            with pytest.raises(DatabaseError, match="row-level security"):
                try:
                    raw(sql, params)
                except Exception as exc:  # the driver's error: report it as Django's
                    raise DatabaseError(str(exc)) from exc
    with unscoped("test: checking nothing changed"), transaction.atomic():
        assert sorted(Widget.objects.values_list("name", "tenant__slug")) == [
            ("kiln", "rls-a"),
            ("loom", "rls-a"),
            ("press", "rls-b"),
        ]


# --- The execute wrapper: the ORM under the restricted role ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_wrapper_applies_the_tenant_inside_a_transaction(rows):
    tenant_a, tenant_b = rows
    with restricted_transaction():
        # _base_manager has no tenant filter: what it sees is what RLS lets through.
        assert Widget._base_manager.count() == 0
        with tenant_context(tenant_a):
            assert sorted(Widget._base_manager.values_list("name", flat=True)) == ["kiln", "loom"]
            assert sorted(Widget.objects.values_list("name", flat=True)) == ["kiln", "loom"]
            assert sorted(w.name for w in Widget._base_manager.iterator(chunk_size=1)) == ["kiln", "loom"]
            assert _current_settings() == (str(tenant_a.pk), "")
            # Raw SQL through Django's cursor goes through the wrapper too.
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT name FROM {WIDGETS}")
                assert _names(cursor.fetchall()) == ["kiln", "loom"]
        # Changing tenant in the same transaction changes the setting.
        with tenant_context(tenant_b):
            assert list(Widget._base_manager.values_list("name", flat=True)) == ["press"]
            with unscoped("test"):
                assert Widget._base_manager.count() == 3
        # Leaving the tenant clears it before the next query.
        assert Widget._base_manager.count() == 0
    with restricted_transaction(), tenant_context(tenant_a):
        # A server-side cursor as the first query of the transaction.
        assert sorted(w.name for w in Widget._base_manager.iterator(chunk_size=1)) == ["kiln", "loom"]


@pytest.mark.django_db(transaction=True)
def test_a_rollback_to_a_savepoint_undoes_the_setting_and_the_wrapper_knows(rows):
    """set_config is undone with a savepoint: after a failed inner block the setting in force is the
    one from before it, whatever the wrapper last sent."""
    tenant_a, tenant_b = rows
    with restricted_transaction():
        with tenant_context(tenant_a):
            assert Widget._base_manager.count() == 2  # A set, before the savepoint
        with tenant_context(tenant_b):
            with pytest.raises(ZeroDivisionError), transaction.atomic():
                assert list(Widget._base_manager.values_list("name", flat=True)) == ["press"]  # B, inside it
                1 / 0  # noqa: B018
            assert list(Widget._base_manager.values_list("name", flat=True)) == ["press"]
            assert _current_settings()[0] == str(tenant_b.pk)


@pytest.mark.django_db(transaction=True)
def test_a_scoped_query_in_autocommit_is_refused(rows):
    """Requests and tasks are one transaction each: a scoped query outside any is a path that escaped
    it, and fails loudly in development and tests (PORTAL_RLS_REQUIRE_TRANSACTION)."""
    tenant_a, _tenant_b = rows
    with restricted_session():
        with tenant_context(tenant_a), pytest.raises(ScopedQueryInAutocommit, match="outside any transaction"):
            Widget._base_manager.count()
        with unscoped("test"), pytest.raises(ScopedQueryInAutocommit):
            Widget._base_manager.count()
        with tenant_context(tenant_a), pytest.raises(ScopedQueryInAutocommit):
            Widget.objects.create(name="anvil")
        assert not connection.in_atomic_block
        # No scope, no rows, and no error: the unset settings let nothing through.
        assert Widget._base_manager.count() == 0
    with unscoped("test"), transaction.atomic():
        assert Widget._base_manager.count() == 3  # the refused insert never ran


@pytest.mark.django_db(transaction=True)
def test_in_production_a_scoped_query_in_autocommit_is_logged_and_runs_in_its_own_transaction(rows, settings, caplog):
    settings.PORTAL_RLS_REQUIRE_TRANSACTION = False
    tenant_a, _tenant_b = rows
    with restricted_session(), caplog.at_level("ERROR", logger="apps.tenants.rls"):
        with tenant_context(tenant_a):
            assert sorted(Widget._base_manager.values_list("name", flat=True)) == ["kiln", "loom"]
        assert _current_settings()[0] in ("", None)  # it was that statement's own transaction
        assert Widget._base_manager.count() == 0
    assert [r.levelname for r in caplog.records] == ["ERROR"]
    assert "outside any transaction" in caplog.records[0].getMessage()
    assert "tenancy_app_widget" in caplog.records[0].getMessage()


@pytest.mark.django_db(transaction=True)
def test_autocommit_scope_runs_each_statement_in_a_transaction_of_its_own(rows):
    """The opt-out for work that commits as it goes (an import job, a streamed download)."""
    tenant_a, tenant_b = rows
    with restricted_session(), autocommit_scope("test: per-statement transactions"):
        assert raw("SELECT current_user")[0][0] == RESTRICTED_ROLE
        assert Widget._base_manager.count() == 0
        with tenant_context(tenant_a):
            assert sorted(Widget._base_manager.values_list("name", flat=True)) == ["kiln", "loom"]
            assert sorted(w.name for w in Widget._base_manager.iterator(chunk_size=1)) == ["kiln", "loom"]
            Widget.objects.create(name="anvil")
            assert Widget.objects.count() == 3
        with tenant_context(tenant_b):
            assert list(Widget._base_manager.values_list("name", flat=True)) == ["press"]
        assert Widget._base_manager.count() == 0
        with unscoped("test"):
            assert Widget._base_manager.count() == 4
    with pytest.raises(ValueError, match="needs a reason"), autocommit_scope(""):
        pass


@pytest.mark.django_db(transaction=True)
def test_the_setting_does_not_outlive_its_transaction(rows):
    tenant_a, _tenant_b = rows
    with restricted_session():
        # Per-statement transactions: set for the statement, gone after it.
        with tenant_context(tenant_a), autocommit_scope("test"):
            assert Widget.objects.count() == 2
        assert _current_settings()[0] in ("", None)
        assert Widget._base_manager.count() == 0
        # An explicit transaction: set inside, gone after the commit.
        with transaction.atomic(), tenant_context(tenant_a):
            assert Widget.objects.count() == 2
            assert _current_settings()[0] == str(tenant_a.pk)
        assert _current_settings()[0] in ("", None)
        assert Widget._base_manager.count() == 0
        with unscoped("test"), transaction.atomic():
            assert Widget._base_manager.count() == 3
        assert _current_settings()[1] in ("", None)
        assert Widget._base_manager.count() == 0
        # The next transaction, in the same tenant: applied again at its first query, not taken
        # for still in force.
        for _ in range(2):
            with transaction.atomic(), tenant_context(tenant_a):
                assert Widget._base_manager.count() == 2
        # The next transaction in the same tenant, opened by a savepoint (an atomic block inside one that ran
        # no query yet): its first query still gets the settings.
        for _ in range(2):
            with transaction.atomic(), tenant_context(tenant_a), transaction.atomic():
                assert Widget._base_manager.filter(name="kiln").update(name="kiln") == 1


@pytest.mark.django_db(transaction=True)
def test_grant_app_role_makes_a_runtime_role_that_rls_applies_to(as_db_owner, tenant_a, tenant_b):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    role = "portal_app_cmd_test"
    call_command("grant_app_role", "--role", role)
    call_command("grant_app_role", "--role", role)  # again: idempotent
    assert raw("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = %s", [role]) == [
        (False, False, False)
    ]
    with transaction.atomic(), tenant_context(tenant_a):
        Widget.objects.create(name="ours")
    with transaction.atomic(), tenant_context(tenant_b):
        Widget.objects.create(name="theirs")
    with transaction.atomic():
        raw(f"SET LOCAL ROLE {role}")
        assert raw(f"SELECT count(*) FROM {WIDGETS}") == [(0,)]  # no tenant set: nothing
        raw("SELECT set_config('app.tenant_id', %s, true)", [str(tenant_a.pk)])
        assert raw(f"SELECT name FROM {WIDGETS}") == [("ours",)]
    raw("RESET ROLE")
    raw(f"CREATE ROLE {role}_bypass NOLOGIN BYPASSRLS") if not raw(
        "SELECT 1 FROM pg_roles WHERE rolname = %s", [f"{role}_bypass"]
    ) else None
    with pytest.raises(CommandError, match="bypasses RLS"):
        call_command("grant_app_role", "--role", f"{role}_bypass")


@pytest.mark.django_db
def test_the_suite_connects_as_a_role_that_rls_applies_to():
    """CI runs every test as the runtime role: a superuser or table owner would hide RLS bugs."""
    from tests.conftest import RUNTIME_ROLE

    if not RUNTIME_ROLE:
        if os.environ.get("CI"):
            pytest.fail("CI must run the suite as the runtime role (PORTAL_TEST_DB_ROLE)")
        pytest.skip("PORTAL_TEST_DB_ROLE is empty: the suite runs as the owner")
    user, is_super, bypass = raw(
        "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    )[0]
    assert (user, is_super, bypass) == (RUNTIME_ROLE, False, False)
    owned = raw("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
    assert owned == [(0,)]


def _primary_key(table: str) -> list[str]:
    return [
        column
        for (column,) in raw(
            "SELECT a.attname FROM pg_constraint c, unnest(c.conkey) WITH ORDINALITY AS k(attnum, position) "
            "JOIN pg_attribute a ON a.attnum = k.attnum "
            "WHERE c.conrelid = %s::regclass AND c.contype = 'p' AND a.attrelid = c.conrelid ORDER BY k.position",
            [table],
        )
    ]


@pytest.mark.django_db
def test_ratchet_every_key_and_uniqueness_of_a_tenant_owned_table_includes_tenant_id():
    """What a database sharded by tenant (Citus) needs: the primary key and every unique constraint or unique
    index of a tenant-owned table include `tenant_id`. The primary key leads with `id`, so that a lookup by
    id alone (a division's, across tenants) uses it."""
    problems = []
    for model in [m for m in apps.get_models() if issubclass(m, TenantOwnedModel)]:
        table = model._meta.db_table
        if _primary_key(table) != ["id", "tenant_id"]:
            problems.append(f"{table}: primary key {_primary_key(table)}")
        for index_name, has_tenant in raw(
            "SELECT i.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = x.indrelid "
            "AND a.attname = 'tenant_id' AND a.attnum = ANY (x.indkey)) "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND x.indisunique",
            [table],
        ):
            if not has_tenant:
                problems.append(f"{table}: the uniqueness {index_name} lacks tenant_id")
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_the_primary_key_migration_runs_both_ways():
    from django.core.management import call_command

    from tests.conftest import connected_as_owner

    with connected_as_owner():
        try:
            call_command("migrate", "tenancy_app", "0003", verbosity=0)
            assert _primary_key(WIDGETS) == ["id"]
        finally:
            call_command("migrate", "tenancy_app", verbosity=0)
        assert _primary_key(WIDGETS) == ["id", "tenant_id"]


@pytest.mark.django_db
def test_an_aggregate_over_a_tenant_owned_model_groups_by_what_it_selects(tenant_a):
    """PostgreSQL infers the other columns from a whole primary key only, and the key is (id, tenant_id): the
    backend (apps/tenants/backends/postgresql) groups a tenant-owned model's aggregate by its selected columns."""
    from django.db.models import Count

    from tests.tenancy_app.models import Gadget

    with transaction.atomic(), tenant_context(tenant_a):
        widget = Widget.objects.create(name="lathe")
        Gadget.objects.create(widget=widget, name="chuck")
        Gadget.objects.create(widget=widget, name="tailstock")
        query = Widget.objects.annotate(parts=Count("gadgets")).filter(pk=widget.pk)
        assert [(w.name, w.parts) for w in query] == [("lathe", 2)]
        group_by = str(query.query).rsplit("GROUP BY", 1)[1]
        assert '"name"' in group_by and '"tenant_id"' in group_by
    assert connection.features.allows_group_by_selected_pks_on_model(Tenant)  # shared tables keep the shortcut
