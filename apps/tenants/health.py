"""The `rls` detail of /healthz (apps.core.health): whether row-level security applies to the role this
process connects as: 'enforced', 'bypassed', 'n/a' (not PostgreSQL) or 'error'."""

from __future__ import annotations

from django.db import connection

from apps.tenants.checks import inspect_role


def check_rls() -> str:
    inspection = inspect_role(connection)
    if inspection is None:
        return "n/a"
    return "enforced" if inspection.enforced else "bypassed"
