"""PostgreSQL's fast path for new MSMEs: COPY into a staging table, then one INSERT ... SELECT.

COPY FROM cannot write into a table with row-level security, so rows go into a temporary
table (which has none) and move on with a set-based INSERT that the tenant policy checks.
The audit rows are made in the same way, in SQL. Only creates take this path: updates merge
with what is stored and keep the ORM path in writer.py.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.db import connection

from apps.registry.importing.validation import CleanRow
from apps.registry.models import Msme
from apps.registry.sizing import size_class_for
from apps.tenants.models import Tenant

STAGE = "registry_import_stage"
# (column, SQL type) of the staging table, in COPY order; names follow Msme's columns.
COLUMNS = (
    ("id", "uuid"),
    ("name", "text"),
    ("registration_number", "text"),
    ("sector_isic_id", "text"),
    ("sector_section", "text"),
    ("employees", "integer"),
    ("annual_turnover_eur", "numeric(16,2)"),
    ("region", "text"),
    ("founded_year", "smallint"),
    ("email", "text"),
    ("phone", "text"),
    ("website", "text"),
    ("preferred_language", "text"),
    ("preferred_channel", "text"),
    ("is_university_spinoff", "boolean"),
    ("is_informal", "boolean"),
    ("exports", "boolean"),
    ("consent_outreach", "boolean"),
    ("size_class", "text"),
)
_NAMES = ", ".join(name for name, _type in COLUMNS)
_CREATE_STAGE = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} ("
    + ", ".join(f"{name} {sql_type}" for name, sql_type in COLUMNS)
    + ") ON COMMIT DELETE ROWS"
)
_INSERT_MSMES = f"""
    INSERT INTO registry_msme ({_NAMES}, tenant_id, consent_given_at, consent_source, verification,
                               maturity_level, maturity_assessed_at, erased_at, created_at, updated_at)
    SELECT {_NAMES}, %(tenant)s,
           CASE WHEN consent_outreach THEN %(now)s END,
           CASE WHEN consent_outreach THEN %(source)s ELSE '' END,
           %(verified)s, NULL, NULL, NULL, %(now)s, %(now)s
    FROM {STAGE}
"""  # noqa: S608 (built from the constants above, no input)
# The audit rows carry the same fields as apps.registry.audit.snapshot() would.
_SNAPSHOT_FIELDS = [name.removesuffix("_id") if name == "sector_isic_id" else name for name, _t in COLUMNS[1:]]
_INSERT_AUDIT = f"""
    INSERT INTO registry_auditevent (id, tenant_id, msme_id, object_type, object_id, object_label, action,
                                     changes, actor_id, at)
    SELECT gen_random_uuid(), %(tenant)s, id, 'msme', id, left(name, 300), 'import',
           jsonb_build_object({
    ", ".join(f"'{field}', {column}" for field, (column, _t) in zip(_SNAPSHOT_FIELDS, COLUMNS[1:], strict=True))
})
           || jsonb_build_object('annual_turnover_eur', annual_turnover_eur::text,
                                 'verification', %(verified)s,
                                 'consent_source', CASE WHEN consent_outreach THEN %(source)s ELSE '' END),
           %(actor)s, %(now)s
    FROM {STAGE}
"""  # noqa: S608 (built from the constants above, no input)

_DEFAULTS = {
    "annual_turnover_eur": None,
    "region": "",
    "founded_year": None,
    "email": "",
    "phone": "",
    "website": "",
    "preferred_language": "",
    "preferred_channel": "",
    "is_university_spinoff": False,
    "is_informal": False,
    "exports": False,
    "consent_outreach": False,
}


def _row(values: dict[str, Any], tenant: Tenant, sections: dict[str, str]) -> tuple[Any, ...]:
    merged = {**_DEFAULTS, **values}
    employees: int = merged["employees"]
    turnover: Decimal | None = merged["annual_turnover_eur"]
    return (
        uuid.uuid4(),
        merged["name"],
        merged["registration_number"],
        merged["sector_isic"],
        sections[merged["sector_isic"]],
        employees,
        turnover,
        merged["region"],
        merged["founded_year"],
        merged["email"],
        merged["phone"],
        merged["website"],
        merged["preferred_language"],
        merged["preferred_channel"],
        merged["is_university_spinoff"],
        merged["is_informal"],
        merged["exports"],
        merged["consent_outreach"],
        size_class_for(employees=employees, turnover_eur=turnover, tenant=tenant).value,
    )


def copy_creates(*, tenant: Tenant, rows: list[CleanRow], sections: dict[str, str], actor_id: Any, now: Any) -> int:
    """Insert these new MSMEs and their audit rows; inside the caller's transaction."""
    if not rows:
        return 0
    params = {
        "tenant": tenant.pk,
        "now": now,
        "source": Msme.ConsentSource.IMPORT.value,
        "verified": Msme.Verification.VERIFIED.value,
        "actor": actor_id,
    }
    with connection.cursor() as cursor:
        cursor.execute(_CREATE_STAGE)
        # COPY through the driver's cursor: the temporary table has no row-level security.
        with cursor.cursor.copy(f"COPY {STAGE} ({_NAMES}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(_row(row.values, tenant, sections))
        cursor.execute(_INSERT_MSMES, params)
        created = cursor.rowcount
        cursor.execute(_INSERT_AUDIT, params)
        cursor.execute(f"TRUNCATE {STAGE}")
    return created
