"""The MSME registry: MSMEs, the people who act for them, their IP assets and imports."""

from __future__ import annotations

import pycountry
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.registry.maturity import MaturityLevel
from apps.registry.sizing import SizeClass
from apps.tenants.fields import TenantForeignKey
from apps.tenants.files import TenantUploadTo, private_storage
from apps.tenants.models import OutreachChannel, TenantOwnedModel


class IsicCode(models.Model):
    """ISIC Rev.4 (UN Statistics Division): 21 sections, 88 divisions, 238 groups, 419 classes.

    Reference data shared by every tenant, loaded by a migration from the `isic` package.
    """

    class Level(models.TextChoices):
        SECTION = "section", _("Section")
        DIVISION = "division", _("Division")
        GROUP = "group", _("Group")
        CLASS = "class", _("Class")

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    section = models.CharField(_("section"), max_length=1, db_index=True)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        # The section's own row first ("A"), then its divisions, groups and classes ("01", "011", "0111").
        ordering = [
            "section",
            models.Case(models.When(level="section", then=models.Value("")), default="code"),
        ]
        verbose_name = _("ISIC Rev.4 code")
        verbose_name_plural = _("ISIC Rev.4 codes")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Msme(TenantOwnedModel):
    """A micro, small or medium enterprise registered with a national agency (the tenant)."""

    class Verification(models.TextChoices):
        PENDING = "pending", _("Self-registered, pending verification")
        VERIFIED = "verified", _("Verified by the agency")

    class ConsentSource(models.TextChoices):
        SELF_REGISTRATION = "self_registration", _("Self-registration form")
        AGENCY = "agency", _("Recorded by agency staff")
        IMPORT = "import", _("Bulk import")
        API = "api", _("API")

    name = models.CharField(_("name"), max_length=200)
    registration_number = models.CharField(_("registration number"), max_length=64)
    sector_section = models.CharField(_("ISIC section"), max_length=1)
    sector_isic = models.ForeignKey(
        IsicCode, on_delete=models.PROTECT, related_name="+", verbose_name=_("ISIC Rev.4 sector"), db_index=False
    )
    employees = models.PositiveIntegerField(_("employees"))
    annual_turnover_eur = models.DecimalField(
        _("annual turnover (EUR)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    region = models.CharField(_("region"), max_length=10, blank=True, help_text=_("ISO 3166-2 subdivision code"))
    founded_year = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=2, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=OutreachChannel.choices, blank=True
    )
    is_university_spinoff = models.BooleanField(_("university spin-off"), default=False)
    is_informal = models.BooleanField(_("informal economy"), default=False)
    exports = models.BooleanField(_("exporter"), default=False)
    consent_outreach = models.BooleanField(_("consents to outreach"), default=False)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_source = models.CharField(
        _("consent given through"), max_length=20, choices=ConsentSource.choices, blank=True
    )
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.VERIFIED
    )
    size_class = models.CharField(_("size class"), max_length=6, choices=SizeClass.choices)
    maturity_level = models.PositiveSmallIntegerField(
        _("IP maturity level"),
        choices=MaturityLevel.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    maturity_assessed_at = models.DateField(_("maturity assessed on"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The event of the import that created the row (apps.tenants.audit.import_batch): its history's "created by
    # import of <file>" line. A link, not an event per created row, keeps a bulk import cheap. The import's job page
    # lists the rows it created, and its undo removes them, by this link (the index msme_tenant_import_name).
    created_by_import = TenantForeignKey(
        "tenants.AuditEvent",
        verbose_name=_("created by import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        tenant_index=False,
    )

    # The audit trail (apps.tenants.audit): what an erasure blanks in the history, and the field linking the
    # row to the import that created it.
    audit_personal_fields = ("name", "registration_number", "email", "phone", "website")
    audit_created_by = "created_by_import"

    class Meta:
        ordering = ["name"]
        verbose_name = _("MSME")
        verbose_name_plural = _("MSMEs")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "registration_number"], name="msme_unique_tenant_regno"),
            models.CheckConstraint(
                condition=models.Q(maturity_level__isnull=True)
                | models.Q(maturity_level__gte=1, maturity_level__lte=5),
                name="msme_maturity_level_range",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "name"], name="msme_tenant_name"),
            # The list's common filters, each with the list's order (name) after it: a filtered page reads
            # its 25 rows in order and its capped count stops early, instead of scanning the tenant.
            models.Index(fields=["tenant", "size_class", "name"], name="msme_tenant_size_name"),
            models.Index(fields=["tenant", "sector_section", "name"], name="msme_tenant_section_name"),
            models.Index(fields=["tenant", "verification", "name"], name="msme_tenant_verification_name"),
            models.Index(fields=["tenant", "sector_isic"], name="msme_tenant_isic"),
            models.Index(fields=["tenant", "maturity_level", "name"], name="msme_tenant_maturity_name"),
            models.Index(fields=["tenant", "region"], name="msme_tenant_region"),
            models.Index(fields=["tenant", "created_at"], name="msme_tenant_created"),
            # The statistics' nightly run reads the MSMEs changed since the last one (apps.dashboards.rollups).
            models.Index(fields=["tenant", "updated_at"], name="msme_tenant_updated"),
            models.Index(fields=["tenant", "employees"], name="msme_tenant_employees"),
            models.Index(fields=["tenant", "annual_turnover_eur"], name="msme_tenant_turnover"),
            # The MSMEs an import created, by name (its job page), and the ones its undo removes.
            models.Index(fields=["tenant", "created_by_import", "name"], name="msme_tenant_import_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_name(self) -> str:
        """The region's name (ISO 3166-2), or its code when unknown."""
        subdivision = pycountry.subdivisions.get(code=self.region) if self.region else None
        return subdivision.name if subdivision else self.region

    @property
    def preferred_language_name(self) -> str:
        language = pycountry.languages.get(alpha_2=self.preferred_language) if self.preferred_language else None
        return language.name if language else self.preferred_language


class MsmeMember(TenantOwnedModel):
    """A user who acts for one MSME (an MSME member's link to their business)."""

    msme = TenantForeignKey(Msme, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="msme_links", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("MSME member")
        verbose_name_plural = _("MSME members")
        constraints = [models.UniqueConstraint(fields=["tenant", "user"], name="msmemember_unique_tenant_user")]

    def __str__(self) -> str:
        return f"{self.user} → {self.msme}"


class IpAsset(TenantOwnedModel):
    """One IP right (or trade secret) in an MSME's register. A trade secret is held by label only."""

    class Type(models.TextChoices):
        PATENT = "patent", _("Patent")
        UTILITY_MODEL = "utility_model", _("Utility model")
        TRADEMARK = "trademark", _("Trademark")
        INDUSTRIAL_DESIGN = "industrial_design", _("Industrial design")
        COPYRIGHT = "copyright", _("Copyright work")
        TRADE_SECRET = "trade_secret", _("Trade secret")
        DOMAIN_NAME = "domain_name", _("Domain name")
        GEOGRAPHICAL_INDICATION = "geographical_indication", _("Geographical indication")

    class Status(models.TextChoices):
        IDEA = "idea", _("Not filed yet")
        PENDING = "pending", _("Filed, pending")
        REGISTERED = "registered", _("Registered / granted")
        LAPSED = "lapsed", _("Lapsed")
        EXPIRED = "expired", _("Expired")
        REFUSED = "refused", _("Refused / withdrawn")
        IN_USE = "in_use", _("In use (no registration)")

    msme = TenantForeignKey(Msme, on_delete=models.CASCADE, related_name="assets")
    asset_type = models.CharField(_("type"), max_length=24, choices=Type.choices)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=8, help_text=_("A country code (e.g. KE) or PCT, MADRID, HAGUE, EM, OAPI, ARIPO")
    )
    title = models.CharField(_("title or label"), max_length=300)
    application_number = models.CharField(_("application number"), max_length=64, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    priority_date = models.DateField(_("priority date"), null=True, blank=True)
    filing_date = models.DateField(_("filing date"), null=True, blank=True)
    grant_date = models.DateField(_("grant / registration date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    classes = models.CharField(
        _("classes"),
        max_length=200,
        blank=True,
        help_text=_("Nice classes for marks, Locarno for designs, IPC for patents"),
    )
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    custodian = models.CharField(_("custodian (trade secrets)"), max_length=200, blank=True)
    storage_location = models.CharField(_("where it is kept (trade secrets)"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The audit trail (apps.tenants.audit): shown in the MSME's history; what an erasure blanks there.
    audit_parent = "msme"
    audit_personal_fields = ("owner", "notes", "custodian", "storage_location")

    class Meta:
        ordering = ["asset_type", "title"]
        verbose_name = _("IP asset")
        verbose_name_plural = _("IP assets")

    def __str__(self) -> str:
        return f"{self.get_asset_type_display()}: {self.title}"


class ImportJob(TenantOwnedModel):
    """One bulk import of MSMEs: its options, progress, counts and per-row errors."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class OnDuplicate(models.TextChoices):
        UPDATE = "update", _("Update the stored MSME")
        SKIP = "skip", _("Skip the row")

    class UndoStatus(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file_name = models.CharField(_("file name"), max_length=255)
    # Tenant-private: stored under a random name, served only by the job's download view, deleted after
    # IMPORT_FILE_RETENTION_DAYS or when an MSME in it is erased (then empty, with file_deleted_at set).
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=TenantUploadTo("registry"), max_length=255, blank=True
    )
    file_deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)
    on_duplicate = models.CharField(max_length=6, choices=OnDuplicate.choices, default=OnDuplicate.SKIP)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # The first IMPORT_MAX_ERRORS row errors; errors_omitted counts the others.
    errors = models.JSONField(default=list, blank=True)
    errors_omitted = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Undoing the import (services.import_undo): when it was last undone, by whom, and how many of the MSMEs it
    # created were removed (those changed since are kept).
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    removed = models.PositiveIntegerField(_("MSMEs removed by undoing it"), default=0)
    # An undo too big for a request (IMPORT_UNDO_IN_REQUEST_MAX_ROWS) runs as a task: its state, and the reason
    # when it failed. Blank when no undo was queued; an undo in the request sets done.
    undo_status = models.CharField(_("undo status"), max_length=8, choices=UndoStatus.choices, blank=True)
    undo_message = models.TextField(_("undo message"), blank=True)
    undo_requested_at = models.DateTimeField(_("undo requested at"), null=True, blank=True)
    undo_started_at = models.DateTimeField(_("undo started at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["tenant", "created_at"], name="importjob_tenant_created")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_omitted
