"""Writing validated rows with the ORM: bulk inserts for new MSMEs (the SQLite path; each is linked to the
import's event rather than given one of its own), bulk updates for stored ones (both paths: an update merges
with what is stored and audits what changed)."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from apps.core import audit
from apps.registry.importing import columns
from apps.registry.importing.validation import CleanRow
from apps.registry.models import IsicCode, Msme
from apps.registry.services import stamp_consent
from apps.registry.sizing import size_class_for
from apps.tenants.audit import AuditEvent, batch_row
from apps.tenants.models import Tenant

# Import columns that map straight onto Msme fields (sector_isic is stored as its id).
_DIRECT = tuple(name for name in columns.ALL if name != "sector_isic")
UPDATE_FIELDS = [
    *_DIRECT,
    "sector_isic",
    "sector_section",
    "size_class",
    "consent_given_at",
    "consent_source",
    "updated_at",
]


def _fill(msme: Msme, values: dict[str, Any], tenant: Tenant, sections: dict[str, str], now: Any) -> None:
    had_consent = msme.consent_outreach
    for name in _DIRECT:
        if name in values:
            setattr(msme, name, values[name])
    if "sector_isic" in values:
        msme.sector_isic_id = values["sector_isic"]
        msme.sector_section = sections[values["sector_isic"]]
    msme.size_class = size_class_for(employees=msme.employees, turnover_eur=msme.annual_turnover_eur, tenant=tenant)
    stamp_consent(msme, was=had_consent, source=Msme.ConsentSource.IMPORT, now=now)
    msme.updated_at = now


def _sections(rows: list[CleanRow]) -> dict[str, str]:
    codes = {row.values["sector_isic"] for row in rows if "sector_isic" in row.values}
    return dict(IsicCode.objects.filter(code__in=codes).values_list("code", "section"))


def write_batch(
    *, tenant: Tenant, creates: list[CleanRow], updates: list[CleanRow], existing: dict[str, Any], actor: Any
) -> tuple[int, int]:
    """Write one batch inside the caller's transaction; returns (created, updated)."""
    now = timezone.now()
    sections = _sections(creates + updates)
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    created = _orm_creates(tenant, creates, sections, now)
    update_rows(tenant, updates, existing, sections, actor_id, now)
    return created, len(updates)


def _orm_creates(tenant: Tenant, rows: list[CleanRow], sections: dict[str, str], now: Any) -> int:
    batch_id = audit.current().batch_id  # the import's event: the created rows' history
    msmes = []
    for row in rows:
        msme = Msme(
            id=uuid.uuid4(),
            tenant=tenant,
            verification=Msme.Verification.VERIFIED,
            created_at=now,
            created_by_import_id=batch_id,
        )
        _fill(msme, row.values, tenant, sections, now)
        msmes.append(msme)
    Msme.objects.bulk_create(msmes)
    return len(msmes)


def update_rows(
    tenant: Tenant,
    rows: list[CleanRow],
    existing: dict[str, Any],
    sections: dict[str, str],
    actor_id: Any,
    now: Any,
) -> None:
    """Merge each row into its stored MSME (empty cells keep what is stored); audit what changed."""
    if not rows:
        return
    stored = Msme.objects.in_bulk([existing[row.values["registration_number"]] for row in rows])
    changed, events = [], []
    for row in rows:
        msme = stored[existing[row.values["registration_number"]]]
        before = audit.snapshot(msme)
        _fill(msme, row.values, tenant, sections, now)
        changes = audit.diff(before, audit.snapshot(msme))
        if changes:
            changed.append(msme)
            events.append(
                batch_row(
                    tenant_id=tenant.pk, instance=msme, action="update", changes=changes, actor_id=actor_id, at=now
                )
            )
    Msme.objects.bulk_update(changed, UPDATE_FIELDS)
    AuditEvent.objects.bulk_create(events)
