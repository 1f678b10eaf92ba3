from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api.serializers import NulFreeInputMixin, TenantModelSerializer
from apps.core.policies import actor_of, can
from apps.registry import rules, services
from apps.registry.forms import IpAssetForm
from apps.registry.importing import columns
from apps.registry.importing.reader import upload_size_error
from apps.registry.models import ImportJob, IpAsset, IsicCode, Msme
from apps.registry.validators import validate_assessment_date


class MsmeSerializer(TenantModelSerializer):
    sector_isic = serializers.SlugRelatedField(slug_field="code", queryset=IsicCode.objects.all())
    sector_title = serializers.CharField(source="sector_isic.title", read_only=True)
    # Declared: as a read-only field DRF would drop the model's blank=True, and "" (no consent recorded yet)
    # would fall outside the schema's enum.
    consent_source = serializers.ChoiceField(
        choices=Msme.ConsentSource.choices,
        allow_blank=True,
        read_only=True,
        label=capfirst(Msme._meta.get_field("consent_source").verbose_name),
    )

    class Meta:
        model = Msme
        fields = [
            "id",
            *columns.ALL,
            "sector_section",
            "sector_title",
            "consent_given_at",
            "consent_source",
            "verification",
            "size_class",
            "maturity_level",
            "maturity_assessed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "sector_section",
            "consent_given_at",
            "consent_source",
            "verification",
            "size_class",
            "created_at",
            "updated_at",
        ]

    def validate_registration_number(self, value: str) -> str:
        request = self.context["request"]
        number = value.strip()
        error = services.registration_number_error(
            tenant=request.tenant, number=number, msme=self.instance, actor=request.user
        )
        if error:
            raise serializers.ValidationError(error, code="unique")
        return number

    def validate_region(self, value: str) -> str:
        country = self.context["request"].tenant.country
        if error := rules.region_error(value, country=country):
            raise serializers.ValidationError(error)
        return rules.msme_normalised({"region": value}, country=country)["region"]

    def validate_preferred_language(self, value: str) -> str:
        if error := rules.language_error(value):
            raise serializers.ValidationError(error)
        return value.lower()

    def get_extra_kwargs(self) -> dict[str, Any]:
        # As bounds (not a validate_ method) so that the schema states them, in the rule's words; this year is
        # read per request.
        extra = super().get_extra_kwargs()
        this_year = timezone.localdate().year
        extra["founded_year"] = {
            **extra.get("founded_year", {}),
            "min_value": rules.FOUNDED_FROM,
            "max_value": this_year,
            "error_messages": {
                "min_value": rules.founded_year_error(rules.FOUNDED_FROM - 1),
                "max_value": rules.founded_year_error(this_year + 1),
            },
        }
        # SQLite would store any number of employees, PostgreSQL would fail with a 500.
        extra["employees"] = {
            **extra.get("employees", {}),
            "max_value": rules.MAX_EMPLOYEES,
            "error_messages": {"max_value": rules.employees_error(rules.MAX_EMPLOYEES + 1)},
        }
        return extra

    def _agency_sets(self, name: str, value: Any) -> Any:
        # Members may send the stored value back (a GET-modify-PUT round trip), never change it.
        stored = getattr(self.instance, name) if self.instance is not None else None
        if value != stored and not can(actor_of(self.context["request"]), "registry.set_maturity", self.instance):
            raise serializers.ValidationError(_("Only agency staff set the maturity level."))
        return value

    def validate_maturity_level(self, value: int | None) -> int | None:
        return self._agency_sets("maturity_level", value)

    def validate_maturity_assessed_at(self, value: Any) -> Any:
        validate_assessment_date(value)  # the page's rule (MaturityForm)
        return self._agency_sets("maturity_assessed_at", value)


class IpAssetSerializer(NulFreeInputMixin, serializers.ModelSerializer):
    class Meta:
        model = IpAsset
        fields = [
            "id",
            *IpAssetForm.Meta.fields,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # The form requires it (the model's default is for the page's initial choice).
        extra_kwargs = {"status": {"required": True}}

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        # The rules need the whole asset: a partial update is checked merged with what is stored.
        stored = {name: getattr(self.instance, name) for name in IpAssetForm.Meta.fields} if self.instance else {}
        merged = rules.asset_normalised({**stored, **data})
        if errors := rules.asset_errors(merged):
            raise serializers.ValidationError(errors)
        return {name: merged[name] for name in data}


class DeadlineSerializer(serializers.Serializer):
    due = serializers.DateField()
    kind = serializers.CharField()
    label = serializers.CharField()
    asset_id = serializers.UUIDField()
    asset_title = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    """A job in a list: its counts, without the row errors (a job keeps up to IMPORT_MAX_ERRORS of them)."""

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "file_name",
            "on_duplicate",
            "dry_run",
            "status",
            "rows_total",
            "rows_processed",
            "created",
            "updated",
            "skipped",
            "failed",
            "errors_omitted",
            "message",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    column = serializers.CharField()
    reason = serializers.CharField()
    registration_number = serializers.CharField()


class ImportJobDetailSerializer(ImportJobSerializer):
    """One job: its counts and the first ERRORS_SHOWN row errors; all stored ones page at errors_url."""

    ERRORS_SHOWN = 50

    error_count = serializers.IntegerField(read_only=True, help_text="Row errors found: stored, and omitted.")
    errors = serializers.SerializerMethodField()
    errors_url = serializers.SerializerMethodField()

    class Meta(ImportJobSerializer.Meta):
        fields = [*ImportJobSerializer.Meta.fields, "error_count", "errors", "errors_url"]
        read_only_fields = fields

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_errors(self, job: ImportJob) -> list[dict[str, Any]]:
        return job.errors[: self.ERRORS_SHOWN]

    def get_errors_url(self, job: ImportJob) -> str:
        url = reverse("api:import-job-errors", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    on_duplicate = serializers.ChoiceField(choices=ImportJob.OnDuplicate.choices, default="skip")
    dry_run = serializers.BooleanField(default=False)

    def validate_file(self, upload: Any) -> Any:
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise serializers.ValidationError(_("Upload a .csv or .xlsx file."))
        if too_large := upload_size_error(upload.size):
            raise serializers.ValidationError(too_large)
        return upload
