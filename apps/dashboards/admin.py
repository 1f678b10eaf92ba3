"""The statistics in the admin: each tenant's last count, and its counts, read-only (the rollups write them)."""

from django.contrib import admin

from apps.dashboards.models import MsmeCell, RollupState
from apps.tenants.admin_base import TenantOwnedReadOnlyAdmin


@admin.register(RollupState)
class RollupStateAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["tenant", "last_run_at", "last_full_at", "last_run_seconds", "last_run_moved"]
    list_select_related = ["tenant"]


@admin.register(MsmeCell)
class MsmeCellAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["tenant", "size_class", "sector_section", "region", "maturity_level", "msmes"]
    list_filter = ["tenant", "size_class", "sector_section", "maturity_level"]
    list_select_related = ["tenant"]
