"""The programmes in the admin: platform admins keep the directories (TISCs, Re:Search members); requests are
read-only here, worked by the programmes' agents on their pages (the services reply on the ticket and tell the
MSME)."""

from django.contrib import admin

from apps.programmes.models import (
    Course,
    GreenConnection,
    GreenNeed,
    GreenTechnology,
    Intermediary,
    Mentor,
    MentoringRequest,
    PartnershipOffer,
    PartnershipRequest,
    ProgrammeRequest,
    ResearchMember,
    Tisc,
)
from apps.tenants.admin_base import TenantOwnedReadOnlyAdmin


@admin.register(Tisc)
class TiscAdmin(admin.ModelAdmin):
    list_display = ["name", "host_institution", "country", "city", "queue", "is_active"]
    list_filter = ["country", "is_active"]
    search_fields = ["name", "host_institution", "city"]
    list_select_related = ["queue"]
    raw_id_fields = ["queue"]


@admin.register(ResearchMember)
class ResearchMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "kind", "is_active"]
    list_filter = ["kind", "country", "is_active"]
    search_fields = ["name"]


@admin.register(ProgrammeRequest)
class ProgrammeRequestAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["programme", "kind", "stage", "division", "created_at", "tenant"]
    list_filter = ["tenant", "programme", "stage", "division"]
    list_select_related = ["tenant"]
    raw_id_fields = ["ticket", "msme", "requester", "tisc"]


@admin.register(GreenTechnology)
class GreenTechnologyAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["title", "category", "stage", "is_published", "created_at", "tenant"]
    list_filter = ["tenant", "category", "stage", "is_published"]
    search_fields = ["title"]
    list_select_related = ["tenant"]
    raw_id_fields = ["msme"]


@admin.register(GreenNeed)
class GreenNeedAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["title", "category", "min_stage", "is_published", "created_at", "tenant"]
    list_filter = ["tenant", "category", "is_published"]
    search_fields = ["title"]
    list_select_related = ["tenant"]
    raw_id_fields = ["msme"]


@admin.register(GreenConnection)
class GreenConnectionAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["technology", "seeker_name", "state", "score", "created_at", "tenant"]
    list_filter = ["tenant", "state"]
    list_select_related = ["tenant", "technology"]
    raw_id_fields = ["technology"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "provider", "level", "is_free", "is_active"]
    list_filter = ["provider", "level", "is_free", "is_active"]
    search_fields = ["code", "title"]


@admin.register(Mentor)
class MentorAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["name", "email", "is_active", "tenant"]
    list_filter = ["tenant", "is_active"]
    search_fields = ["name"]
    list_select_related = ["tenant"]


@admin.register(MentoringRequest)
class MentoringRequestAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["area", "status", "created_at", "tenant"]
    list_filter = ["tenant", "status", "area"]
    list_select_related = ["tenant"]
    raw_id_fields = ["msme", "requester", "mentor"]


@admin.register(Intermediary)
class IntermediaryAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["name", "kind", "city", "is_listed", "tenant"]
    list_filter = ["tenant", "kind", "is_listed"]
    search_fields = ["name"]
    list_select_related = ["tenant"]


@admin.register(PartnershipOffer)
class PartnershipOfferAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["company", "kind", "is_open", "created_at", "tenant"]
    list_filter = ["tenant", "kind", "is_open"]
    search_fields = ["company"]
    list_select_related = ["tenant"]


@admin.register(PartnershipRequest)
class PartnershipRequestAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["offer", "status", "created_at", "tenant"]
    list_filter = ["tenant", "status"]
    list_select_related = ["tenant", "offer"]
    raw_id_fields = ["offer", "msme", "requester"]
