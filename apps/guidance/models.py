"""Guidance rows in the database: national overlays of the topics (tenant-owned) and the search index.

The topics themselves are files (content/*.yaml, apps.guidance.topics); the database holds only what
agencies write about their own country and a derived, rebuildable search index.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.guidance.topics import TOPIC_SLUGS
from apps.tenants.models import TenantOwnedModel

TOPIC_CHOICES = [(slug, slug) for slug in TOPIC_SLUGS]
# Enforced by forms (the textarea and its validator), not by the database.
TEXT_MAX_LENGTH = 5000


class TopicOverlay(TenantOwnedModel):
    """A national agency's addition to one topic: its office, fees, contacts and local TISCs.

    Plain text (shown escaped, line breaks kept): agencies write it, visitors of any tenant read it.
    """

    topic = models.CharField(_("topic"), max_length=40, choices=TOPIC_CHOICES)
    office_name = models.CharField(_("office name"), max_length=200)
    office_url = models.URLField(_("office website"), blank=True)
    fees = models.TextField(_("national fees"), blank=True, max_length=TEXT_MAX_LENGTH)
    contacts = models.TextField(_("contacts"), blank=True, max_length=TEXT_MAX_LENGTH)
    local_tiscs = models.TextField(_("local TISCs"), blank=True, max_length=TEXT_MAX_LENGTH)
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["topic"]
        verbose_name = _("national overlay of a topic")
        verbose_name_plural = _("national overlays of topics")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "topic"], name="topicoverlay_unique_tenant_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.office_name}"


class GuidanceSearchDocument(models.Model):
    """One topic in one language, as the search reads it: derived from the files, rebuilt by
    apps.guidance.search.rebuild_search_index (after every migrate, and when the table is empty).

    Not tenant-owned: the topics are the same for everyone.
    """

    slug = models.CharField(max_length=40)
    language = models.CharField(max_length=5)
    title = models.CharField(max_length=300)
    # Weighed between the title and the body: PostgreSQL's weights A (title), B (summary), C (keywords), D (body).
    summary = models.TextField(blank=True, default="")
    keywords = models.TextField(blank=True, default="")
    body = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["order", "slug", "language"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="guidancesearchdocument_unique_slug_language")
        ]

    def __str__(self) -> str:
        return f"{self.slug} ({self.language})"
