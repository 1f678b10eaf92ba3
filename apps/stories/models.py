"""Success stories: what an MSME of a sector and country did with its IP and what changed, written by its agency
and published by the platform's administrators.

A story is its agency's row (tenant-owned) until it is published; published, it is public: the stories page,
the guidance topics it concerns, the action plans of MSMEs of its sector and the agencies' campaigns show it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.tenants.models import TenantOwnedModel, validate_country_code


class Story(TenantOwnedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned to the agency")

    title = models.CharField(_("title"), max_length=200)
    sector_section = models.CharField(_("ISIC section"), max_length=1)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    ip_used = models.JSONField(_("IP used"), default=list)
    topics = models.JSONField(_("guidance topics"), default=list)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("what changed"), max_length=10000)
    msme_name = models.CharField(
        _("business named"), max_length=200, blank=True, help_text=_("Only with the business's consent.")
    )
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    review_note = models.TextField(_("review note"), max_length=2000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("success story")
        verbose_name_plural = _("success stories")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["tenant", "status", "-published_at"], name="stories_story_status"),
            models.Index(fields=["tenant", "-created_at"], name="stories_story_created"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
