"""Reads of the reminders pages: the member's link to their MSME, their settings, address and reminders."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from apps.core.policies import Actor, rows
from apps.registry.models import MsmeMember
from apps.reminders.models import CalendarToken, ReminderDelivery, ReminderSettings

RECENT_REMINDERS = 10


def member_for(*, user: Any) -> MsmeMember | None:
    """The user's link to the MSME they act for, in the active tenant."""
    return MsmeMember.objects.select_related("msme", "user").filter(user_id=user.pk).first()


def settings_for(*, member: MsmeMember) -> ReminderSettings:
    """The member's settings (unsaved defaults, every reminder on, when they never chose)."""
    return ReminderSettings.objects.filter(member=member).first() or ReminderSettings(member=member)


def active_token(*, actor: Actor, member: MsmeMember) -> CalendarToken | None:
    tokens = CalendarToken.objects.filter(member=member, revoked_at__isnull=True)
    return rows(actor, "reminders.manage_own", tokens).first()


def recent_reminders(*, actor: Actor) -> QuerySet[ReminderDelivery]:
    """The last reminders sent (or tried) to the actor, newest first."""
    reminders = ReminderDelivery.objects.select_related("asset").order_by("-created_at")
    return rows(actor, "reminders.manage_own", reminders)[:RECENT_REMINDERS]
