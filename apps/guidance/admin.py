from django.contrib import admin

from apps.guidance.models import GuidanceSearchDocument, TopicOverlay


@admin.register(TopicOverlay)
class TopicOverlayAdmin(admin.ModelAdmin):
    list_display = ["topic", "office_name", "tenant", "updated_at", "updated_by"]
    list_filter = ["topic", "tenant"]
    search_fields = ["office_name", "fees", "contacts", "local_tiscs", "notes"]
    list_select_related = ["tenant", "updated_by"]
    readonly_fields = ["tenant", "updated_at", "updated_by"]

    def has_add_permission(self, request: object) -> bool:
        return False  # agencies write their overlays (/guidance/<slug>/overlay/); the admin corrects them


@admin.register(GuidanceSearchDocument)
class GuidanceSearchDocumentAdmin(admin.ModelAdmin):
    """Read-only: the index is rebuilt from the topic files (apps.guidance.search)."""

    list_display = ["slug", "language", "title", "content_hash"]
    list_filter = ["language"]
    search_fields = ["slug", "title"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
