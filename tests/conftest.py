from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from apps.core.roles import Role
from apps.tenants.context import tenant_context
from tests.factories import TenantFactory, user_with_role

_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in the default language: a request through the test client leaves the language
    it activated (e.g. Arabic) active in the thread, and texts built outside a request would follow it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_cache_entries_kept_from_another_test():
    """Without Redis the cache is this process's memory (LocMemCache), and SQLite hands a rolled-back test's
    ids to the next test's rows: an entry kept for one test's user (their saved filters, a stale marker)
    would be read as another's. With Redis, on PostgreSQL, ids are never handed out twice."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _no_fragments_kept_from_another_test():
    """Each test starts with no fragment in this process's memory (the layout's, apps.core.fragments'
    copies, the guidance pages'): tests that empty the cache expect what they render to be rendered again."""
    from apps.core.fragments import forget_local_fragments
    from apps.core.templatetags.fragments import forget_fragments
    from apps.guidance.page_cache import forget_local_pages

    forget_local_fragments()
    forget_fragments()
    forget_local_pages()


@pytest.fixture(autouse=True)
def _no_page_queries_kept_from_another_test():
    """SQLite hands a rolled-back test's ids to the next test's rows: a page query kept for one test's tenant
    and user (apps.core.lists.KeptPages) must not serve another's."""
    from apps.core.lists import kept_pages

    kept_pages.clear()


# On PostgreSQL the suite connects as the runtime role, as the web and worker processes do in
# production: migrations run as the owner (DATABASE_URL's user), then `grant_app_role`, then every
# test connects as that role, so row-level security is the second wall in every test, not only in
# test_rls.py. PORTAL_TEST_DB_ROLE names the role; set it empty to stay the owner.
RUNTIME_ROLE = os.environ.get("PORTAL_TEST_DB_ROLE", "portal_app_test")
_OWNER: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.core.management import call_command
    from django.db import connection, connections

    if not RUNTIME_ROLE or connection.vendor != "postgresql":
        yield
        return
    owner = _OWNER.setdefault("user", connection.settings_dict["USER"])
    with django_db_blocker.unblock():
        call_command("grant_app_role", "--role", RUNTIME_ROLE, "--password", RUNTIME_ROLE, verbosity=0)
        with connection.cursor() as cursor:
            # Test-only: a transactional test's flush truncates every table.
            cursor.execute(
                f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {connection.ops.quote_name(RUNTIME_ROLE)}"
            )
    _connect_as(connections, RUNTIME_ROLE)
    yield
    _connect_as(connections, owner)


def _connect_as(connections, user: str) -> None:
    for conn in connections.all(initialized_only=True):
        conn.close()
    for alias in connections:
        connections[alias].settings_dict["USER"] = user
        connections[alias].settings_dict["PASSWORD"] = user if user == RUNTIME_ROLE else ""


def owner_sql(*statements: str) -> None:
    """Run statements as the table owner on a connection of its own (the suite's connection may be
    the runtime role, which cannot create or grant roles)."""
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    with (
        psycopg.connect(
            dbname=connection.settings_dict["NAME"],
            user=_OWNER.get("user", settings["USER"]),
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            autocommit=True,
        ) as owner,
        owner.cursor() as cursor,
    ):
        for statement in statements:
            cursor.execute(statement)


@contextmanager
def connected_as_owner() -> Iterator[None]:
    """Connect as the table owner inside the block (creating roles, SET ROLE, superuser checks).
    Only where no transaction is open: the connection is closed and reopened."""
    from django.db import connection, connections

    runtime = connection.settings_dict["USER"]
    if not RUNTIME_ROLE or runtime != RUNTIME_ROLE:
        yield
        return
    _connect_as(connections, _OWNER["user"])
    try:
        yield
    finally:
        _connect_as(connections, runtime)


@pytest.fixture
def as_db_owner(django_db_setup):
    """A test that needs the table owner's powers, as the owner for this test alone. Only for
    transactional tests, whose connection can be reopened."""
    with connected_as_owner():
        yield


@pytest.fixture(autouse=True)
def _isic_codes_present(request, django_db_blocker):
    """ISIC Rev.4 is reference data loaded by a migration; a transactional test's flush empties the
    table, so reload it before any test that uses the database finds it empty."""
    if request.node.get_closest_marker("django_db") is None and not _DB_FIXTURES & set(request.fixturenames):
        return
    request.getfixturevalue("django_db_setup")  # the test database, never the development one
    from apps.registry.isic import load_isic_codes
    from apps.registry.models import IsicCode

    with django_db_blocker.unblock():
        if not IsicCode.objects.exists():
            load_isic_codes(IsicCode)


@pytest.fixture
def tenant_a():
    return TenantFactory(slug="aa", name="Agency A", country="KE")


@pytest.fixture
def tenant_b():
    return TenantFactory(slug="bb", name="Agency B", country="PH")


@pytest.fixture
def in_tenant():
    """Enter a tenant's context for the rest of the test: `in_tenant(tenant)`."""
    stack = []

    def enter(tenant):
        cm = tenant_context(tenant)
        cm.__enter__()
        stack.append(cm)
        return tenant

    yield enter
    while stack:
        stack.pop().__exit__(None, None, None)


@pytest.fixture
def login_as(client):
    """Sign the test client in as a new user of `role` (in `tenant`); returns the user."""

    def login(role: Role | None, tenant=None, **fields):
        user = user_with_role(role, tenant, **fields)
        client.force_login(user)
        return user

    return login
