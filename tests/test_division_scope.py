"""Division scope: a WIPO division works the rows routed to it, of every tenant, and nothing else.

The managers say so on every database; on PostgreSQL the RLS policy of a table routed to divisions
says so too (the suite connects as the runtime role, to which RLS applies), raw SQL included.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, models, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from apps.core.roles import Division, Role
from apps.registry.models import Msme
from apps.tenants.context import (
    NoActiveTenant,
    NotRoutedToDivisions,
    active_scope,
    division_context,
    get_active_division,
    get_active_tenant,
    scope_context,
    tenant_context,
    unscoped,
)
from apps.tenants.models import TenantMismatch, TenantOwnedModel
from apps.tenants.rls import POLICY_NAME, enable_sql, routed_to_division
from apps.tenants.scope import Scope, ScopeKind
from tests.factories import MsmeFactory, TenantFactory, TicketFactory, UserFactory, WidgetFactory
from tests.tenancy_app.models import Ticket, Widget

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")


@pytest.fixture
def routed():
    """Tickets of three tenants: Madrid-routed in A and B, AMC-routed in C, unrouted in A; a widget and an
    MSME in each tenant."""
    tenants = [TenantFactory(slug=f"div-{x}", name=f"Division Agency {x}") for x in "abc"]
    a, b, c = tenants
    for tenant, tickets in (
        (a, [("a-madrid", Division.MADRID), ("a-none", None)]),
        (b, [("b-madrid", Division.MADRID)]),
        (c, [("c-amc", Division.AMC)]),
    ):
        with tenant_context(tenant):
            for subject, division in tickets:
                TicketFactory(subject=subject, division=division)
            WidgetFactory()
            MsmeFactory()
    return tenants


def _subjects(queryset) -> list[str]:
    return sorted(queryset.values_list("subject", flat=True))


# --- The context ---------------------------------------------------------------------------


def test_one_scope_at_a_time():
    tenant = TenantFactory()
    with division_context(Division.MADRID):
        assert (get_active_division(), get_active_tenant()) == ("madrid", None)
        assert active_scope() == Scope(ScopeKind.DIVISION, division="madrid")
        with tenant_context(tenant):  # entering a tenant leaves the division
            assert (get_active_division(), get_active_tenant()) == ("", tenant)
        # And a division leaves the escape hatch.
        with unscoped("test"), division_context(Division.AMC), pytest.raises(NotRoutedToDivisions):
            list(Widget.objects.all())
        assert get_active_division() == "madrid"
    assert (get_active_division(), active_scope()) == ("", Scope.none())


def test_division_context_refuses_what_is_not_a_division():
    for bad in ("", "atlantis", None):
        with pytest.raises(ValueError, match="Not a division"), division_context(bad):
            pass


def test_scope_context_enters_each_kind():
    tenant = TenantFactory()
    with scope_context(Scope(ScopeKind.TENANT, tenant=tenant)):
        assert get_active_tenant() == tenant
    with scope_context(Scope(ScopeKind.DIVISION, division="amc")):
        assert (get_active_division(), get_active_tenant()) == ("amc", None)
    for nothing in (Scope.none(), Scope(ScopeKind.PLATFORM)):
        with scope_context(nothing):
            assert (get_active_division(), get_active_tenant()) == ("", None)
            with pytest.raises(NoActiveTenant):
                list(Ticket.objects.all())
    with pytest.raises(ValueError, match="needs its tenant"), scope_context(Scope(ScopeKind.TENANT)):
        pass


# --- The managers (and, as the runtime role on PostgreSQL, RLS behind them) ----------------------------


def test_a_division_sees_the_rows_routed_to_it_across_tenants(routed):
    with transaction.atomic(), division_context(Division.MADRID):
        assert _subjects(Ticket.objects.all()) == ["a-madrid", "b-madrid"]
        assert Ticket.objects.filter(subject="c-amc").count() == 0
        assert {t.tenant_id for t in Ticket.objects.all()} == {routed[0].pk, routed[1].pk}
    with transaction.atomic(), division_context(Division.AMC):
        assert _subjects(Ticket.objects.all()) == ["c-amc"]
    with transaction.atomic(), division_context(Division.HAGUE):
        assert _subjects(Ticket.objects.all()) == []


def test_a_division_never_reads_a_tenants_own_rows(routed):
    with division_context(Division.MADRID):
        for model in (Widget, Msme):
            with pytest.raises(NotRoutedToDivisions, match="not routed to divisions"):
                list(model.objects.all())
        with pytest.raises(NotRoutedToDivisions):
            Msme.objects.count()


def test_in_a_tenants_scope_routing_changes_nothing(routed):
    a, _b, c = routed
    with tenant_context(a):
        assert _subjects(Ticket.objects.all()) == ["a-madrid", "a-none"]
    with tenant_context(c):
        assert _subjects(Ticket.objects.all()) == ["c-amc"]


def test_no_scope_no_rows(routed):
    with pytest.raises(NoActiveTenant):
        list(Ticket.objects.all())
    # Past the manager, on PostgreSQL: RLS lets no row through.
    if connection.vendor == "postgresql":
        with transaction.atomic():
            assert Ticket._base_manager.count() == 0


def test_a_write_in_division_scope_keeps_the_rows_tenant(routed):
    a, _b, _c = routed
    with transaction.atomic(), division_context(Division.MADRID):
        ticket = Ticket.objects.get(subject="a-madrid")
        ticket.subject = "a-madrid-answered"
        ticket.save()
        assert Ticket.objects.get(pk=ticket.pk).tenant_id == a.pk
        # A new row needs its tenant from the code that makes it: a division stamps none.
        with pytest.raises(NotRoutedToDivisions, match="tenant set explicitly"):
            Ticket.objects.create(subject="orphan", division=Division.MADRID)
        created = Ticket.objects.create(subject="a-follow-up", division=Division.MADRID, tenant=a)
        assert created.tenant_id == a.pk
        # Only the division's own rows: not another division's, not routed elsewhere.
        ticket.division = Division.AMC
        with pytest.raises(TenantMismatch, match="routed to amc"):
            ticket.save()
        widget = WidgetFactory.build(tenant=a)
        with pytest.raises(NotRoutedToDivisions):
            widget.save()
        with pytest.raises(NotRoutedToDivisions):
            Widget.objects.bulk_create([WidgetFactory.build(tenant=a)])
    with tenant_context(a):
        assert Ticket.objects.get(subject="a-madrid-answered").division == Division.MADRID


# --- RLS on PostgreSQL ------------------------------------------------------------------------


def _raw(sql: str, params: tuple = ()) -> list[tuple]:
    """Through Django's cursor: the RLS wrapper sets the scope; nothing else limits the rows."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@on_postgresql
def test_rls_limits_raw_sql_in_division_scope(routed):
    tickets, widgets, msmes = Ticket._meta.db_table, Widget._meta.db_table, Msme._meta.db_table
    with transaction.atomic(), division_context(Division.MADRID):
        assert sorted(r[0] for r in _raw(f"SELECT subject FROM {tickets}")) == ["a-madrid", "b-madrid"]
        assert _raw(f"SELECT count(*) FROM {tickets} WHERE division = 'amc'") == [(0,)]
        # Tables not routed to divisions: the division setting admits nothing.
        assert _raw(f"SELECT count(*) FROM {widgets}") == [(0,)]
        assert _raw(f"SELECT count(*) FROM {msmes}") == [(0,)]
        # And a row of another division cannot be written in, even by SQL.
        with pytest.raises(Exception, match="row-level security"), transaction.atomic():
            _raw(
                f"INSERT INTO {tickets} (id, tenant_id, subject, division) "
                "VALUES (gen_random_uuid(), %s, 'sneaky', 'amc') RETURNING id",
                (routed[0].pk,),
            )
    with transaction.atomic(), tenant_context(routed[0]):
        assert sorted(r[0] for r in _raw(f"SELECT subject FROM {tickets}")) == ["a-madrid", "a-none"]


@on_postgresql
def test_the_suite_really_runs_these_as_a_role_rls_applies_to():
    assert _raw("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user") == [(False,)]


# --- The middleware ------------------------------------------------------------------------


def _through_middleware(user, read):
    from apps.tenants.middleware import TenantMiddleware

    seen = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["rows"] = read()
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    middleware = TenantMiddleware(view)
    try:
        response = middleware(request)
    except Exception as exc:  # what Django's handler does with a view's exception
        response = middleware.process_exception(request, exc)
        if response is None:
            raise
    return response.status_code, seen.get("rows")


def test_the_middleware_puts_division_staff_in_their_divisions_scope(routed):
    analyst = UserFactory(division=Division.MADRID, division_role="analyst")
    agent = UserFactory(division=Division.AMC, division_role="agent")
    assert _through_middleware(analyst, lambda: _subjects(Ticket.objects.all())) == (200, ["a-madrid", "b-madrid"])
    assert _through_middleware(agent, lambda: _subjects(Ticket.objects.all())) == (200, ["c-amc"])
    # The registry is a tenant's: the page answers 403, not a 500 and not a row.
    status, rows = _through_middleware(analyst, lambda: list(Msme.objects.all()))
    assert (status, rows) == (403, None)


def test_a_platform_admin_outside_the_admin_has_no_rows(routed):
    admin = UserFactory(is_superuser=True, is_staff=True)
    status, _ = _through_middleware(admin, lambda: list(Ticket.objects.all()))
    assert status == 403


# --- Ratchets ------------------------------------------------------------------------------------


def _tenant_owned() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if issubclass(model, TenantOwnedModel)]


def test_ratchet_routing_is_declared_and_has_its_column_together():
    """`routable_to_division` (read by the managers) and the `division` column (read by the RLS operation)
    go together; the column holds a Division or nothing."""
    routed = [model for model in _tenant_owned() if model.routable_to_division]
    assert Ticket in routed and Widget not in routed and Msme not in routed
    problems = []
    for model in _tenant_owned():
        if model.routable_to_division != routed_to_division(model):
            problems.append(f"{model._meta.label}: routable_to_division={model.routable_to_division}, column?")
        if model.routable_to_division:
            field = model._meta.get_field("division")
            # "Nothing" is NULL (DivisionRoutedModel) or "" (the audit trail's blank string): neither matches
            # a division in the RLS policy or the manager.
            if not ((field.null or field.blank) and set(dict(field.choices)) == set(Division.values)):
                problems.append(f"{model._meta.label}.division: nullable or blank, with Division's choices")
    assert problems == [], "subclass apps.tenants.models.DivisionRoutedModel:\n" + "\n".join(problems)


@on_postgresql
def test_ratchet_every_routed_tables_policy_has_the_division_branch_and_no_other_table_has_it():
    problems = []
    for model in _tenant_owned():
        table = model._meta.db_table
        policies = _raw(
            "SELECT qual, with_check FROM pg_policies WHERE tablename = %s AND policyname = %s", (table, POLICY_NAME)
        )
        if not policies:
            problems.append(f"{table}: no {POLICY_NAME} policy")
            continue
        using, with_check = policies[0]
        for clause, text in (("USING", using), ("WITH CHECK", with_check)):
            # PostgreSQL's own rendering of `division = (SELECT NULLIF(current_setting('app.division', true), ''))`.
            has_branch = "(division)::text = ( SELECT NULLIF(current_setting('app.division'" in text
            if has_branch != model.routable_to_division:
                problems.append(f"{table} {clause}: division branch {'missing' if not has_branch else 'unexpected'}")
    assert problems == [], (
        "run apps.tenants.rls.EnableRowLevelSecurity(model_name=...) again after adding or removing the "
        "division column:\n" + "\n".join(problems)
    )


def test_enable_sql_chooses_the_predicate():
    assert "app.division" in enable_sql("t", routed_to_division=True)[-1]
    assert "app.division" not in enable_sql("t")[-1]


def test_role_for_lives_in_tenants_and_needs_no_accounts_import():
    import ast
    import importlib
    import inspect

    from apps.tenants import scope

    analyst = UserFactory(division=Division.MADRID, division_role="analyst")
    assert scope.role_for(analyst, None) == Role.DIVISION_ANALYST
    # The request path of the tenants layer imports nothing of accounts at module level (accounts builds on it).
    offenders = []
    for name in ("context", "managers", "middleware", "models", "rls", "scope", "selectors"):
        tree = ast.parse(inspect.getsource(importlib.import_module(f"apps.tenants.{name}")))
        for node in tree.body:
            module = node.module if isinstance(node, ast.ImportFrom) else None
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [module or ""]
            offenders += [f"apps.tenants.{name}: {n}" for n in names if n.startswith("apps.accounts")]
    assert offenders == []
