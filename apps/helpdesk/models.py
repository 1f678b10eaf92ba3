"""The helpdesk: queues (a tenant's or a WIPO division's), tickets and their timeline, service tiers and
SLA targets, canned replies, counselling sessions.

A queue belongs to one tenant (the national agency's helpdesk) or to one WIPO division; it is a shared
row, not a tenant-owned one, because a division's queue has no tenant. A ticket always keeps the tenant
of the MSME that asked; a ticket in a division's queue carries that division (`DivisionRoutedModel`),
so the division's agents see it across tenants and nothing else of the tenant.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.roles import Division, Role
from apps.registry.models import Msme
from apps.tenants.fields import TenantForeignKey
from apps.tenants.files import TenantUploadTo, private_storage
from apps.tenants.models import DivisionRoutedModel, Tenant, TenantOwnedModel, validate_country_code


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting on customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# A ticket in one of these needs an agent; the others wait on the MSME or are done.
ACTIVE_STATUSES = (Status.NEW, Status.OPEN)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Tier(models.TextChoices):
    """Levels of service the overview asks for: first-time and experienced users, frequent filers, offices."""

    FIRST_TIME = "first_time", _("First-time user")
    EXPERIENCED = "experienced", _("Experienced user")
    FREQUENT_FILER = "frequent_filer", _("Frequent filer")
    IP_OFFICE = "ip_office", _("IP office")


class Rating(models.TextChoices):
    GOOD = "good", _("Good")
    BAD = "bad", _("Bad")


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Unknown time zone: %(value)s."), params={"value": value})


def validate_work_days(value: Any) -> None:
    if not isinstance(value, list) or not value or any(day not in range(7) for day in value):
        raise ValidationError(_("Pick at least one working day (0 is Monday, 6 is Sunday)."))


def default_work_days() -> list[int]:
    return [0, 1, 2, 3, 4]


def default_languages() -> list[str]:
    return ["en"]


class Queue(models.Model):
    """Where tickets wait for agents: a tenant's helpdesk or a WIPO division's, with its agents, languages,
    topics and business hours (in its time zone, skipping its country's public holidays)."""

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("agency"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    division = models.CharField(_("WIPO division"), max_length=30, choices=Division.choices, blank=True)
    name = models.CharField(_("name"), max_length=120)
    languages = models.JSONField(_("languages"), default=default_languages)
    topics = models.JSONField(_("topics"), default=list, blank=True, help_text=_("Guidance topics; empty: any."))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    country = models.CharField(
        _("country (public holidays)"), max_length=2, blank=True, validators=[validate_country_code]
    )
    opens_at = models.TimeField(_("opens at"), default=time(9))
    closes_at = models.TimeField(_("closes at"), default=time(17))
    work_days = models.JSONField(_("working days"), default=default_work_days, validators=[validate_work_days])
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="QueueAgent", related_name="helpdesk_queues", blank=True
    )
    is_default = models.BooleanField(
        _("default queue"), default=False, help_text=_("Tickets that no routing rule matches go here.")
    )
    auto_assign = models.BooleanField(
        _("assign automatically"),
        default=True,
        help_text=_("New tickets go to the least-loaded agent who speaks their language."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["name"]
        constraints = [
            # A queue is a tenant's or a division's, never both, never neither.
            models.CheckConstraint(
                condition=(models.Q(tenant__isnull=False) & models.Q(division=""))
                | (models.Q(tenant__isnull=True) & ~models.Q(division="")),
                name="helpdesk_queue_tenant_xor_division",
            ),
            models.UniqueConstraint(
                fields=["tenant"], condition=models.Q(is_default=True), name="helpdesk_queue_one_default_per_tenant"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "name"], name="helpdesk_queue_tenant_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (opens := self.opens_at) and self.closes_at and opens >= self.closes_at:
            raise ValidationError({"closes_at": _("The queue must close after it opens.")})
        if bool(self.tenant_id) == bool(self.division):
            raise ValidationError(_("A queue belongs to an agency or to a WIPO division, not both."))

    @property
    def language(self) -> str:
        """The language its agents are written to in: its first, else the portal's."""
        return (self.languages or [settings.LANGUAGE_CODE])[0]

    @property
    def owner_label(self) -> str:
        return self.get_division_display() if self.division else str(self.tenant)


class QueueAgentQuerySet(models.QuerySet):
    def serving(self) -> QueueAgentQuerySet:
        """Those still agents of the queue's owner: active users who are helpdesk agents of the queue's agency,
        or agents of its division. Someone who left the agency, or changed role, keeps the row (the settings
        page shows it) but gets no tickets, no assignment and no e-mail from the queue."""
        from apps.tenants.models import Membership

        agency_agent = Exists(
            Membership.objects.filter(
                user=OuterRef("user"), tenant=OuterRef("queue__tenant"), role=Role.HELPDESK_AGENT.value
            )
        )
        return self.filter(user__is_active=True).filter(
            Q(agency_agent, queue__tenant__isnull=False)
            | Q(queue__tenant__isnull=True, user__division=F("queue__division"), user__division_role="agent")
        )


class QueueAgent(models.Model):
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_lead = models.BooleanField(_("queue lead"), default=False, help_text=_("Escalations go to the lead."))
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("Empty: the queue's languages.")
    )

    objects = QueueAgentQuerySet.as_manager()

    class Meta:
        verbose_name = _("queue agent")
        verbose_name_plural = _("queue agents")
        constraints = [models.UniqueConstraint(fields=["queue", "user"], name="helpdesk_queueagent_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.queue}"


class RoutingRule(models.Model):
    """Sends a new ticket to a queue: the first rule (by position) whose conditions all hold wins; an empty
    condition matches anything. An agency's rules come before the platform's (`tenant` empty)."""

    tenant = models.ForeignKey(
        Tenant,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: a platform rule, tried after the agency's own."),
    )
    position = models.PositiveIntegerField(_("position"), default=100)
    topic = models.CharField(_("topic"), max_length=60, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    from_tenant = models.ForeignKey(
        Tenant,
        verbose_name=_("from agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Platform rules only: the agency whose MSMEs asked."),
    )
    tier = models.CharField(_("service tier"), max_length=20, choices=Tier.choices, blank=True)
    queue = models.ForeignKey(Queue, verbose_name=_("queue"), on_delete=models.CASCADE, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["tenant", "position"], name="helpdesk_rule_tenant_position")]

    def __str__(self) -> str:
        return f"#{self.position} -> {self.queue}"


class SlaTarget(models.Model):
    """Minutes of the queue's business time within which a ticket of this tier and priority gets its first
    answer and its resolution. A queue without its own targets uses the platform's (`queue` empty)."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, null=True, blank=True, related_name="sla_targets")
    tier = models.CharField(_("service tier"), max_length=20, choices=Tier.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(
        _("first response within (business minutes)"), validators=[MinValueValidator(1), MaxValueValidator(525600)]
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution within (business minutes)"), validators=[MinValueValidator(1), MaxValueValidator(525600)]
    )

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "tier", "priority"], name="helpdesk_sla_unique", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=models.Q(resolution_minutes__gte=models.F("first_response_minutes")),
                name="helpdesk_sla_resolution_after_response",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} / {self.get_priority_display()}"


class CannedReply(models.Model):
    """A queue's ready answer; `{msme_name}`, `{requester_name}`, `{agent_name}` and `{reference}` are filled in."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="canned_replies")
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=5000)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class RequesterTier(TenantOwnedModel):
    """The service tier an agency gives an MSME, or one of its people (the person's wins)."""

    msme = TenantForeignKey(Msme, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    tier = models.CharField(_("service tier"), max_length=20, choices=Tier.choices)

    class Meta:
        verbose_name = _("service tier")
        verbose_name_plural = _("service tiers")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "msme"], name="helpdesk_tier_unique_msme"),
            models.UniqueConstraint(fields=["tenant", "user"], name="helpdesk_tier_unique_user"),
            models.CheckConstraint(
                condition=models.Q(msme__isnull=False) | models.Q(user__isnull=False),
                name="helpdesk_tier_msme_or_user",
            ),
        ]

    def __str__(self) -> str:
        return self.get_tier_display()


class Ticket(DivisionRoutedModel):
    """A question an MSME asks. It keeps its tenant; in a division's queue it carries that division."""

    reference = models.CharField(_("reference"), max_length=12, editable=False)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("question"), max_length=20000)
    topic = models.CharField(_("topic"), max_length=60, blank=True)
    language = models.CharField(_("language"), max_length=8)
    # SET_NULL: deleting an MSME, a user or a guidance article never deletes a ticket.
    msme = TenantForeignKey(
        Msme, verbose_name=_("MSME"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The names as they were when asked: a division's agents read these, never the tenant's registry.
    msme_name = models.CharField(_("MSME"), max_length=200, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    requester_name = models.CharField(_("asked by"), max_length=200, blank=True)
    requester_email = models.EmailField(_("e-mail"), blank=True)
    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    tier = models.CharField(_("service tier"), max_length=20, choices=Tier.choices, default=Tier.FIRST_TIME)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_responded_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The SLA: due times in UTC, computed in the queue's business hours; no due time while paused.
    first_response_due = models.DateTimeField(_("first answer due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    # The nearer of the two still to meet (`next_due`), kept so that the queue is read in due order from an index.
    next_due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    # [[start, end or null], ...]: the spans spent waiting on the customer, which the SLA clock skips.
    sla_pauses = models.JSONField(default=list, blank=True, editable=False)
    response_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    response_breached_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_breached_at = models.DateTimeField(null=True, blank=True, editable=False)
    merged_into = TenantForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the MSME was shown while typing, and which of those it opened before it still asked.
    suggested_articles = models.JSONField(default=list, blank=True, editable=False)
    read_articles = models.JSONField(default=list, blank=True, editable=False)
    rating = models.CharField(_("rating"), max_length=4, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("comment"), max_length=2000, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True, editable=False)

    audit_personal_fields = ("requester_name", "requester_email", "msme_name")

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "reference"], name="helpdesk_ticket_unique_reference"),
        ]
        indexes = [
            models.Index(fields=["tenant", "queue", "status", "-created_at"], name="helpdesk_ticket_queue"),
            models.Index(fields=["tenant", "assignee", "status"], name="helpdesk_ticket_assignee"),
            models.Index(fields=["tenant", "requester", "-created_at"], name="helpdesk_ticket_requester"),
            models.Index(fields=["tenant", "status", "first_response_due"], name="helpdesk_ticket_response_due"),
            models.Index(fields=["tenant", "status", "resolution_due"], name="helpdesk_ticket_resolution_due"),
            models.Index(fields=["tenant", "-created_at"], name="helpdesk_ticket_created"),
            # The queue's order (soonest due first, then newest), for an agency and for a division.
            models.Index(fields=["tenant", "next_due_at", "-created_at", "id"], name="helpdesk_ticket_due"),
            models.Index(
                fields=["division", "next_due_at", "-created_at", "id"],
                condition=models.Q(division__isnull=False),
                name="helpdesk_ticket_division_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_paused(self) -> bool:
        return bool(self.sla_pauses) and self.sla_pauses[-1][1] is None

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def next_due(self) -> datetime | None:
        """The nearest due time still to meet: the first answer's, else the resolution's."""
        if self.is_done:
            return None
        pending = [self.resolution_due]
        if self.first_responded_at is None:
            pending.append(self.first_response_due)
        pending = [due for due in pending if due is not None]
        return min(pending) if pending else None

    def is_breached(self, now: datetime | None = None) -> bool:
        due = self.next_due
        return due is not None and due <= (now or timezone.now())


class TicketLink(TenantOwnedModel):
    """Two related tickets (stored once, in either order)."""

    ticket = TenantForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    other = TenantForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "ticket", "other"], name="helpdesk_link_unique")]

    def __str__(self) -> str:
        return f"{self.ticket_id} ~ {self.other_id}"


class Message(DivisionRoutedModel):
    """One entry of a ticket's timeline: a public reply, an internal note (never shown to the MSME on any
    surface), or a change (field, old value, new value). It follows its ticket's division."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        NOTE = "note", _("Internal note")
        CHANGE = "change", _("Change")

    class Via(models.TextChoices):
        PAGE = "page", _("portal")
        API = "api", _("API")
        EMAIL = "email", _("e-mail")
        SYSTEM = "system", _("system")

    ticket = TenantForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages", tenant_index=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPLY)
    body = models.TextField(_("message"), max_length=20000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    author_name = models.CharField(max_length=200, blank=True)
    from_agent = models.BooleanField(default=False)
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.PAGE)
    # {field: [old, new]} for a change.
    changes = models.JSONField(default=dict, blank=True)
    # The e-mail's Message-ID (or digest): the same e-mail is never posted twice.
    email_fingerprint = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["tenant", "ticket", "created_at"], name="helpdesk_message_ticket")]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "email_fingerprint"],
                condition=~models.Q(email_fingerprint=""),
                name="helpdesk_message_unique_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_internal(self) -> bool:
        return self.kind == self.Kind.NOTE


class Attachment(DivisionRoutedModel):
    ticket = TenantForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = TenantForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=TenantUploadTo("helpdesk"), max_length=255)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class CounsellingSlot(TenantOwnedModel):
    """An hour an agent of the agency offers for a counselling session, online or as a visit."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        VISIT = "visit", _("Visit")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("agent")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("kind"), max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    where = models.CharField(_("where or link"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("counselling slot")
        verbose_name_plural = _("counselling slots")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["tenant", "starts_at"], name="helpdesk_slot_starts")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="helpdesk_slot_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} ({self.get_mode_display()})"


class CounsellingSession(TenantOwnedModel):
    """An MSME's booking of a slot, linked to a ticket; its notes stay internal unless shared."""

    class State(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    slot = TenantForeignKey(CounsellingSlot, on_delete=models.CASCADE, related_name="sessions")
    ticket = TenantForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    msme = TenantForeignKey(Msme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.BOOKED)
    notes = models.TextField(_("notes"), max_length=20000, blank=True)
    notes_shared = models.BooleanField(_("notes shared with the MSME"), default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("counselling session")
        verbose_name_plural = _("counselling sessions")
        constraints = [
            # One live booking per slot.
            models.UniqueConstraint(
                fields=["tenant", "slot"], condition=models.Q(state="booked"), name="helpdesk_session_one_per_slot"
            )
        ]

    def __str__(self) -> str:
        return str(self.slot)


class RefusedEmail(models.Model):
    """An e-mail to the helpdesk that was not posted (a forged or replayed reply, a stranger's, a closed ticket's):
    kept for the platform's administrators to review. Platform-level, since a refused message may name no tenant
    or a tenant it has no right to; its body is never kept."""

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    sender = models.CharField(_("sender"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    reason_code = models.CharField(_("reason code"), max_length=40)
    reason = models.CharField(_("reason"), max_length=500)
    fingerprint = models.CharField(_("message fingerprint"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("refused e-mail")
        verbose_name_plural = _("refused e-mails")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["-received_at"], name="helpdesk_refused_received")]

    def __str__(self) -> str:
        return f"{self.sender} ({self.reason_code})"
