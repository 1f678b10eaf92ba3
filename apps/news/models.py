"""News and consultations: an agency's posts on international discussions and programmes that concern its
MSMEs, by guidance topic and region, written in several languages with one to fall back on; members follow a
topic or a post and comment (moderated by agency staff; a consultation takes comments until it closes).

Each follower is told of a new post once: a `Notice` row unique on (post, user) is made when the post is
published, with the follower's message written to the outbox (apps.outreach.outbox) in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.guidance.topics import TOPIC_SLUGS
from apps.tenants.fields import TenantForeignKey
from apps.tenants.models import TenantOwnedModel

TOPIC_CHOICES = [(slug, slug) for slug in TOPIC_SLUGS]  # labels are the guidance topics' titles, per language

# WIPO's regions (its regional bureaus) a post can be about; a post may also name a subdivision of the
# agency's country (ISO 3166-2, as the registry's `Msme.region`) or no region at all.
WIPO_REGIONS = [
    ("africa", _("Africa")),
    ("arab", _("Arab region")),
    ("asia-pacific", _("Asia and the Pacific")),
    ("lac", _("Latin America and the Caribbean")),
    ("europe-central-asia", _("Europe and Central Asia")),
    ("global", _("Global")),
]


class Post(TenantOwnedModel):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        CONSULTATION = "consultation", _("Consultation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    topic = models.CharField(_("topic"), max_length=40, choices=TOPIC_CHOICES)
    region = models.CharField(_("region"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    fallback_language = models.CharField(_("fallback language"), max_length=10, default="en")
    # A consultation takes comments until the end of this day (in the portal's time zone); news has none.
    closes_on = models.DateField(_("comments close on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Its followers' notices are written by a task, not by the publishing request, when they are many
    # (apps.outreach.outbox, "messages to many"): since when they wait for it.
    notices_pending_at = models.DateTimeField(null=True, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        indexes = [
            # The list pages: published posts newest first, by topic, kind or region.
            models.Index(fields=["tenant", "status", "-published_at"], name="news_post_status_published"),
            models.Index(fields=["tenant", "topic", "status", "-published_at"], name="news_post_topic_published"),
            models.Index(fields=["tenant", "-created_at"], name="news_post_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {str(self.pk)[:8]} ({self.topic})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_open(self, today=None) -> bool:
        """A consultation takes comments while published and until its closing day; news while published."""
        if not self.is_published:
            return False
        if self.kind != self.Kind.CONSULTATION:
            return True
        today = today or timezone.localdate()
        return self.closes_on is not None and today <= self.closes_on


class PostText(TenantOwnedModel):
    """A post's text in one language."""

    audit_parent = "post"

    post = TenantForeignKey(Post, on_delete=models.CASCADE, related_name="texts", tenant_index=False)
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("text"), max_length=20000)

    class Meta:
        verbose_name = _("post text")
        verbose_name_plural = _("post texts")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "post", "language"], name="news_posttext_unique_language"),
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"


class Follow(TenantOwnedModel):
    """A member follows a topic (told of each new post on it) or a post."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    topic = models.CharField(_("topic"), max_length=40, blank=True, choices=TOPIC_CHOICES)
    post = TenantForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(Q(post__isnull=True) & ~Q(topic="")) | (Q(post__isnull=False) & Q(topic="")),
                name="news_follow_topic_or_post",
            ),
            models.UniqueConstraint(
                fields=["tenant", "user", "topic"], condition=Q(post__isnull=True), name="news_follow_unique_topic"
            ),
            models.UniqueConstraint(
                fields=["tenant", "user", "post"], condition=Q(post__isnull=False), name="news_follow_unique_post"
            ),
        ]
        # Who follows a topic: what a new post's notification reads.
        indexes = [models.Index(fields=["tenant", "topic"], name="news_follow_topic")]

    def __str__(self) -> str:
        return f"follow {self.topic or self.post_id}"


class Comment(TenantOwnedModel):
    """A member's comment on a post, shown once agency staff approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    audit_parent = "post"

    post = TenantForeignKey(Post, on_delete=models.CASCADE, related_name="comments", tenant_index=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    author_name = models.CharField(_("name"), max_length=200, blank=True)  # as shown, kept if the user goes
    body = models.TextField(_("comment"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["tenant", "post", "status", "created_at"], name="news_comment_post_status"),
            models.Index(fields=["tenant", "status", "created_at"], name="news_comment_queue"),
            # The rate limit: a user's comments of the last hour.
            models.Index(fields=["tenant", "author", "created_at"], name="news_comment_author_created"),
        ]

    def __str__(self) -> str:
        return f"comment {str(self.pk)[:8]}"


class Notice(TenantOwnedModel):
    """One follower told of one new post, on which channel and at which address: made when the post is
    published. Its message is the outbox's (key `news:notice:<post>:<user>`), which records whether it was
    sent; a follower who cannot be reached is `skipped` here too. (`claimed_at` was the stamp of the runs that
    sent notices before the outbox.)"""

    class Outcome(models.TextChoices):
        WAITING = "", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("No address")

    post = TenantForeignKey(Post, on_delete=models.CASCADE, related_name="notices", tenant_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    channel = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=254, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default=Outcome.WAITING)
    detail = models.CharField(max_length=255, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [models.UniqueConstraint(fields=["tenant", "post", "user"], name="news_notice_unique_user")]

    def __str__(self) -> str:
        return f"notice {str(self.pk)[:8]}"
