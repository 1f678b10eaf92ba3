"""Tenants (national agencies), memberships, and the base of every tenant-owned model."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, ClassVar

import pycountry
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import Channel, field_labels
from apps.core.countries import country_name
from apps.core.roles import TENANT_ROLES, Division
from apps.tenants.context import get_active_tenant, is_unscoped, require_active_tenant
from apps.tenants.fields import TenantForeignKey
from apps.tenants.managers import TenantScopedManager, check_division_scope


def validate_country_code(value: str) -> None:
    if pycountry.countries.get(alpha_2=value or "") is None:
        raise ValidationError(_("%(value)s is not an ISO 3166-1 alpha-2 country code."), params={"value": value})


def validate_language_codes(value: list[str]) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Give a list of ISO 639-1 language codes."))
    bad = [code for code in value if not isinstance(code, str) or pycountry.languages.get(alpha_2=code) is None]
    if bad:
        raise ValidationError(_("Unknown language codes: %(codes)s."), params={"codes": ", ".join(map(str, bad))})


class OutreachChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    POST = "post", _("Post")


def validate_channels(value: list[str]) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Give a list of outreach channels."))
    bad = [channel for channel in value if channel not in OutreachChannel.values]
    if bad:
        raise ValidationError(
            _("Unknown outreach channels: %(channels)s."), params={"channels": ", ".join(map(str, bad))}
        )


def default_languages() -> list[str]:
    return ["en"]


def default_channels() -> list[str]:
    return [OutreachChannel.EMAIL.value]


class Tenant(models.Model):
    """A national agency (IP office, SME agency, chamber of commerce) of one country."""

    class Kind(models.TextChoices):
        IP_OFFICE = "ip_office", _("Intellectual property office")
        SME_AGENCY = "sme_agency", _("SME agency")
        CHAMBER = "chamber", _("Chamber of commerce")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    kind = models.CharField(_("kind of agency"), max_length=20, choices=Kind.choices, default=Kind.IP_OFFICE)
    languages = models.JSONField(_("languages"), default=default_languages, validators=[validate_language_codes])
    outreach_channels = models.JSONField(
        _("preferred outreach channels"), default=default_channels, validators=[validate_channels]
    )
    # Size-class thresholds; defaults follow EU Recommendation 2003/361.
    micro_max_employees = models.PositiveIntegerField(_("micro: fewer employees than"), default=10)
    micro_max_turnover_eur = models.DecimalField(
        _("micro: turnover at most (EUR)"), max_digits=16, decimal_places=2, default=Decimal("2000000")
    )
    small_max_employees = models.PositiveIntegerField(_("small: fewer employees than"), default=50)
    small_max_turnover_eur = models.DecimalField(
        _("small: turnover at most (EUR)"), max_digits=16, decimal_places=2, default=Decimal("10000000")
    )
    medium_max_employees = models.PositiveIntegerField(_("medium: fewer employees than"), default=250)
    medium_max_turnover_eur = models.DecimalField(
        _("medium: turnover at most (EUR)"), max_digits=16, decimal_places=2, default=Decimal("50000000")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(micro_max_employees__lte=models.F("small_max_employees"))
                & models.Q(small_max_employees__lte=models.F("medium_max_employees")),
                name="tenant_size_thresholds_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        """The country's name in the active language."""
        return country_name(self.country)

    def clean(self) -> None:
        if not (self.micro_max_employees <= self.small_max_employees <= self.medium_max_employees):
            raise ValidationError(_("Employee thresholds must grow from micro to small to medium."))
        if not (self.micro_max_turnover_eur <= self.small_max_turnover_eur <= self.medium_max_turnover_eur):
            raise ValidationError(_("Turnover thresholds must grow from micro to small to medium."))


class Membership(models.Model):
    """A user's place in one tenant, with the role they have there.

    Not tenant-scoped itself: it is how the active tenant is found. Its roles are the tenant roles of
    `apps.core.roles.Role`.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=[(role.value, role.label) for role in TENANT_ROLES])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique_tenant_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.tenant.slug} ({self.get_role_display()})"


class TenantMismatch(RuntimeError):
    """A row was saved into, or moved to, a tenant other than the active one."""


class TenantOwnedModel(models.Model):
    """Base of every tenant-owned row: UUID public identifier, tenant stamped on save, scoped manager."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, editable=False, related_name="+")

    objects = TenantScopedManager()

    class Meta:
        abstract = True

    # True on models whose rows a WIPO division works across tenants (DivisionRoutedModel).
    routable_to_division: ClassVar[bool] = False

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_division()
        active = get_active_tenant()
        if self.tenant_id is None:
            self.tenant = require_active_tenant()
        elif active is not None and self.tenant_id != active.pk and not is_unscoped():
            raise TenantMismatch(f"Cannot save a row of tenant {self.tenant_id} while tenant {active.pk} is active.")
        loaded = getattr(self, "_loaded_tenant_id", None)
        if loaded is not None and loaded != self.tenant_id:
            raise TenantMismatch("A tenant-owned row cannot move to another tenant.")
        super().save(*args, **kwargs)
        self._loaded_tenant_id = self.tenant_id

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._check_division()
        active = get_active_tenant()
        if active is not None and self.tenant_id != active.pk and not is_unscoped():
            raise TenantMismatch(f"Cannot delete a row of tenant {self.tenant_id} while tenant {active.pk} is active.")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> TenantOwnedModel:
        instance = super().from_db(db, field_names, values)
        instance._loaded_tenant_id = instance.__dict__.get("tenant_id")
        return instance

    def _check_division(self) -> None:
        """In a division's scope, only a row routed to that division may be written (the RLS policy's
        WITH CHECK says the same on PostgreSQL); its tenant stays the one it has."""
        division = check_division_scope(type(self))
        if division and getattr(self, "division", None) != division:
            raise TenantMismatch(f"Division {division} cannot write a row routed to {self.division or 'no division'}.")


class DivisionRoutedModel(TenantOwnedModel):
    """A tenant-owned row that may be routed to a WIPO division (a ticket in the Madrid queue, an ADR
    request for the Arbitration and Mediation Center).

    It keeps its tenant for good; `division` says which division's agents and analysts work it. In that
    division's scope the scoped manager returns the rows routed to it, of every tenant, and the RLS
    policy (`EnableRowLevelSecurity`, which sees the `division` column) admits them. In a tenant's scope
    nothing changes. A model that cannot inherit this declares the same two things itself.
    """

    routable_to_division: ClassVar[bool] = True
    division = models.CharField(
        _("WIPO division or regional bureau"),
        max_length=30,
        choices=Division.choices,
        null=True,
        blank=True,
        default=None,
    )

    class Meta:
        abstract = True


class AuditEvent(TenantOwnedModel):
    """Who changed what, when, in which scope and through which channel: one row per write of a tenant-owned
    row, written by its app's services through apps.tenants.audit.record (never edited, except by an erasure,
    which blanks the personal data it holds)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        ERASE = "erase", _("Personal data erased")
        VERIFY = "verify", _("Verified")
        IMPORT = "import", _("Imported")

    at = models.DateTimeField(_("when"), default=timezone.now)
    # SET_NULL: deleting a user keeps the history of what they did.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # Work done in a division's scope is recorded there and routed to that division: its agents write
    # (and read back) the events of what they did; the tenant's own events stay out of their sight.
    routable_to_division: ClassVar[bool] = True

    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    # The division the work was done in ("": a tenant's own scope, a task, the admin).
    division = models.CharField(_("division"), max_length=40, choices=Division.choices, blank=True)
    # The object: its model label ("registry.msme"), id and a short text to name it once it is gone.
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.UUIDField(_("object id"), null=True, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # The object whose history also shows this event (an IP asset's MSME), named as the object is.
    parent_type = models.CharField(max_length=100, blank=True)
    parent_id = models.UUIDField(null=True, blank=True)
    # {field: [old, new]} for an update; {field: value} for a create or delete (the object as it was).
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The import's own event, for each row it created or updated. No index of its own: only a batch's
    # deletion reads by it, and each index slows an import's writes.
    batch = TenantForeignKey(
        "self",
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rows",
        tenant_index=False,
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # Only what the history reads (an object's events, its children's): each index slows every write,
        # and an import writes one event per row.
        indexes = [
            models.Index(fields=["tenant", "object_id", "at"], name="audit_tenant_object_at"),
            models.Index(
                fields=["tenant", "parent_id", "at"],
                name="audit_tenant_parent_at",
                condition=models.Q(parent_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_repr}"

    @property
    def object_model(self) -> type[models.Model] | None:
        try:
            return django_apps.get_model(self.object_type)
        except (LookupError, ValueError):  # a model since removed
            return None

    @property
    def object_verbose_name(self) -> str:
        model = self.object_model
        return str(model._meta.verbose_name) if model is not None else self.object_type

    def changed_field_labels(self) -> list[str]:
        """The changed fields' names as people read them (their verbose names)."""
        return field_labels(self.object_model, self.changes)
