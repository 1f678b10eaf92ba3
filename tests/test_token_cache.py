"""API tokens from the cache (apps.accounts.token_cache): no query for a token already checked, and never a
token that has since been revoked, deleted or expired, or whose user, membership or agency changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.accounts import token_cache
from apps.accounts.models import ApiToken, User
from apps.accounts.services import api_token_authenticate, api_token_create, api_token_revoke, api_tokens_revoke_all
from apps.core.cache import STALE
from apps.core.roles import Role
from apps.tenants import signed_in
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def staff(tenant_a):
    return user_with_role(Role.AGENCY_STAFF, tenant_a)


@pytest.fixture
def key(staff):
    _token, key = api_token_create(user=staff, membership=staff.memberships.get(), name="sync")
    assert api_token_authenticate(key) is not None  # checked once: now in the cache
    return key


def test_a_token_checked_once_is_read_from_the_cache(key, django_assert_num_queries):
    with django_assert_num_queries(0):
        token = api_token_authenticate(key)
    assert token.user.is_active and token.membership.tenant.slug == "aa"


def test_a_wrong_key_is_refused_whatever_the_cache_holds(key):
    assert api_token_authenticate(key[:-1] + ("A" if key[-1] != "A" else "B")) is None


def test_revoked_tokens_are_refused_at_once(staff, key):
    token = ApiToken.objects.get(user=staff)
    assert api_token_revoke(user=staff, token_id=str(token.pk))
    assert api_token_authenticate(key) is None

    _token, other = api_token_create(user=staff, membership=None, name="b")
    assert api_token_authenticate(other) is not None
    api_tokens_revoke_all(user=staff)
    assert api_token_authenticate(other) is None


def test_a_deleted_token_is_refused(staff, key):
    ApiToken.objects.get(user=staff).delete()
    assert api_token_authenticate(key) is None


def test_a_deactivated_user_or_agency_is_refused(staff, tenant_a, key):
    tenant_a.is_active = False
    tenant_a.save()
    assert api_token_authenticate(key) is None
    tenant_a.is_active = True
    tenant_a.save()
    assert api_token_authenticate(key) is not None
    staff.is_active = False
    staff.save()
    assert api_token_authenticate(key) is None


def test_a_changed_or_deleted_membership_is_seen(staff, key):
    membership = staff.memberships.get()
    membership.role = Role.HELPDESK_AGENT.value
    membership.save()
    assert api_token_authenticate(key).membership.role == Role.HELPDESK_AGENT.value
    membership.delete()  # its tokens go with it
    assert api_token_authenticate(key) is None


def test_a_bulk_update_is_seen_once_forget_users_is_called(staff, key):
    User.objects.filter(pk=staff.pk).update(is_active=False)  # no signal
    signed_in.forget_users([staff.pk])
    assert api_token_authenticate(key) is None


def test_a_token_read_while_it_changes_is_not_stored(staff, key):
    token = ApiToken.objects.get(user=staff)
    token_cache.forget([token.key_hash])  # a change in flight: the marker is there
    assert api_token_authenticate(key) is not None  # read from the database
    assert token_cache.cached(token.key_hash) == STALE  # and not stored over the marker


def test_the_last_use_is_written_at_most_every_few_minutes_and_the_entry_lives_no_longer(staff, key, monkeypatch):
    first = ApiToken.objects.get(user=staff).last_used_at
    assert first is not None
    token_cache.forget([])  # nothing to forget: no error
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert api_token_authenticate(key).last_used_at == later
    assert ApiToken.objects.get(user=staff).last_used_at == later


def test_an_expired_token_is_refused_though_it_is_cached(key, monkeypatch, staff):
    token = ApiToken.objects.get(user=staff)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(minutes=1))
    token_cache.forget([token.key_hash])
    cache.delete(token_cache.cache_key(token.key_hash))
    assert api_token_authenticate(key) is not None  # cached, with its expiry
    later = timezone.now() + timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert api_token_authenticate(key) is None
