"""Outreach: saved segments of a tenant's registry, campaigns with a message per language, and one delivery
row per (campaign, MSME, channel), made before the message is sent and marked after it, so that a retried or
re-run task never sends twice and a killed worker loses nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.registry.models import Msme
from apps.tenants.fields import TenantForeignKey
from apps.tenants.models import OutreachChannel, TenantOwnedModel


class Segment(TenantOwnedModel):
    """A saved, named filter over the tenant's registry: the registry list's query string, kept as a dict."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)  # {filter name: [values]}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="outreach_segment_unique_name")]

    def __str__(self) -> str:
        return self.name


class Campaign(TenantOwnedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    name = models.CharField(_("name"), max_length=160)
    segment = TenantForeignKey(
        Segment, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("segment"), null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    fallback_language = models.CharField(_("fallback language"), max_length=2, default="en")
    # What the message links to: a kind registered in apps.outreach.links and its value (a topic slug, an id).
    link_kind = models.CharField(_("link to"), max_length=20, blank=True)
    link_value = models.CharField(_("linked item"), max_length=100, blank=True)
    scheduled_for = models.DateTimeField(_("send at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Set when every MSME of the segment has its delivery row: until then a sweep resumes the planning.
    planned_at = models.DateTimeField(_("planned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["tenant", "-created_at"], name="outreach_campaign_recent"),
            models.Index(fields=["tenant", "status", "scheduled_for"], name="outreach_campaign_due"),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignMessage(TenantOwnedModel):
    """The campaign's message in one language: a subject and body for e-mail, a short text for SMS and
    WhatsApp. Placeholders: {msme} (the MSME's name), {link} (the campaign's link), {agency}."""

    campaign = TenantForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    language = models.CharField(_("language"), max_length=2)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    short_text = models.CharField(_("SMS and WhatsApp text"), max_length=480, blank=True)

    class Meta:
        verbose_name = _("campaign message")
        verbose_name_plural = _("campaign messages")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "campaign", "language"], name="outreach_message_unique_language")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} [{self.language}]"


class SendStatus(models.TextChoices):
    """Where a row of the send queue (apps.outreach.queue) is: a delivery's or an outbox message's."""

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class Delivery(TenantOwnedModel):
    """One MSME's message of one campaign on one channel: made (queued or skipped) before anything is sent."""

    Status = SendStatus

    class SkipReason(models.TextChoices):
        NO_CONSENT = "no_consent", _("No consent to outreach")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        NO_ADDRESS = "no_address", _("No address on their channel")
        NOT_ELECTRONIC = "not_electronic", _("Prefers a channel the portal does not send on")
        NO_MESSAGE = "no_message", _("No message in their language or the fallback")
        CANCELLED = "cancelled", _("The campaign was cancelled before it was sent")

    campaign = TenantForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    msme = TenantForeignKey(Msme, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=OutreachChannel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    skip_reason = models.CharField(_("skipped because"), max_length=20, choices=SkipReason.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # When a worker took the row to send it: a row left 'sending' long after this is put back in the queue.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # A row that failed for now waits until then before it is tried again (backoff).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "campaign", "msme", "channel"], name="outreach_delivery_unique_recipient"
            )
        ]
        indexes = [models.Index(fields=["tenant", "campaign", "status"], name="outreach_delivery_status")]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.msme_id} ({self.channel})"


class OutboxMessage(TenantOwnedModel):
    """One message an app sends (an event's confirmation, a post's notice to a follower), written in the
    transaction that calls for it and sent after it commits (apps.outreach.outbox). `key` names the message
    within the tenant, so that asking for it twice makes one row."""

    Status = SendStatus

    key = models.CharField(_("key"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=OutreachChannel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    # A header line's limit (RFC 5322): an event's title (200 characters) comes with words around it.
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    body = models.TextField(_("message"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # [{"name", "mimetype", "content" (base64)}], e.g. an event's invitation; bounded by the outbox.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SendStatus.choices, default=SendStatus.QUEUED)
    skip_reason = models.CharField(_("skipped because"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # When a worker took the row to send it (its claim's token): a row left 'sending' long after is re-queued.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # A row that failed for now waits until then before it is tried again (backoff).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        constraints = [models.UniqueConstraint(fields=["tenant", "key"], name="outreach_outbox_unique_key")]
        indexes = [
            # The drain's claim (queued rows by due time) and the sweep's stale 'sending' rows.
            models.Index(fields=["tenant", "status", "next_attempt_at"], name="outreach_outbox_due"),
        ]

    def __str__(self) -> str:
        return self.key
