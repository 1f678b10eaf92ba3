"""Health checks for /healthz: database, cache and broker, each 'ok', 'error' or (broker) 'eager'.

Beside them, `rls` (registered by apps.tenants) says whether row-level security applies to the role
this process connects as: 'enforced', 'bypassed', 'n/a' (not PostgreSQL) or 'error'. It is a detail for
monitoring, not a dependency, so it never makes the status degraded, in production neither: a production process
refuses to start as a role that bypasses RLS (apps.tenants.checks), and a 503 here would make a
load balancer or orchestrator drain or restart instances, which cannot change a role's attributes
and would turn the loss of the second wall (the tenant-scoped managers still hold) into an outage.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from apps.core.cache_keys import global_cache_key

logger = logging.getLogger(__name__)


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "error"
    return "ok"


def check_cache() -> str:
    # A probe of Redis itself, the same in every tenant (and run with none).
    key = global_cache_key("healthz", uuid.uuid4().hex)
    try:
        cache.set(key, "1", timeout=10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception:
        return "error"
    return "ok" if ok else "error"


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL:
        return "eager"
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception:
        return "error"
    return "ok"


# Details that apps add to the report (apps.tenants: `rls`), each run only when the database answers.
_database_details: dict[str, Callable[[], str]] = {}


def register_database_detail(name: str, check: Callable[[], str]) -> None:
    """Add a detail to /healthz that reads the database; called from an app's AppConfig.ready()."""
    _database_details[name] = check


def _run(check: Callable[[], str]) -> str:
    # A check with a bug (or an import that fails) is an "error", never a 500 from /healthz.
    try:
        return check()
    except Exception:
        logger.exception("health check %s failed", getattr(check, "__name__", check))
        return "error"


def health_report() -> tuple[bool, dict[str, str]]:
    checks = {"database": _run(check_database), "cache": _run(check_cache), "broker": _run(check_broker)}
    healthy = all(value in {"ok", "eager"} for value in checks.values())
    # A database that is down would only be waited for a second time.
    database_up = checks["database"] == "ok"
    details = {name: _run(check) if database_up else "error" for name, check in _database_details.items()}
    return healthy, {"status": "ok" if healthy else "degraded", **checks, **details}
