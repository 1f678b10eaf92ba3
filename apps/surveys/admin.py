from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from apps.surveys import services
from apps.surveys.models import Answer, Choice, Question, Response, Survey, SurveyVersion
from apps.tenants.admin_base import TenantOwnedAdmin, TenantOwnedReadOnlyAdmin


@admin.register(Survey)
class SurveyAdmin(TenantOwnedAdmin):
    """The survey's own fields; its questions are built on the agency's pages (a new version once answered)."""

    create_service = services.survey_create
    update_service = services.survey_update
    delete_service = None
    list_display = ["title", "tenant", "status", "version", "language", "created_at"]
    list_filter = ["tenant", "status", "language"]
    list_select_related = ["tenant"]
    search_fields = ["title"]
    fields = ["title", "introduction", "language", "status", "version"]
    readonly_fields = ["status", "version"]

    def create_kwargs(self, request: HttpRequest, obj: Any, form: ModelForm) -> dict[str, Any]:
        return {"data": self.service_data(form), "actor": request.user}


@admin.register(SurveyVersion)
class SurveyVersionAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["survey", "number", "tenant", "created_at"]
    list_select_related = ["survey", "tenant"]
    list_filter = ["tenant"]


@admin.register(Question)
class QuestionAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["text", "kind", "position", "version", "tenant"]
    list_select_related = ["version__survey", "tenant"]
    list_filter = ["tenant", "kind"]
    search_fields = ["text"]


@admin.register(Choice)
class ChoiceAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["label", "position", "question", "tenant"]
    list_select_related = ["question", "tenant"]
    list_filter = ["tenant"]


@admin.register(Response)
class ResponseAdmin(TenantOwnedReadOnlyAdmin):
    """Written only by an MSME at its signed link (apps.surveys.services.response_submit)."""

    list_display = ["survey", "msme", "version", "language", "submitted_at", "tenant"]
    list_select_related = ["survey", "msme", "version", "tenant"]
    list_filter = ["tenant"]
    raw_id_fields = ["survey", "msme", "version"]


@admin.register(Answer)
class AnswerAdmin(TenantOwnedReadOnlyAdmin):
    list_display = ["question", "choice", "scale_value", "text", "tenant"]
    list_select_related = ["question", "choice", "tenant"]
    list_filter = ["tenant"]
    raw_id_fields = ["response", "question", "choice"]
