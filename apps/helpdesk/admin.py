from typing import Any

from django.contrib import admin

from apps.helpdesk.models import (
    Attachment,
    CannedReply,
    CounsellingSession,
    CounsellingSlot,
    Message,
    Queue,
    QueueAgent,
    RefusedEmail,
    RequesterTier,
    RoutingRule,
    SlaTarget,
    Ticket,
    TicketLink,
)
from apps.tenants.admin_base import TenantOwnedInline, TenantOwnedReadOnlyAdmin


class QueueAgentInline(admin.TabularInline):
    model = QueueAgent
    extra = 1
    raw_id_fields = ["user"]


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    extra = 0


class CannedReplyInline(admin.StackedInline):
    model = CannedReply
    extra = 0


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ["name", "tenant", "division", "time_zone", "country", "is_default", "auto_assign", "is_active"]
    list_filter = ["division", "tenant", "is_active"]
    search_fields = ["name"]
    list_select_related = ["tenant"]
    inlines = [QueueAgentInline, SlaTargetInline, CannedReplyInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["position", "tenant", "topic", "language", "from_tenant", "tier", "queue", "is_active"]
    list_filter = ["tenant", "is_active"]
    list_select_related = ["tenant", "from_tenant", "queue"]


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    list_display = ["queue", "tier", "priority", "first_response_minutes", "resolution_minutes"]
    list_filter = ["tier", "priority"]
    list_select_related = ["queue"]


class MessageInline(TenantOwnedInline):
    model = Message
    fk_name = "ticket"
    fields = ["created_at", "kind", "author_name", "via", "body", "changes"]


class AttachmentInline(TenantOwnedInline):
    model = Attachment
    fk_name = "ticket"
    fields = ["created_at", "name", "content_type", "size"]


# Tickets are written by the helpdesk's pages, API and e-mail, never by hand in the admin.
@admin.register(Ticket)
class TicketAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["reference", "subject", "tenant", "queue", "status", "priority", "tier", "created_at"]
    list_filter = ["status", "priority", "tier", "division", "tenant"]
    search_fields = ["reference", "subject"]
    list_select_related = ["tenant", "queue"]
    inlines = [MessageInline, AttachmentInline]


@admin.register(RequesterTier)
class RequesterTierAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["tier", "msme", "user", "tenant"]
    list_select_related = ["msme", "user", "tenant"]


@admin.register(TicketLink)
class TicketLinkAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["ticket", "other", "tenant"]


@admin.register(Message)
class MessageAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["ticket", "kind", "author_name", "via", "created_at"]
    list_filter = ["kind", "via"]
    list_select_related = ["ticket"]


@admin.register(Attachment)
class AttachmentAdmin(TenantOwnedReadOnlyAdmin):
    # Tenant-private files have no URL; the ticket's page serves them to those who may see them.
    exclude = ["file"]
    list_display = ["name", "ticket", "content_type", "size", "created_at"]
    list_select_related = ["ticket"]


@admin.register(CounsellingSlot)
class CounsellingSlotAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["starts_at", "ends_at", "mode", "agent", "tenant"]
    list_select_related = ["agent", "tenant"]


@admin.register(CounsellingSession)
class CounsellingSessionAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["slot", "state", "msme", "tenant"]
    list_select_related = ["slot", "msme", "tenant"]


# A record of refused e-mail for review, written only by the mail reader; its body was never kept.
@admin.register(RefusedEmail)
class RefusedEmailAdmin(admin.ModelAdmin):
    list_display = ["received_at", "sender", "subject", "reason_code"]
    list_filter = ["reason_code"]
    search_fields = ["sender", "subject", "fingerprint"]
    date_hierarchy = "received_at"
    readonly_fields = ["received_at", "sender", "subject", "reason_code", "reason", "fingerprint"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: RefusedEmail | None = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: RefusedEmail | None = None) -> bool:
        return False
