"""Events and trainings: an agency's webinars, workshops, courses and distance-learning links; the MSMEs
registered for them (a seat, or a place on the waiting list); and the feedback given afterwards.

A registration is the MSME's: one active registration per event and MSME (a seat is counted per business,
as the agency reports the MSMEs it reached; a second colleague of the same business is the MSME's to
arrange, and staff registering on its behalf cannot take two seats by mistake). It names the person who
attends: the member who registered, or the name and e-mail address staff gave.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.registry.models import Msme
from apps.tenants.fields import TenantForeignKey
from apps.tenants.models import TenantOwnedModel


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Pick a time zone from the list."))


class Event(TenantOwnedModel):
    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        WORKSHOP = "workshop", _("Workshop")
        COURSE = "course", _("Course")
        DISTANCE = "distance", _("Distance-learning course")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WEBINAR)
    # Online: a link to join; else a place. One of the two is required (apps.events.rules).
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=2)
    # The event's own zone: a workshop in Nairobi is shown at Nairobi's time to everyone.
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    registration_open = models.BooleanField(_("registration open"), default=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)  # guidance topic slugs
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    # Raised on every change calendar apps must see (RFC 5545 SEQUENCE), so a new invitation replaces the old.
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    # A message to every registration (its change, its cancellation) written by a task, not by the request that
    # called for it, when they are many (apps.outreach.outbox, "messages to many"): the kind, and since when.
    messages_pending = models.CharField(max_length=20, blank=True, editable=False)
    messages_pending_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["tenant", "starts_at", "id"], name="events_event_tenant_start"),
            models.Index(fields=["tenant", "status", "starts_at"], name="events_event_tenant_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.venue, self.city) if part)


class Registration(TenantOwnedModel):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Attended(models.TextChoices):
        UNKNOWN = "unknown", _("Not recorded")
        YES = "yes", _("Attended")
        NO = "no", _("Did not attend")

    event = TenantForeignKey(Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event"))
    msme = TenantForeignKey(Msme, on_delete=models.CASCADE, related_name="event_registrations", verbose_name=_("MSME"))
    # The person who attends: a member's account, or (staff registering on the MSME's behalf) a name and address.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    attended = models.CharField(_("attendance"), max_length=8, choices=Attended.choices, default=Attended.UNKNOWN)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    feedback_requested_at = models.DateTimeField(_("feedback requested at"), null=True, blank=True)

    audit_parent = "msme"
    audit_personal_fields = ("name", "email")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            # One seat (or place in the queue) per business; a cancelled registration frees it for a new one.
            models.UniqueConstraint(
                fields=["tenant", "event", "msme"],
                condition=~models.Q(status="cancelled"),
                name="events_registration_one_active",
            ),
        ]
        indexes = [
            # The event's lists (confirmed, waiting) in order of arrival: the first waiting one is promoted.
            models.Index(fields=["tenant", "event", "status", "created_at"], name="events_reg_event_status"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} / {self.msme_id}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED


class Feedback(TenantOwnedModel):
    registration = TenantForeignKey(
        Registration, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("registration")
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 (poor) to 5 (excellent)")
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_parent = "registration"
    audit_personal_fields = ("comment",)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "registration"], name="events_feedback_once"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="events_feedback_rating"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.rating}"
