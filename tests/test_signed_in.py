"""The signed-in user and their memberships come from the cache (apps.tenants.signed_in), and every change
that matters reaches the next request: a membership gone or changed, a tenant closed, a password changed,
a user deactivated."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from apps.core.cache import STALE
from apps.core.roles import Role
from apps.tenants import signed_in
from apps.tenants.models import Membership
from tests.factories import TenantFactory, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]

BARE = "/bench/bare-signed-in/"


@pytest.fixture
def agency_user():
    tenant = TenantFactory(slug="cached", name="Cached Agency")
    user = user_with_role(Role.AGENCY_STAFF, tenant)
    cache.delete(signed_in.cache_key(user.pk))
    yield tenant, user
    cache.delete(signed_in.cache_key(user.pk))


def _me(client: Client) -> tuple[str | None, str | None]:
    """(role, tenant slug) the request acted in."""
    response = client.get("/api/v1/me/")
    assert response.status_code == 200, response.content
    data = response.json()
    return data["role"], data["tenant"]["slug"] if data["tenant"] else None


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _selects(client: Client, path: str) -> list[str]:
    """The SELECTs of one request (in this test's transaction its own is a savepoint: those are left out;
    tests/test_round_trips.py counts every round trip of a real one)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]


def test_the_second_request_reads_the_cache_not_the_database(agency_user):
    _tenant, user = agency_user
    client = _signed_in(user)
    first = _selects(client, BARE)  # the user, the memberships, what other apps keep with them: then kept
    tables = ['"accounts_user"', '"tenants_membership"', '"accounts_savedfilter"']
    assert [sql.split(" FROM ")[1].split()[0] for sql in first] == tables
    assert isinstance(cache.get(signed_in.cache_key(user.pk)), signed_in.Entry)
    assert _selects(client, BARE) == []
    assert _me(client) == (Role.AGENCY_STAFF, "cached")


def test_a_membership_removed_or_changed_reaches_the_next_request(agency_user):
    tenant, user = agency_user
    client = _signed_in(user)
    assert _me(client) == (Role.AGENCY_STAFF, "cached")
    membership = Membership.objects.get(user=user)
    membership.role = Role.HELPDESK_AGENT
    membership.save()
    assert _me(client) == (Role.HELPDESK_AGENT, "cached")
    membership.delete()
    assert _me(client) == (None, None)
    Membership.objects.create(user=user, tenant=tenant, role=Role.MSME_MEMBER)
    assert _me(client) == (Role.MSME_MEMBER, "cached")


def test_a_closed_tenant_reaches_its_members_next_request(agency_user):
    tenant, user = agency_user
    client = _signed_in(user)
    assert _me(client) == (Role.AGENCY_STAFF, tenant.slug)
    tenant.is_active = False
    tenant.save()
    assert _me(client) == (None, None)


def test_a_password_change_or_deactivation_signs_the_other_sessions_out(agency_user):
    _tenant, user = agency_user
    client = _signed_in(user)
    assert client.get(BARE).status_code == 200
    user.set_password("a-new-password-1234")
    user.save()
    assert client.get(BARE).status_code == 403  # the bare view refuses anonymous requests
    assert SESSION_KEY not in client.session
    client = _signed_in(user)
    assert client.get(BARE).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(BARE).status_code == 403


def test_a_sign_in_keeps_the_entry(agency_user):
    """Signing in saves last_login only: the entry stays, so a new session is served from the cache at once."""
    _tenant, user = agency_user
    _signed_in(user).get(BARE)
    assert isinstance(cache.get(signed_in.cache_key(user.pk)), signed_in.Entry)
    _signed_in(user)
    assert isinstance(cache.get(signed_in.cache_key(user.pk)), signed_in.Entry)


def _request_for(client: Client):
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.backends.cached_db import SessionStore

    request = RequestFactory().get(BARE)
    request.session = SessionStore(session_key=client.session.session_key)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    request.api_token = None
    return request


def test_an_entry_that_does_not_verify_is_not_used(agency_user):
    """An entry whose user no longer matches the session's hash (or was made for another backend) is passed
    over: Django's own path answers, and the entry is left for its marker or its timeout."""
    _tenant, user = agency_user
    client = _signed_in(user)
    forged = Membership.objects.select_related("tenant").get(user=user)
    stale_user = type(user).objects.get(pk=user.pk)
    stale_user.password = "md5$other$0"
    session = client.session
    for entry in (
        signed_in.Entry(session[BACKEND_SESSION_KEY], stale_user, (forged,)),
        signed_in.Entry("some.other.Backend", user, ()),
    ):
        cache.set(signed_in.cache_key(user.pk), entry)
        request = _request_for(client)
        signed_in.resolve(request)
        assert request.user.password == user.password
        assert [m.pk for m in request._memberships] == [forged.pk]
    assert session[HASH_SESSION_KEY] == user.get_session_auth_hash()


def test_a_stale_marker_is_not_overwritten_by_what_a_request_read(agency_user):
    _tenant, user = agency_user
    client = _signed_in(user)
    cache.set(signed_in.cache_key(user.pk), STALE)
    request = _request_for(client)
    signed_in.resolve(request)
    assert request.user.pk == user.pk and len(request._memberships) == 1
    assert cache.get(signed_in.cache_key(user.pk)) == STALE


def test_changes_mark_the_entry_stale_at_once_and_again_on_commit(agency_user, django_capture_on_commit_callbacks):
    _tenant, user = agency_user
    _signed_in(user).get(BARE)
    with django_capture_on_commit_callbacks() as callbacks:
        signed_in.forget_users([user.pk])
        assert cache.get(signed_in.cache_key(user.pk)) == STALE
        cache.delete(signed_in.cache_key(user.pk))
    assert len(callbacks) == 1
    callbacks[0]()
    assert cache.get(signed_in.cache_key(user.pk)) == STALE
