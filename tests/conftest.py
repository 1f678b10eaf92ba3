from __future__ import annotations

import pytest

from apps.accounts.roles import Role
from apps.tenants.context import tenant_context
from tests.factories import TenantFactory, user_with_role


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
