"""Deadline reminders: each member's settings, the log of reminders (one row per message, made before it is
sent), and the secret calendar addresses of the members' deadline feeds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.registry.models import IpAsset, Msme, MsmeMember
from apps.tenants.fields import TenantForeignKey
from apps.tenants.models import OutreachChannel, TenantOwnedModel

# How many days ahead of a deadline its reminders go out, longest first.
LEAD_DAYS = (90, 30, 7)


class ReminderSettings(TenantOwnedModel):
    """One member's choice of reminders (no row: every reminder, the default)."""

    member = TenantForeignKey(MsmeMember, on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField(_("send me deadline reminders"), default=True)
    remind_90 = models.BooleanField(_("90 days ahead"), default=True)
    remind_30 = models.BooleanField(_("30 days ahead"), default=True)
    remind_7 = models.BooleanField(_("7 days ahead"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The audit trail: a member's choice shows in their MSME's history.
    audit_parent = "msme"

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [models.UniqueConstraint(fields=["tenant", "member"], name="reminders_settings_one_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.lead_days()}"

    @property
    def msme(self) -> Msme:
        return self.member.msme

    def lead_days(self) -> tuple[int, ...]:
        """The lead times this member wants reminders at (none when reminders are off)."""
        if not self.enabled:
            return ()
        return tuple(days for days in LEAD_DAYS if getattr(self, f"remind_{days}"))


class ReminderDelivery(TenantOwnedModel):
    """One reminder to one user of one deadline at one lead time: made before it is sent, marked after.

    Its uniqueness is what makes each reminder go out once: two runs of the job, a re-run or a run after a
    crash find the row there and make no second one; a row being sent is claimed by one run only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    asset = TenantForeignKey(IpAsset, on_delete=models.CASCADE, related_name="+")
    msme = TenantForeignKey(Msme, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("deadline"), max_length=20)
    due = models.DateField(_("due on"))
    days_ahead = models.PositiveSmallIntegerField(_("days ahead"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("user")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=OutreachChannel.choices)
    address = models.CharField(_("address"), max_length=254)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    detail = models.TextField(_("why it failed or was not sent"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True, editable=False)  # the run that is sending it
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "asset", "kind", "due", "days_ahead", "user"], name="reminders_delivery_once"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "next_attempt_at"], name="reminders_delivery_due"),
            models.Index(fields=["tenant", "user", "created_at"], name="reminders_delivery_user"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due} ({self.days_ahead} days ahead) → {self.channel}"


class CalendarToken(TenantOwnedModel):
    """A member's secret calendar address. Only a hash of its secret is kept: the address is shown once."""

    member = TenantForeignKey(MsmeMember, on_delete=models.CASCADE, related_name="+")
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last fetched at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    # The audit trail: creating and revoking an address shows in the member's MSME's history.
    audit_parent = "msme"

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "member"],
                condition=models.Q(revoked_at__isnull=True),
                name="reminders_token_one_active",
            )
        ]
        indexes = [models.Index(fields=["tenant", "member"], name="reminders_token_member")]

    def __str__(self) -> str:
        return f"{self.pk.hex[:8]}…"

    @property
    def msme(self) -> Msme:
        return self.member.msme
