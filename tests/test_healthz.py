"""/healthz: JSON status of the database, cache and broker; 503 when degraded, never a 500."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import override_settings

from apps.core import health
from portal.celery import app as celery_app
from tests.conftest import RUNTIME_ROLE

pytestmark = pytest.mark.django_db

KEYS = {"status", "database", "cache", "broker", "rls"}
# On PostgreSQL the suite connects as the runtime role (tests/conftest.py), to which row-level security
# applies; with PORTAL_TEST_DB_ROLE empty it stays the owner, a superuser here (tests/test_rls_role.py
# checks both ways).
RLS = ("enforced" if RUNTIME_ROLE else "bypassed") if connection.vendor == "postgresql" else "n/a"


def _get(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = response.json()
    assert set(data) == KEYS
    return response.status_code, data


@override_settings(REDIS_URL="", CELERY_TASK_ALWAYS_EAGER=True)
def test_healthz_is_ok_with_an_eager_broker_when_there_is_no_redis(client):
    status, data = _get(client)
    assert status == 200
    assert data == {"status": "ok", "database": "ok", "cache": "ok", "broker": "eager", "rls": RLS}


def test_healthz_as_configured(client):
    status, data = _get(client)
    assert status == 200
    assert data["status"] == "ok"
    assert data["broker"] == ("ok" if settings.REDIS_URL else "eager")


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI): a real broker to reach")
def test_healthz_reaches_the_redis_broker(client):
    status, data = _get(client)
    assert (status, data["broker"], data["cache"]) == (200, "ok", "ok")


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")


def test_a_failing_database_is_degraded_and_503(client, monkeypatch):
    monkeypatch.setattr(health, "connection", _BrokenConnection())
    status, data = _get(client)
    assert status == 503
    assert data["status"] == "degraded"
    assert data["database"] == "error"
    assert data["cache"] == "ok"
    assert data["rls"] == "error"


class _BrokenCache:
    def set(self, *args, **kwargs):
        raise ConnectionError("redis is down")

    get = delete = set


def test_a_failing_cache_is_degraded_and_503(client, monkeypatch):
    monkeypatch.setattr(health, "cache", _BrokenCache())
    status, data = _get(client)
    assert (status, data["status"], data["cache"], data["database"]) == (503, "degraded", "error", "ok")


def test_a_cache_that_forgets_is_degraded(client, monkeypatch):
    class Forgetful(_BrokenCache):
        def set(self, *args, **kwargs):
            return None

        def get(self, *args, **kwargs):
            return None

        delete = set

    monkeypatch.setattr(health, "cache", Forgetful())
    status, data = _get(client)
    assert (status, data["cache"]) == (503, "error")


def test_an_unreachable_broker_is_degraded_and_503(client, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_write_url", None)
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        status, data = _get(client)
    assert (status, data["status"], data["broker"]) == (503, "degraded", "error")


def test_a_check_that_crashes_is_an_error_not_a_500(client, monkeypatch):
    def crash() -> str:
        raise RuntimeError("a check with a bug")

    monkeypatch.setattr(health, "check_database", crash)
    status, data = _get(client)
    assert (status, data["status"], data["database"]) == (503, "degraded", "error")


def test_healthz_answers_get_only(client):
    assert client.post("/healthz").status_code == 405
