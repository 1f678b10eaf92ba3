from __future__ import annotations

import pytest

from apps.accounts.roles import Role
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
