from __future__ import annotations

from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import filters, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.roles import Role
from apps.registry import selectors, services
from apps.registry.api.serializers import (
    DeadlineSerializer,
    ImportErrorSerializer,
    ImportJobDetailSerializer,
    ImportJobSerializer,
    ImportRequestSerializer,
    IpAssetSerializer,
    MsmeSerializer,
)
from apps.registry.filters import MsmeFilterSet
from apps.registry.importing.jobs import import_job_create
from apps.registry.models import ImportJob, IpAsset, Msme


class RegistryRolePermission(permissions.BasePermission):
    """Agency staff: their tenant's registry. MSME members: read and edit their own MSME only."""

    message = "The registry is for agency staff and MSME members."

    def has_permission(self, request: Request, view: Any) -> bool:
        return getattr(request._request, "role", None) in {Role.AGENCY_STAFF, Role.MSME_MEMBER}


def _is_agency(request: Request) -> bool:
    return request._request.role == Role.AGENCY_STAFF


class AgencyStaffPermission(permissions.BasePermission):
    """Agency staff of the tenant only: what the import pages allow."""

    message = "Import jobs are for agency staff."

    def has_permission(self, request: Request, view: Any) -> bool:
        return _is_agency(request)


class NamedSearchFilter(filters.SearchFilter):
    """DRF's search, whose 400 (a NUL character) names the `search` parameter like every other error."""

    def get_search_terms(self, request: Request) -> list[str]:
        try:
            return super().get_search_terms(request)
        except ValidationError as exc:
            raise ValidationError({self.search_param: exc.detail}) from exc


class MsmeViewSet(viewsets.ModelViewSet):
    serializer_class = MsmeSerializer
    permission_classes = [permissions.IsAuthenticated, RegistryRolePermission]
    # Ordering comes from the FilterSet's `ordering`, the same as on the page.
    filter_backends = [DjangoFilterBackend, NamedSearchFilter]
    filterset_class = MsmeFilterSet
    search_fields = ["name", "registration_number"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no tenant
            return Msme.objects.none()
        return selectors.msmes_visible(user=self.request.user, role=self.request._request.role)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Before the body is validated: a member's create is 403, whatever they sent.
        if self.action in {"create", "destroy", "import_file"}:
            self._agency_only()

    def _agency_only(self) -> None:
        if not _is_agency(self.request):
            raise PermissionDenied("Only agency staff can do this.")

    def perform_create(self, serializer: MsmeSerializer) -> None:
        self._agency_only()
        serializer.instance = services.msme_create(
            tenant=self.request._request.tenant,
            data=dict(serializer.validated_data),
            actor=self.request.user,
            consent_source=Msme.ConsentSource.API,
        )

    def perform_update(self, serializer: MsmeSerializer) -> None:
        serializer.instance = services.msme_update(
            msme=serializer.instance,
            data=dict(serializer.validated_data),
            actor=self.request.user,
            consent_source=Msme.ConsentSource.API,
        )

    def perform_destroy(self, instance: Msme) -> None:
        self._agency_only()
        services.msme_delete(msme=instance, actor=self.request.user)

    @extend_schema(responses=DeadlineSerializer(many=True))
    @action(detail=True, methods=["get"])
    def deadlines(self, request: Request, pk: str | None = None) -> Response:
        msme = self.get_object()
        deadlines = selectors.msme_deadlines(msme=msme, today=timezone.localdate())
        page = self.paginate_queryset(deadlines)
        return self.get_paginated_response(DeadlineSerializer(page, many=True).data)

    @extend_schema(
        request=ImportRequestSerializer,
        responses={202: ImportJobDetailSerializer},
        description=(
            "Queue an import of a CSV or XLSX file (multipart). Limits: IMPORT_MAX_UPLOAD_MB (20 MB by default; "
            "a larger file is a 400 naming `file`), IMPORT_MAX_ROWS rows (200,000), 100 columns, 1,000 characters "
            "a cell, and an XLSX that unpacks to at most IMPORT_MAX_XLSX_UNPACKED_MB (300 MB). A file over a "
            "row, column or unpacking limit fails its job with the reason. When the task queue is unavailable "
            "the job is answered already failed, with the reason."
        ),
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    # The job commits and is sent before the answer, which can then say the queue refused it.
    @transaction.non_atomic_requests
    def import_file(self, request: Request) -> Response:
        self._agency_only()
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = import_job_create(
            tenant=request._request.tenant,
            upload=serializer.validated_data["file"],
            on_duplicate=serializer.validated_data["on_duplicate"],
            dry_run=serializer.validated_data["dry_run"],
            actor=request.user,
        )
        job.refresh_from_db()  # it may have run already (no broker) or failed to queue
        return Response(
            ImportJobDetailSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )


class IpAssetViewSet(viewsets.ModelViewSet):
    serializer_class = IpAssetSerializer
    permission_classes = [permissions.IsAuthenticated, RegistryRolePermission]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # The MSME first: another tenant's (or another member's) is a 404 before anything else.
        msmes = selectors.msmes_visible(user=request.user, role=request._request.role)
        self.msme = get_object_or_404(msmes, pk=kwargs["msme_pk"])

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return IpAsset.objects.none()
        return IpAsset.objects.filter(msme=self.msme).order_by("asset_type", "title")

    def perform_create(self, serializer: IpAssetSerializer) -> None:
        serializer.instance = services.asset_create(
            msme=self.msme, data=dict(serializer.validated_data), actor=self.request.user
        )

    def perform_update(self, serializer: IpAssetSerializer) -> None:
        serializer.instance = services.asset_update(
            asset=serializer.instance, data=dict(serializer.validated_data), actor=self.request.user
        )

    def perform_destroy(self, instance: IpAsset) -> None:
        services.asset_delete(asset=instance, actor=self.request.user)


class ImportJobViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Import jobs: the list has counts only; a job shows its first errors; /errors/ pages through them all."""

    serializer_class = ImportJobSerializer
    # Members are refused (403) as on the import pages, not shown an empty list.
    permission_classes = [permissions.IsAuthenticated, AgencyStaffPermission]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ImportJob.objects.none()
        jobs = ImportJob.objects.order_by("-created_at")
        return jobs.defer("errors") if self.action == "list" else jobs  # up to IMPORT_MAX_ERRORS a job

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return ImportJobDetailSerializer if self.action == "retrieve" else ImportJobSerializer

    @extend_schema(responses=ImportErrorSerializer(many=True))
    @action(detail=True, methods=["get"])
    def errors(self, request: Request, pk: str | None = None) -> Response:
        """The job's stored row errors, a page at a time; `errors_omitted` more were found and not stored."""
        job = self.get_object()
        page = self.paginate_queryset(job.errors)
        response = self.get_paginated_response(ImportErrorSerializer(page, many=True).data)
        response.data["errors_omitted"] = job.errors_omitted
        return response
