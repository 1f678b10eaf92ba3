"""The statistics in the admin: each tenant's last count, and its counts, read-only (the rollups write them)."""

from django.contrib import admin

from apps.dashboards.models import ActivityCount, MsmeCount, MsmeCountSnapshot, RollupState
from apps.tenants.admin_base import TenantOwnedReadOnlyAdmin


@admin.register(RollupState)
class RollupStateAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["tenant", "last_run_at", "last_full_at", "last_run_seconds", "last_run_moved"]
    list_select_related = ["tenant"]


@admin.register(MsmeCount)
class MsmeCountAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["tenant", "dimension", "value", "msmes"]
    list_filter = ["tenant", "dimension"]
    list_select_related = ["tenant"]


@admin.register(ActivityCount)
class ActivityCountAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["tenant", "source", "dimension", "value", "metric", "amount"]
    list_filter = ["tenant", "source"]
    list_select_related = ["tenant"]


@admin.register(MsmeCountSnapshot)
class MsmeCountSnapshotAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["tenant", "day", "dimension", "value", "msmes"]
    list_filter = ["tenant", "dimension"]
    list_select_related = ["tenant"]
