"""Success stories in the admin: the platform's administrators review what agencies submit, publishing a story or
returning it with a note (through the service, audited). What a story says is the agency's to write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from apps.stories import services
from apps.stories.models import Story
from apps.tenants.admin_base import TenantOwnedAdmin


def review_story(*, story: Story, data: dict[str, Any], actor: Any) -> Story:
    status = data.get("status")
    if status not in (Story.Status.PUBLISHED, Story.Status.RETURNED):
        raise ValidationError(_("Publish the story or return it to its agency with a note."))
    return services.story_review(
        actor=actor, story=story, publish=status == Story.Status.PUBLISHED, note=data.get("review_note", "")
    )


@admin.register(Story)
class StoryAdmin(TenantOwnedAdmin):
    create_service = None
    update_service = review_story
    delete_service = None
    list_display = ["title", "tenant", "country", "sector_section", "status", "created_at", "published_at"]
    list_filter = ["status", "country", "tenant"]
    list_select_related = ["tenant"]
    search_fields = ["title"]
    readonly_fields = [
        "title",
        "sector_section",
        "country",
        "ip_used",
        "topics",
        "summary",
        "body",
        "msme_name",
        "language",
        "created_at",
        "published_at",
    ]
    fields = ["status", "review_note", *readonly_fields]

    def update_kwargs(self, request: HttpRequest, obj: models.Model, form: ModelForm) -> dict[str, Any]:
        # The review is the platform admin's act: its rule reads the actor, not the bare user.
        return {"story": obj, "data": self.service_data(form), "actor": request.actor}
