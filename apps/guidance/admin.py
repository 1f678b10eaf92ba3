from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from apps.guidance.models import GuidanceSearchDocument, TopicOverlay
from apps.guidance.overlays import TopicOverlayForm, save_overlay
from apps.tenants.admin_base import TenantOwnedAdmin


@admin.register(TopicOverlay)
class TopicOverlayAdmin(TenantOwnedAdmin):
    # Agencies write their overlays (/guidance/<slug>/overlay/); the admin corrects them, the same way.
    create_service = None
    update_service = save_overlay
    delete_service = None

    form = TopicOverlayForm
    list_display = ["topic", "office_name", "tenant", "updated_at", "updated_by"]
    list_filter = ["topic", "tenant"]
    search_fields = ["office_name", "fees", "contacts", "local_tiscs", "notes"]
    list_select_related = ["tenant", "updated_by"]
    readonly_fields = ["tenant", "topic", "updated_at", "updated_by"]

    def update_kwargs(self, request: HttpRequest, obj: TopicOverlay, form: ModelForm) -> dict[str, Any]:
        return {"tenant": obj.tenant, "topic": obj.topic, "form": form, "user": request.user}


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
