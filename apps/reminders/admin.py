from django.contrib import admin

from apps.reminders.models import CalendarToken, ReminderDelivery, ReminderSettings
from apps.tenants.admin_base import TenantOwnedReadOnlyAdmin


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(TenantOwnedReadOnlyAdmin):
    """The reminder log: written by the job only."""

    list_display = ["kind", "due", "days_ahead", "channel", "status", "attempts", "tenant", "created_at", "sent_at"]
    list_filter = ["status", "channel", "days_ahead", "kind"]
    date_hierarchy = "created_at"
    raw_id_fields = ["asset", "msme", "user"]


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(TenantOwnedReadOnlyAdmin):
    """Each member's own choice, made on their reminders page."""

    list_display = ["member", "enabled", "remind_90", "remind_30", "remind_7", "tenant", "updated_at"]
    raw_id_fields = ["member"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(TenantOwnedReadOnlyAdmin):
    """Calendar addresses: made and revoked by their member only. The secret's hash is not shown."""

    list_display = ["__str__", "member", "tenant", "created_at", "last_used_at", "revoked_at"]
    exclude = ["secret_hash"]
    raw_id_fields = ["member"]
