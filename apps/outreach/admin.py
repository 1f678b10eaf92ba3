from django.contrib import admin

from apps.outreach.models import Campaign, CampaignMessage, Delivery, OutboxMessage, Segment
from apps.tenants.admin_base import TenantOwnedReadOnlyAdmin

# Segments and campaigns are written through the agency's pages and the API (their services audit and send);
# deliveries and outbox messages only by the sending tasks. The admin shows them to the platform's operators.


@admin.register(Segment)
class SegmentAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["name", "tenant", "updated_at"]
    list_select_related = ["tenant"]
    search_fields = ["name"]


@admin.register(Campaign)
class CampaignAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["name", "tenant", "status", "scheduled_for", "started_at", "finished_at", "created_at"]
    list_select_related = ["tenant"]
    list_filter = ["status"]
    search_fields = ["name"]


@admin.register(CampaignMessage)
class CampaignMessageAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["campaign", "language", "subject", "tenant"]
    list_select_related = ["campaign", "tenant"]


@admin.register(Delivery)
class DeliveryAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["campaign", "msme", "channel", "status", "skip_reason", "attempts", "sent_at", "tenant"]
    list_select_related = ["campaign", "msme", "tenant"]
    list_filter = ["status", "skip_reason", "channel"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["key", "channel", "status", "skip_reason", "attempts", "created_at", "sent_at", "tenant"]
    list_select_related = ["tenant"]
    list_filter = ["status", "channel"]
    search_fields = ["key"]
