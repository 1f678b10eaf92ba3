from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from apps.tenants.admin_base import TenantOwnedReadOnlyAdmin
from apps.tenants.models import AuditEvent, Membership, Tenant
from apps.tenants.signals import size_thresholds_changed

SIZE_THRESHOLD_FIELDS = (
    "micro_max_employees",
    "micro_max_turnover_eur",
    "small_max_employees",
    "small_max_turnover_eur",
    "medium_max_employees",
    "medium_max_turnover_eur",
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "kind", "is_active"]
    list_filter = ["kind", "is_active", "country"]
    search_fields = ["name", "slug", "country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Tenant, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and any(name in form.changed_data for name in SIZE_THRESHOLD_FIELDS):
            # The apps that store size classes recompute them (in the admin's transaction).
            size_thresholds_changed.send(sender=Tenant, tenant=obj)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "tenant", "role", "created_at"]
    list_filter = ["role", "tenant"]
    search_fields = ["user__email", "tenant__name"]
    list_select_related = ["user", "tenant"]
    autocomplete_fields = ["user", "tenant"]


@admin.register(AuditEvent)
class AuditEventAdmin(TenantOwnedReadOnlyAdmin):
    """The audit trail is written by the services alone, and never rewritten."""

    list_display = ["at", "tenant", "action", "channel", "object_type", "object_repr", "actor"]
    list_filter = ["action", "channel", "object_type", "tenant"]
    list_select_related = ["tenant", "actor"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
