"""Reminder services: a member's reminder settings and calendar addresses, each write with its audit event."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.core import audit as audit_values
from apps.registry.models import MsmeMember
from apps.reminders import tokens
from apps.reminders.models import LEAD_DAYS, CalendarToken, ReminderSettings
from apps.tenants import audit
from apps.tenants.audit import AuditEvent

SETTINGS_FIELDS = ("enabled", *(f"remind_{days}" for days in LEAD_DAYS))
# The history names the row without the member's name: an erasure blanks only the MSME's own.
SETTINGS_LABEL = "reminder settings"
TOKEN_LABEL = "calendar address"


def _settings_values(row: ReminderSettings) -> dict[str, Any]:
    return {name: getattr(row, name) for name in SETTINGS_FIELDS}


@transaction.atomic
def reminder_settings_update(*, member: MsmeMember, data: dict[str, bool], actor: Any) -> ReminderSettings:
    """Store `member`'s choice of reminders (`enabled`, `remind_90`, `remind_30`, `remind_7`)."""
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not reminder settings: {sorted(unknown)}")
    row = ReminderSettings.objects.select_for_update().filter(member=member).first()
    created = row is None
    if row is None:
        row = ReminderSettings(member=member)
    before = _settings_values(row)
    for name, value in data.items():
        setattr(row, name, bool(value))
    changes = audit_values.diff(before, _settings_values(row))
    if created or changes:
        row.save()
        action = AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE
        audit.record(
            instance=row,
            action=action,
            actor=actor,
            changes=_settings_values(row) if created else changes,
            label=SETTINGS_LABEL,
        )
    return row


def _revoke_active(member: MsmeMember, actor: Any, now: Any) -> bool:
    revoked = False
    for token in CalendarToken.objects.select_for_update().filter(member=member, revoked_at__isnull=True):
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit.record(
            instance=token,
            action=AuditEvent.Action.UPDATE,
            actor=actor,
            changes={"revoked_at": [None, audit_values.plain(now)]},
            label=TOKEN_LABEL,
        )
        revoked = True
    return revoked


@transaction.atomic
def calendar_token_create(*, member: MsmeMember, actor: Any) -> tuple[CalendarToken, str]:
    """A new calendar address for `member` (their previous one stops working); returns the row and the
    address's token, which is not stored and so can be shown only now."""
    now = timezone.now()
    _revoke_active(member, actor, now)
    secret = tokens.new_secret()
    token = CalendarToken(member=member, secret_hash=tokens.hash_secret(secret))
    token.save()
    # The secret's hash stays out of the trail as well: the event says only that an address was made.
    audit.record(
        instance=token,
        action=AuditEvent.Action.CREATE,
        actor=actor,
        changes={"member": str(member.pk)},
        label=TOKEN_LABEL,
    )
    return token, tokens.join(token.pk, secret)


@transaction.atomic
def calendar_token_revoke(*, member: MsmeMember, actor: Any) -> bool:
    """Revoke `member`'s calendar address; False when they had none."""
    return _revoke_active(member, actor, timezone.now())
