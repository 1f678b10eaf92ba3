from django.contrib import admin

from apps.registry.models import AuditEvent, ImportJob, IpAsset, IsicCode, Msme, MsmeMember


@admin.register(IsicCode)
class IsicCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "section", "title"]
    list_filter = ["level", "section"]
    search_fields = ["code", "title"]


class IpAssetInline(admin.TabularInline):
    model = IpAsset
    extra = 0
    fields = ["asset_type", "jurisdiction", "title", "status", "filing_date", "expiry_date"]


@admin.register(Msme)
class MsmeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "registration_number",
        "tenant",
        "size_class",
        "sector_isic",
        "maturity_level",
        "verification",
    ]
    list_filter = ["tenant", "size_class", "verification", "maturity_level", "sector_section"]
    search_fields = ["name", "registration_number"]
    list_select_related = ["tenant", "sector_isic"]
    readonly_fields = ["tenant", "size_class", "sector_section", "consent_given_at", "created_at", "updated_at"]
    raw_id_fields = ["sector_isic"]
    inlines = [IpAssetInline]


@admin.register(IpAsset)
class IpAssetAdmin(admin.ModelAdmin):
    list_display = ["title", "asset_type", "jurisdiction", "status", "msme", "tenant"]
    list_filter = ["asset_type", "status", "tenant"]
    search_fields = ["title", "application_number", "registration_number"]
    list_select_related = ["msme", "tenant"]
    raw_id_fields = ["msme"]


@admin.register(MsmeMember)
class MsmeMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "msme", "tenant", "created_at"]
    list_select_related = ["user", "msme", "tenant"]
    raw_id_fields = ["user", "msme"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "tenant", "status", "dry_run", "created", "updated", "skipped", "failed", "created_at"]
    list_filter = ["status", "dry_run", "tenant"]
    list_select_related = ["tenant"]
    # The stored file is tenant-private (no URL): it is fetched from the job's page, not the admin.
    exclude = ["file"]
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "file"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "tenant", "action", "object_type", "object_label", "actor"]
    list_filter = ["action", "object_type", "tenant"]
    list_select_related = ["tenant", "actor"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
