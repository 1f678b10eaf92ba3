from __future__ import annotations

import pytest

from apps.core.roles import Role
from tests.factories import MsmeFactory, user_with_role
from tests.surveys.helpers import make_survey


@pytest.fixture
def survey(tenant_a, in_tenant):
    in_tenant(tenant_a)
    return make_survey()


@pytest.fixture
def msme(tenant_a, in_tenant):
    in_tenant(tenant_a)
    return MsmeFactory(preferred_language="fr")


@pytest.fixture
def staff(tenant_a):
    return user_with_role(Role.AGENCY_STAFF, tenant_a)
