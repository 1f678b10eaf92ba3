"""Who may do what with deadline reminders (see apps.core.policies).

Reminders and calendar addresses are each MSME member's own: a member reads their MSME's deadlines, chooses
their reminders and makes or revokes their calendar address; nobody else has these pages (agency staff see
an MSME's deadlines on its registry page). The calendar feed itself is public: its secret address is the
credential (apps.reminders.feed), as a calendar app fetches it with no session.
"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.policies import Actor, for_roles, rule
from apps.core.roles import Role
from apps.reminders.models import CalendarToken, ReminderDelivery, ReminderSettings

MEMBERS_ONLY = for_roles(Role.MSME_MEMBER)


def _own_rows(actor: Actor, queryset: QuerySet) -> QuerySet:
    """A member's own settings, addresses and reminders; nobody else's."""
    if not (actor.has_role(Role.MSME_MEMBER) and actor.tenant is not None):
        return queryset.none()
    if queryset.model is ReminderDelivery:
        return queryset.filter(user_id=actor.user.pk)
    return queryset.filter(member__user_id=actor.user.pk)


def _owns(actor: Actor, obj: CalendarToken | ReminderSettings | ReminderDelivery) -> bool:
    if actor.tenant is None or obj.tenant_id != actor.tenant.pk:
        return False
    user_id = obj.user_id if isinstance(obj, ReminderDelivery) else obj.member.user_id
    return user_id == actor.user.pk


@rule("reminders.manage_own", rows=_own_rows, message=MEMBERS_ONLY)
def manage_own(actor: Actor, obj: CalendarToken | ReminderSettings | ReminderDelivery | None = None) -> bool:
    """The member's reminders page: their MSME's deadlines, their reminder settings, their calendar address."""
    if not (actor.has_role(Role.MSME_MEMBER) and actor.tenant is not None):
        return False
    return obj is None or _owns(actor, obj)
