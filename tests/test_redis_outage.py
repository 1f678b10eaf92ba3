"""A Redis outage degrades the portal deliberately: sessions fall back to the database, rate limits fail
open, and no page answers 500. Runs against a throwaway redis-server that the test starts and kills."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client, override_settings

import portal.settings.base as base_settings
from apps.core import cache as cache_module
from apps.core.cache import FailSoftRedisCache
from apps.core.roles import Role
from tests.diagnostics.helpers import least_answers
from tests.factories import PASSWORD, TenantFactory, user_with_role
from tests.redis_server import ThrowawayRedis, free_port, skip_without_redis_server

pytestmark = pytest.mark.django_db

ASSESSMENTS = "/api/v1/diagnostics/assessments/"
LOGIN = "/accounts/login/"

skip_without_redis_server()


@pytest.fixture
def throwaway_redis() -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis()
    server.start()
    try:
        with override_settings(
            CACHES={"default": base_settings.redis_cache(server.url)},
            ACCOUNT_RATE_LIMITS=base_settings.ACCOUNT_RATE_LIMITS,
            VISITOR_ASSESSMENT_RATE="1/hour",
        ):
            yield server
    finally:
        server.stop()


def _sign_in(client: Client, email: str) -> int:
    return client.post(LOGIN, {"login": email, "password": PASSWORD}).status_code


def _post_assessment(client: Client) -> int:
    return client.post(ASSESSMENTS, {"answers": least_answers()}, content_type="application/json").status_code


def test_the_cache_is_redis_and_sessions_are_cached_in_it(throwaway_redis):
    # What the rest of this file relies on: the session engine uses the cache the fixture points at.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert settings.CACHES["default"]["LOCATION"] == throwaway_redis.url


def test_signed_in_pages_sign_in_and_the_anonymous_diagnostic_survive_a_redis_outage(throwaway_redis):
    tenant = TenantFactory()
    staff = user_with_role(Role.AGENCY_STAFF, tenant)
    other = user_with_role(Role.AGENCY_STAFF, tenant)
    signed_in = Client(raise_request_exception=False)
    assert _sign_in(signed_in, staff.email) == 302
    assert signed_in.get("/registry/").status_code == 200

    throwaway_redis.stop()

    # The session is read from the database: still signed in, still in the agency.
    started = time.monotonic()
    assert signed_in.get("/registry/").status_code == 200
    assert signed_in.get("/guidance/").status_code == 200
    assert time.monotonic() - started < 10, "pages hang while Redis is down"
    # Signing in works (allauth's rate limits fail open), and a wrong password is a form error, not a 500.
    fresh = Client(raise_request_exception=False)
    assert fresh.post(LOGIN, {"login": other.email, "password": "wrong"}).status_code == 200
    assert _sign_in(fresh, other.email) == 302
    assert fresh.get("/registry/").status_code == 200
    # The visitor throttle fails open: more anonymous results than the rate while Redis is down.
    anonymous = Client(raise_request_exception=False)
    assert [_post_assessment(anonymous) for _ in "abc"] == [201, 201, 201]
    assert signed_in.post("/accounts/logout/").status_code == 302
    assert signed_in.get("/registry/").status_code == 302  # signed out: to the sign-in page
    health = Client().get("/healthz")
    assert (health.status_code, health.json()["cache"]) == (503, "error")


def test_the_visitor_throttle_still_counts_while_redis_is_up(throwaway_redis):
    anonymous = Client(raise_request_exception=False)
    assert [_post_assessment(anonymous) for _ in "ab"] == [201, 429]


def test_sessions_made_during_the_outage_still_work_once_redis_is_back(throwaway_redis):
    tenant = TenantFactory()
    staff = user_with_role(Role.AGENCY_STAFF, tenant)
    throwaway_redis.stop()
    client = Client(raise_request_exception=False)
    assert _sign_in(client, staff.email) == 302
    throwaway_redis.start()
    assert client.get("/registry/").status_code == 200


def test_an_unreachable_redis_answers_as_an_empty_cache_that_forgets(caplog, monkeypatch):
    monkeypatch.setattr(cache_module, "_last_warning", -cache_module.WARNING_INTERVAL_SECONDS)
    cache = FailSoftRedisCache(f"redis://127.0.0.1:{free_port()}/0", {"KEY_PREFIX": "t"})
    with caplog.at_level(logging.WARNING, logger="apps.core.cache"):
        cache.set("a", 1)
        cache.set("a", 1)
    assert [record.getMessage().startswith("Cache unavailable (set:") for record in caplog.records] == [True]
    assert cache.get("a") is None and cache.get("a", "default") == "default"
    assert cache.add("a", 1) is True  # stored, then forgotten: a lock taken with add() does not block
    assert cache.get_many(["a", "b"]) == {} and cache.has_key("a") is False
    assert cache.get_or_set("a", 2) == 2
    assert cache.set_many({"a": 1}) == [] and cache.delete("a") is False and cache.touch("a") is False
    cache.delete_many(["a"])
    cache.clear()
    with pytest.raises(ValueError):
        cache.incr("a")
