"""Round trips to PostgreSQL per request: one transaction, the tenant scope set once.

Counted at the driver's connection (tests.roundtrips), so BEGIN, COMMIT and the row-level security
settings count as the queries they are. Transactional tests: the request's transaction is a real
BEGIN ... COMMIT, as in production, not a savepoint in the test's transaction.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client

from apps.accounts.services import api_token_create
from apps.core.roles import Role
from apps.tenants import signed_in
from apps.tenants.context import tenant_context
from tests.factories import MsmeFactory, TenantFactory, user_with_role
from tests.roundtrips import count_round_trips

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="counts PostgreSQL's protocol messages"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def agency():
    with transaction.atomic():
        tenant = TenantFactory(slug="rt", name="Round Trip Agency")
        user = user_with_role(Role.AGENCY_STAFF, tenant)
        with tenant_context(tenant):
            MsmeFactory.create_batch(3)
    return tenant, user


def _warmed_request(client: Client, path: str, warm: int = 1) -> list[str]:
    """The statements of a request after `warm` others (the first warms per-process caches; on a list that
    keeps its page query, the second prepares that query: apps.core.lists.KeptPages)."""
    for _ in range(warm):
        assert client.get(path).status_code == 200
    with count_round_trips() as trips:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return trips.statements


def _assert_one_scoped_transaction(statements: list[str]) -> None:
    # BEGIN and the scope in one round trip (apps.tenants.rls), not BEGIN alone and then the scope.
    opening = [s for s in statements if s.startswith("BEGIN")]
    assert len(opening) == 1 and "set_config" in opening[0], statements
    assert statements.count("COMMIT") == 1, statements
    assert sum("set_config" in s for s in statements) == 1, statements


def test_registry_list_is_one_transaction_with_the_scope_set_once(agency):
    _tenant, user = agency
    client = Client()
    client.force_login(user)
    statements = _warmed_request(client, "/registry/", warm=2)
    _assert_one_scoped_transaction(statements)
    assert sum(statement.startswith("EXECUTE ") for statement in statements) == 1, statements  # the kept page
    # 7 with BEGIN alone and the count in a query of its own, 10 when each query had a transaction of its own;
    # the user's saved filters come from the cache (apps.accounts.selectors.saved_filters_of_list)
    assert not any("accounts_savedfilter" in statement for statement in statements), statements
    assert len(statements) == 5, statements


def test_api_list_is_one_transaction_with_the_scope_set_once(agency):
    _tenant, user = agency
    with transaction.atomic():
        _token, key = api_token_create(user=user, membership=user.memberships.get(), name="count")
    client = Client(headers={"Authorization": f"Token {key}"})
    statements = _warmed_request(client, "/api/v1/msmes/?page_size=50", warm=2)
    _assert_one_scoped_transaction(statements)
    assert statements[1].startswith("EXECUTE "), statements  # the kept page query, prepared
    # The token from the cache (apps.accounts.token_cache): BEGIN with the scope, the page with its count, COMMIT.
    # 5 with BEGIN alone and the count apart, 6 more with the token's query, 9 when each query had a transaction
    # of its own.
    assert len(statements) == 3, statements


def test_a_kept_page_query_is_prepared_once_per_connection(agency):
    _tenant, user = agency
    client = Client()
    client.force_login(user)
    assert client.get("/registry/").status_code == 200  # built, and its query kept
    runs = []
    for _ in range(3):
        with count_round_trips() as trips:
            assert client.get("/registry/").status_code == 200
        runs.append(trips.statements)
    page_text = [s for s in runs[0] if "_list_total" in s]
    assert len(page_text) == 1 and len(runs[0]) == len(runs[1]) + 1, runs  # prepared: a round trip, once
    assert runs[1] == runs[2] and not any("_list_total" in s for s in runs[1]), runs


@pytest.mark.urls("bench.urls")
def test_a_signed_in_bare_request_sends_postgresql_nothing(agency):
    """The session, the user and the membership come from the cache (apps.tenants.signed_in), the scope is set
    with a request's first query only: a view that reads nothing sends nothing, not even BEGIN and COMMIT."""
    _tenant, user = agency
    cache.delete(signed_in.cache_key(user.pk))  # the membership just made marked it stale for a few seconds
    client = Client()
    client.force_login(user)
    assert _warmed_request(client, "/bench/bare-signed-in/") == []  # 5 before: BEGIN, user, memberships, scope, COMMIT
