from django.contrib import admin

from apps.diagnostics.models import Assessment, VisitorAssessment
from apps.tenants.admin_base import TenantOwnedReadOnlyAdmin


@admin.register(Assessment)
class AssessmentAdmin(TenantOwnedReadOnlyAdmin):
    """Assessments are scored from the answers (apps.diagnostics.services): never written by hand."""

    list_display = ["msme", "tenant", "level", "score", "source", "questionnaire_version", "created_at"]
    list_filter = ["tenant", "level", "source", "questionnaire_version"]
    list_select_related = ["msme", "tenant"]
    search_fields = ["msme__name"]
    readonly_fields = ["tenant", "created_at"]
    raw_id_fields = ["msme", "recorded_by"]


@admin.register(VisitorAssessment)
class VisitorAssessmentAdmin(admin.ModelAdmin):
    list_display = ["id", "level", "score", "questionnaire_version", "created_at", "claimed_at"]
    list_filter = ["level", "questionnaire_version"]
    readonly_fields = ["created_at", "claimed_at", "claimed_assessment_id"]
