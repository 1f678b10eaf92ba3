from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from apps.registry import services
from apps.registry.forms import IpAssetForm, MsmeForm
from apps.registry.models import ImportJob, IpAsset, IsicCode, Msme, MsmeMember
from apps.tenants.admin_base import TenantOwnedAdmin, TenantOwnedInline, TenantOwnedReadOnlyAdmin
from apps.tenants.models import Tenant


@admin.register(IsicCode)
class IsicCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "section", "title"]
    list_filter = ["level", "section"]
    search_fields = ["code", "title"]


class IpAssetInline(TenantOwnedInline):
    model = IpAsset
    fields = ["asset_type", "jurisdiction", "title", "status", "filing_date", "expiry_date"]


@admin.register(Msme)
class MsmeAdmin(TenantOwnedAdmin):
    create_service = services.msme_create
    update_service = services.msme_update
    delete_service = services.msme_delete

    # The agency's own form: its rules (registration number per agency, founding year) hold here too.
    form = MsmeForm
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
    readonly_fields = [
        "tenant",
        "size_class",
        "sector_section",
        "verification",
        "maturity_level",
        "maturity_assessed_at",
        "consent_given_at",
        "consent_source",
        "erased_at",
        "created_at",
        "updated_at",
    ]
    inlines = [IpAssetInline]

    def form_kwargs(self, request: HttpRequest, tenant: Tenant) -> dict[str, Any]:
        return {"tenant": tenant, "actor": request.user}

    def get_inlines(self, request: HttpRequest, obj: Msme | None) -> list:
        return self.inlines if obj is not None else []  # a new MSME has no assets yet


@admin.register(IpAsset)
class IpAssetAdmin(TenantOwnedAdmin):
    create_service = services.asset_create
    update_service = services.asset_update
    delete_service = services.asset_delete

    # The agency's own form: the trade-secret and date rules hold here too.
    form = IpAssetForm
    fields = ["msme", *IpAssetForm.Meta.fields]
    list_display = ["title", "asset_type", "jurisdiction", "status", "msme", "tenant"]
    list_filter = ["asset_type", "status", "tenant"]
    search_fields = ["title", "application_number", "registration_number"]
    list_select_related = ["msme", "tenant"]
    raw_id_fields = ["msme"]

    def get_readonly_fields(self, request: HttpRequest, obj: IpAsset | None = None) -> list[str]:
        return ["msme"] if obj is not None else []  # an asset stays with its MSME

    def create_kwargs(self, request: HttpRequest, obj: IpAsset, form: ModelForm) -> dict[str, Any]:
        data = self.service_data(form)
        return {"msme": data.pop("msme"), "data": data, "actor": request.user}

    def update_kwargs(self, request: HttpRequest, obj: IpAsset, form: ModelForm) -> dict[str, Any]:
        return {"asset": obj, "data": self.service_data(form), "actor": request.user}

    def delete_kwargs(self, request: HttpRequest, obj: IpAsset) -> dict[str, Any]:
        return {"asset": obj, "actor": request.user}


@admin.register(MsmeMember)
class MsmeMemberAdmin(TenantOwnedReadOnlyAdmin):
    """No service links a user to an MSME from outside the registration flow: read-only here."""

    list_display = ["user", "msme", "tenant", "created_at"]
    list_select_related = ["user", "msme", "tenant"]
    raw_id_fields = ["user", "msme"]


@admin.register(ImportJob)
class ImportJobAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["file_name", "tenant", "status", "dry_run", "created", "updated", "skipped", "failed", "created_at"]
    list_filter = ["status", "dry_run", "tenant"]
    list_select_related = ["tenant"]
    # The stored file is tenant-private (no URL): it is fetched from the job's page, not the admin.
    exclude = ["file"]
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "file"]
