"""request.actor: the role and the one scope of each kind of user, set by the tenant middleware."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from apps.core.roles import Division, Role
from apps.tenants.scope import ScopeKind
from tests.factories import TenantFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def _actor_of(user):
    from django.contrib.sessions.backends.db import SessionStore

    from apps.tenants.middleware import TenantMiddleware

    seen = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["actor"] = request.actor
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    TenantMiddleware(view)(request)
    return seen["actor"]


def test_a_tenant_member_acts_in_their_tenant():
    tenant = TenantFactory()
    actor = _actor_of(user_with_role(Role.AGENCY_STAFF, tenant=tenant))
    assert actor.role == Role.AGENCY_STAFF
    assert actor.scope.kind == ScopeKind.TENANT
    assert actor.tenant == tenant
    assert actor.division == ""


def test_division_staff_act_in_their_division_with_no_tenant():
    analyst = UserFactory(division=Division.MADRID, division_role="analyst")
    agent = UserFactory(division=Division.AMC, division_role="agent")
    assert (_actor_of(analyst).scope.kind, _actor_of(analyst).division) == (ScopeKind.DIVISION, "madrid")
    agent_actor = _actor_of(agent)
    assert (agent_actor.role, agent_actor.division, agent_actor.tenant) == (Role.HELPDESK_AGENT, "amc", None)


def test_a_platform_admin_acts_in_the_platform_scope_and_a_visitor_in_none():
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert _actor_of(admin).scope.kind == ScopeKind.PLATFORM
    from django.contrib.auth.models import AnonymousUser

    visitor = _actor_of(AnonymousUser())
    assert (visitor.scope.kind, visitor.role, visitor.is_authenticated) == (ScopeKind.NONE, None, False)
