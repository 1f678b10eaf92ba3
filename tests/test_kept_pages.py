"""Kept page queries (apps.core.lists.KeptPages, PageQuery): a list that keeps its page's query reads the same
request's page again without building and compiling its queryset, and reads the rows afresh every time; the
entry is the list's, the query string's, the tenant's, the user's, their role's and the language's only; a
list whose query depends on anything else is caught by the check the tests run with."""

from __future__ import annotations

import itertools
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.sql import compiler as sql_compiler
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.services import api_token_create
from apps.core import lists
from apps.core.api.lists import with_related_columns
from apps.core.lists import KeptPages, PageQuery, kept_pages, list_page
from apps.core.roles import Role
from apps.registry.filters import MsmeFilterSet
from apps.registry.models import Msme, MsmeMember
from apps.tenants.context import tenant_context
from tests.factories import user_with_role
from tests.registry.factories import MsmeFactory

pytestmark = pytest.mark.django_db

REGISTRY = "/registry/"
API = "/api/v1/msmes/"


def make(tenant, count, prefix="M"):
    with tenant_context(tenant):
        return [MsmeFactory(name=f"{prefix} {i:03d}") for i in range(count)]


@pytest.fixture
def compiled(monkeypatch):
    """Counts the queries Django compiles (SQLCompiler.as_sql)."""
    calls = []
    original = sql_compiler.SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        calls.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(sql_compiler.SQLCompiler, "as_sql", counted)
    return calls


def _page_sql(captured):
    return [q["sql"] for q in captured.captured_queries if "_list_total" in q["sql"]]


def test_the_second_request_reads_the_page_by_the_kept_query_and_compiles_none(
    client, login_as, tenant_a, compiled, settings
):
    settings.PORTAL_CHECK_KEPT_QUERIES = False  # the check builds the query again, which is what this counts
    login_as(Role.AGENCY_STAFF, tenant_a)
    make(tenant_a, 30)
    client.get(REGISTRY)  # reads the saved filters into the cache
    with CaptureQueriesContext(connection) as first:
        built = client.get(REGISTRY, {"page": 2})
    compiled.clear()
    with CaptureQueriesContext(connection) as second:
        kept = client.get(REGISTRY, {"page": 2})
    assert built.status_code == kept.status_code == 200
    assert Msme not in compiled  # nothing of the list was built nor compiled
    assert _page_sql(first) == _page_sql(second) and len(_page_sql(second)) == 1
    assert len(second.captured_queries) == len(first.captured_queries)
    for response in (built, kept):
        page = response.content.decode()
        assert "M 025" in page and "M 029" in page and "M 024" not in page and "(showing 26\u201330)" in page


def test_the_rows_and_the_count_are_read_afresh(client, login_as, tenant_a):
    login_as(Role.AGENCY_STAFF, tenant_a)
    make(tenant_a, 3)
    assert "3 MSMEs" in client.get(REGISTRY).content.decode()
    with tenant_context(tenant_a):
        MsmeFactory(name="A new one")
        Msme.objects.filter(name="M 001").update(name="Renamed")
    page = client.get(REGISTRY).content.decode()
    assert "4 MSMEs" in page and "A new one" in page and "Renamed" in page and "M 001" not in page


def test_a_kept_page_that_emptied_is_read_as_usual(client, login_as, tenant_a):
    """Page 2 kept, then its rows deleted: the request takes the usual path, which falls back to the last page."""
    login_as(Role.AGENCY_STAFF, tenant_a)
    make(tenant_a, 30)
    assert "(showing 26\u201330)" in client.get(REGISTRY, {"page": 2}).content.decode()
    with tenant_context(tenant_a):
        Msme.objects.filter(name__gte="M 020").delete()
    page = client.get(REGISTRY, {"page": 2}).content.decode()
    assert "20 MSMEs" in page and "M 019" in page


def test_the_same_page_for_another_role_or_tenant_is_its_own(client, tenant_a, tenant_b):
    """A member's MSME list (the API) is their own MSME, even after agency staff of the same tenant kept theirs."""
    make(tenant_a, 5)
    make(tenant_b, 2, prefix="B")
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    other = user_with_role(Role.AGENCY_STAFF, tenant_b)
    with tenant_context(tenant_a):
        own = Msme.objects.get(name="M 003")
        MsmeMember.objects.create(msme=own, user=member)

    def names(user):
        _, key = api_token_create(user=user, membership=user.memberships.get(), name="t")
        client = Client(headers={"Authorization": f"Token {key}"})
        lists_read = [json.loads(client.get(API).content) for _ in range(2)]  # built, then kept
        assert lists_read[0] == lists_read[1]
        return [row["name"] for row in lists_read[1]["results"]]

    assert names(staff) == ["M 000", "M 001", "M 002", "M 003", "M 004"]
    assert names(member) == ["M 003"]
    assert names(other) == ["B 000", "B 001"]
    assert len({key[3:7] for key in kept_pages._entries}) == 3


def test_the_api_page_read_by_the_kept_query_is_the_same_json(client, tenant_a, compiled, settings):
    settings.PORTAL_CHECK_KEPT_QUERIES = False
    make(tenant_a, 8)
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    _, key = api_token_create(user=staff, membership=staff.memberships.get(), name="t")
    api = Client(headers={"Authorization": f"Token {key}"})
    built = api.get(API, {"page_size": 3, "page": 2})
    compiled.clear()
    kept = api.get(API, {"page_size": 3, "page": 2})
    assert Msme not in compiled
    assert built.status_code == kept.status_code == 200 and built.json() == kept.json()
    assert kept.json()["count"] == 8 and [row["name"] for row in kept.json()["results"]] == ["M 003", "M 004", "M 005"]
    assert kept.json()["next"].endswith("page=3&page_size=3")


def test_a_page_query_reads_the_rows_as_the_queryset_gives_them(tenant_a, in_tenant):
    """Django's converters included: decimals, datetimes, a related column read by a subquery."""
    in_tenant(tenant_a)
    make(tenant_a, 4)
    paths = ["id", "name", "annual_turnover_eur", "created_at", "updated_at", "sector_isic__title", "founded_year"]
    queryset = with_related_columns(Msme.objects.order_by("name"), paths)
    page_query = PageQuery.of(queryset)
    assert page_query is not None and page_query.rows() == list(queryset)
    assert PageQuery.of(Msme.objects.all()) is None  # instances: not a query of tuples
    assert PageQuery.of(Msme.objects.values_list("name", flat=True)) is None
    assert PageQuery.of(Msme.objects.none().values_list("name")) is None


def test_a_list_whose_query_depends_on_more_than_the_request_is_refused_by_the_check(tenant_a, in_tenant):
    in_tenant(tenant_a)
    make(tenant_a, 3)
    user = user_with_role(Role.AGENCY_STAFF, tenant_a)
    calls = itertools.count()

    def by_the_clock(*, filters):  # stands for a list filtered by the time of the request
        limit = f"M 00{next(calls) + 1}"
        return MsmeFilterSet(filters, queryset=Msme.objects.all()), Msme.objects.filter(name__lte=limit).values_list(
            "name"
        )

    request = RequestFactory().get(REGISTRY)
    request.user, request.tenant = user, tenant_a
    list_page(request, by_the_clock, keep_query=True)
    with pytest.raises(ImproperlyConfigured, match="must not be kept"):
        list_page(request, by_the_clock, keep_query=True)


def test_only_lists_that_ask_keep_and_not_a_form_with_errors():
    entries = KeptPages(size=2)
    request = RequestFactory().get(REGISTRY, {"size_class": "huge"})
    assert entries.key(request, list_page, 25, None, ()) is None  # no tenant: nothing kept
    filterset = MsmeFilterSet(request.GET, queryset=Msme.objects.none())
    assert not lists._keepable(filterset)


def test_the_process_keeps_a_bounded_number_of_pages(tenant_a, in_tenant):
    in_tenant(tenant_a)
    make(tenant_a, 2)
    entries = KeptPages(size=2)
    queryset = Msme.objects.order_by("name").values_list("name")
    for number in range(3):
        paginator = lists.CappedPaginator(queryset, 1)
        entries.keep(("list", number), paginator, paginator.get_page(1))
    assert list(entries._entries) == [("list", 1), ("list", 2)]
    paginator = lists.CappedPaginator(queryset, 1)
    page = paginator.get_page(9)  # a fallback to the last page is not the page asked for: not kept
    entries.keep(("list", "fallback"), paginator, page)
    assert ("list", "fallback") not in entries._entries


def test_the_registry_list_keeps_its_query_only_in_its_tenant(client, login_as, tenant_a, tenant_b):
    login_as(Role.AGENCY_STAFF, tenant_a)
    make(tenant_a, 2)
    make(tenant_b, 2, prefix="B")
    client.get(reverse("registry:index"))
    client.get(reverse("registry:index"))
    assert [key[3] for key in kept_pages._entries] == [tenant_a.pk]


on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL's")


def _prepared_page_statements(tenant):
    with tenant_context(tenant), connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%_list_total%"])
        return [row[0] for row in cursor.fetchall()]


@on_postgresql
def test_the_kept_query_is_a_prepared_statement_with_its_values_written_in(tenant_a):
    """Parsed and planned once per connection; a value with a quote and a percent sign written in as psycopg
    writes it for Django, and read back the same."""
    make(tenant_a, 3)
    with tenant_context(tenant_a):
        MsmeFactory(name="O'Brien 100% Ltd")
    staff = user_with_role(Role.AGENCY_STAFF, tenant_a)
    _, key = api_token_create(user=staff, membership=staff.memberships.get(), name="t")
    api = Client(headers={"Authorization": f"Token {key}"})
    before = _prepared_page_statements(tenant_a)
    answers = [api.get(API, {"q": "O'Brien 100%"}) for _ in range(3)]  # built, then kept twice
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert [row["name"] for row in answers[2].json()["results"]] == ["O'Brien 100% Ltd"]
    added = [statement for statement in _prepared_page_statements(tenant_a) if statement not in before]
    assert len(added) == 1 and "O''Brien 100" in added[0]  # the quote doubled, the % escaped for LIKE


def test_a_kept_query_reads_the_rows_as_the_queryset_gives_them(tenant_a, in_tenant):
    in_tenant(tenant_a)
    make(tenant_a, 4)
    paths = ["id", "name", "annual_turnover_eur", "created_at", "sector_isic__title", "maturity_assessed_at"]
    queryset = with_related_columns(Msme.objects.filter(name__contains="%").order_by("name"), paths)
    kept = PageQuery.of(with_related_columns(Msme.objects.order_by("name"), paths)).for_keeping()
    assert (kept.literal is not None) == (connection.vendor == "postgresql")
    assert kept.rows() == list(with_related_columns(Msme.objects.order_by("name"), paths))
    assert PageQuery.of(queryset).for_keeping().rows() == []  # "%" written in as a value, not a placeholder


@on_postgresql
def test_prepared_list_queries_can_be_turned_off_for_a_pooler(settings, tenant_a, in_tenant):
    settings.PORTAL_PREPARED_LIST_QUERIES = False
    other = connection.copy()
    try:
        other.ensure_connection()
        assert other.connection.prepare_threshold is None  # psycopg prepares nothing on it
        assert other.literal_sql("SELECT %s", ["x"]) is None
    finally:
        other.close()
    settings.PORTAL_PREPARED_LIST_QUERIES = True
    other = connection.copy()
    try:
        assert other.literal_sql("SELECT %s", ["it's"]) == "SELECT 'it''s'"
    finally:
        other.close()
