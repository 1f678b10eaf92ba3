"""Events in the admin: read-only. Events are run by each agency's staff on their pages (the services check
the agency's rules and send the messages); platform admins look, and act through the agency if needed."""

from django.contrib import admin

from apps.events.models import Event, Feedback, Registration
from apps.tenants.admin_base import TenantOwnedReadOnlyAdmin


@admin.register(Event)
class EventAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["title", "kind", "starts_at", "time_zone", "language", "capacity", "status", "tenant"]
    list_filter = ["tenant", "kind", "status", "language"]
    search_fields = ["title"]
    list_select_related = ["tenant"]


@admin.register(Registration)
class RegistrationAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["event", "msme", "name", "status", "attended", "created_at", "tenant"]
    list_filter = ["tenant", "status", "attended"]
    list_select_related = ["tenant", "event", "msme"]
    raw_id_fields = ["event", "msme", "user", "registered_by"]


@admin.register(Feedback)
class FeedbackAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["registration", "rating", "created_at", "tenant"]
    list_filter = ["tenant", "rating"]
    list_select_related = ["tenant", "registration"]
