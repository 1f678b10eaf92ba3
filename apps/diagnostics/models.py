"""Assessments: one taking of the IP-maturity diagnostic, for an MSME (kept over time) or by a visitor."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.registry.models import Msme
from apps.tenants.fields import TenantForeignKey
from apps.tenants.models import TenantOwnedModel


class AssessmentResult(models.Model):
    """What every taking of the diagnostic keeps: the answers as given and what they scored."""

    questionnaire_version = models.CharField(_("questionnaire version"), max_length=16)
    answers = models.JSONField(_("answers"), default=dict)
    level = models.PositiveSmallIntegerField(
        _("IP maturity level"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    score = models.PositiveSmallIntegerField(_("overall score"), default=0, validators=[MaxValueValidator(100)])
    area_scores = models.JSONField(_("score per area"), default=dict)
    signals = models.JSONField(_("signals"), default=list)
    # Reasons are kept as codes with parameters and put into words when shown, in the reader's language.
    reasons = models.JSONField(_("reasons"), default=list)
    created_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def level_name(self) -> str:
        from apps.diagnostics.scoring import level_name

        return level_name(self.level)

    def reason_texts(self) -> list[str]:
        from apps.diagnostics.scoring import reason_texts

        return reason_texts(self.reasons)


class Assessment(AssessmentResult, TenantOwnedModel):
    """An MSME's assessment. The latest one sets the MSME's maturity level in the registry."""

    class Source(models.TextChoices):
        SELF = "self", _("Taken by the MSME")
        AGENCY = "agency", _("Recorded by agency staff")
        VISITOR = "visitor", _("Taken before signing up")

    msme = TenantForeignKey(Msme, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("MSME"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("recorded by"),
    )

    audit_parent = "msme"  # its audit events show in the MSME's history (apps.tenants.audit)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(fields=["tenant", "msme", "created_at"], name="assessment_tenant_msme_at"),
            models.Index(fields=["tenant", "created_at"], name="assessment_tenant_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="assessment_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.msme} · {self.level} ({self.created_at:%Y-%m-%d})"


class VisitorAssessment(AssessmentResult):
    """A visitor's assessment (no account, no tenant): kept until claimed by the MSME they register.

    Not tenant-owned: it belongs to nobody yet and holds no personal data (the answers only).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # The Assessment it was copied into (tenant-owned, so no foreign key from this tenant-less row).
    claimed_assessment_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("visitor assessment")
        verbose_name_plural = _("visitor assessments")
        indexes = [models.Index(fields=["created_at"], name="visitorassessment_at")]

    def __str__(self) -> str:
        return f"{self.pk} · {self.level}"

    # Read like an Assessment's, so that one serializer and one template show both.
    msme_id = None
    recorded_by = None

    @property
    def source(self) -> str:
        return Assessment.Source.VISITOR

    def get_source_display(self) -> str:
        return str(Assessment.Source.VISITOR.label)
