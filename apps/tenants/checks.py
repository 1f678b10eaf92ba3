"""Does row-level security apply to the role the portal connects as? (PostgreSQL)

RLS never applies to a superuser or to a role with BYPASSRLS, and the tables' owner can switch it
off at will (`ALTER TABLE … NO FORCE` / `DISABLE ROW LEVEL SECURITY`), so the web and worker
processes must connect as a role that is none of these: `manage.py grant_app_role` makes one.

Migrations, on the other hand, must run as the owner, in production too. So the system check is a
deployment check on the database (`manage.py check --deploy --database default`), which `migrate`
never runs, and the web server and the Celery processes call `require_rls_role()` as they start:
in production (`PORTAL_REQUIRE_RLS_ROLE`) they refuse to start, in development they warn.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

# pg_has_role(..., 'USAGE'): the owner's privileges reach its members too (ALTER TABLE included).
_ROLE_SQL = """
SELECT current_user, r.rolsuper, r.rolbypassrls,
       EXISTS (SELECT 1 FROM pg_tables t
               WHERE t.rowsecurity AND pg_has_role(current_user, t.tableowner, 'USAGE'))
FROM pg_roles r WHERE r.rolname = current_user
"""
HINT = (
    "Run migrations as the tables' owner, then `manage.py grant_app_role --role portal_app "
    "--password-env APP_DB_PASSWORD`, and connect the web server and the Celery worker and beat "
    "as that role (README, Tenancy)."
)


@dataclass(frozen=True)
class RoleInspection:
    """The connected role, and why row-level security would not apply to it (nothing: it does)."""

    role: str
    reasons: list[str] = field(default_factory=list)

    @property
    def enforced(self) -> bool:
        return not self.reasons


def inspect_role(conn: BaseDatabaseWrapper) -> RoleInspection | None:
    """The role `conn` acts as; None off PostgreSQL, which has no row-level security."""
    if conn.vendor != "postgresql":
        return None
    with conn.cursor() as cursor:
        cursor.execute(_ROLE_SQL)
        role, superuser, bypassrls, owner = cursor.fetchone()
    reasons = []
    if superuser:
        reasons.append("is a superuser")
    if bypassrls:
        reasons.append("has BYPASSRLS")
    if owner:
        reasons.append("owns the tenant-owned tables (it can switch row-level security off)")
    return RoleInspection(role=role, reasons=reasons)


def role_messages(conn: BaseDatabaseWrapper) -> list[CheckMessage]:
    """tenants.E001 when the settings require RLS to apply (production), tenants.W001 otherwise."""
    inspection = inspect_role(conn)
    if inspection is None or inspection.enforced:
        return []
    message = (
        f"Database {conn.alias!r}: the portal connects as {inspection.role!r}, which "
        f"{' and '.join(inspection.reasons)}: row-level security does not apply to it."
    )
    if settings.PORTAL_REQUIRE_RLS_ROLE:
        return [Error(message, hint=HINT, id="tenants.E001")]
    return [CheckWarning(message, hint=HINT, id="tenants.W001")]


@register(Tags.database, Tags.security, deploy=True)
def check_rls_role(
    app_configs: Iterable[Any] | None = None, databases: Iterable[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    # As Django's own database checks: only the databases the command names (`check --database`).
    messages: list[CheckMessage] = []
    for alias in databases or ():
        messages.extend(role_messages(connections[alias]))
    return messages


def require_rls_role() -> None:
    """As a web server or Celery process starts: refuse (production) or warn (development)."""
    try:
        messages = role_messages(connections[DEFAULT_DB_ALIAS])
    except Exception as exc:
        if settings.PORTAL_REQUIRE_RLS_ROLE:
            raise ImproperlyConfigured(f"Could not check the database role for row-level security: {exc}") from exc
        logger.warning("could not check whether row-level security applies to the database role: %s", exc)
        return
    finally:
        # A process that forks (gunicorn, Celery's pool) must not hand this connection to its children.
        if not connection.in_atomic_block:
            connection.close()
    errors = [message for message in messages if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{m.id}: {m.msg}\nHINT: {m.hint}" for m in errors))
    for message in messages:
        logger.warning("%s: %s %s", message.id, message.msg, message.hint)
