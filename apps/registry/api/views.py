from __future__ import annotations

from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import filters, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.lists import StoredValuesListMixin
from apps.core.policies import PolicyPermission
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


class NamedSearchFilter(filters.SearchFilter):
    """DRF's search, whose 400 (a NUL character) names the `search` parameter like every other error."""

    def get_search_terms(self, request: Request) -> list[str]:
        try:
            return super().get_search_terms(request)
        except ValidationError as exc:
            raise ValidationError({self.search_param: exc.detail}) from exc


class MsmeViewSet(StoredValuesListMixin, viewsets.ModelViewSet):
    serializer_class = MsmeSerializer
    # Checked before the body is read: a member's create is 403, whatever they sent.
    permission_classes = [PolicyPermission]
    policy = {
        "list": "registry.view_msme",
        "retrieve": "registry.view_msme",
        "deadlines": "registry.view_msme",
        "create": "registry.create_msme",
        "update": "registry.edit_msme",
        "partial_update": "registry.edit_msme",
        "destroy": "registry.delete_msme",
        "import_file": "registry.import_msmes",
    }
    # Ordering comes from the FilterSet's `ordering`, the same as on the page.
    filter_backends = [DjangoFilterBackend, NamedSearchFilter]
    filterset_class = MsmeFilterSet
    search_fields = ["name", "registration_number"]
    # The list's query depends only on the query string, the tenant and the actor's role (and user, for a member).
    keep_page_query = True

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no tenant
            return Msme.objects.none()
        return selectors.msmes_visible(self.request.actor)

    def perform_create(self, serializer: MsmeSerializer) -> None:
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
    permission_classes = [PolicyPermission]
    policy = {
        "list": "registry.view_asset",
        "retrieve": "registry.view_asset",
        "create": "registry.edit_asset",
        "update": "registry.edit_asset",
        "partial_update": "registry.edit_asset",
        "destroy": "registry.edit_asset",
    }

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # The MSME first: another tenant's (or another member's) is a 404 before anything else.
        rule = "registry.view_msme" if request.method in {"GET", "HEAD", "OPTIONS"} else "registry.edit_msme"
        self.msme = get_object_or_404(selectors.msmes_visible(request.actor, rule=rule), pk=kwargs["msme_pk"])

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return IpAsset.objects.none()
        return IpAsset.objects.filter(msme=self.msme).order_by("asset_type", "title")

    def check_object_permissions(self, request: Request, obj: IpAsset) -> None:
        obj.msme = self.msme  # the asset's rule asks about its MSME, already loaded
        super().check_object_permissions(request, obj)

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
    permission_classes = [PolicyPermission]
    policy = "registry.import_msmes"

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
