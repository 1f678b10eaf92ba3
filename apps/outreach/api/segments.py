"""The segments API: /api/v1/segments/ (agency staff; the same rules, checks and services as the pages).

`filters` is an object of filter names and lists of values, as the registry list's query string
(`{"size_class": ["micro", "small"], "exports": ["true"]}`); a bad one is a 400 naming the filter under
`filters`. `GET /api/v1/segments/{id}/count/` counts the MSMEs the segment selects.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.core.api.lists import StoredValuesListMixin
from apps.core.api.serializers import StrictCharField, TenantModelSerializer
from apps.core.policies import PolicyPermission
from apps.outreach import segment_services
from apps.outreach.models import Segment
from apps.outreach.segments import segment_count, segment_filters, segment_msmes, segments_visible


class SegmentSerializer(TenantModelSerializer):
    row_plan = True
    # Text as JSON text only: a number for the name or the description is a 400, as the schema says.
    serializer_field_mapping = {
        **TenantModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }
    filters = serializers.JSONField(
        required=False,
        help_text="Filter names and their values, as the registry list's query string: "
        '{"size_class": ["micro"], "language": ["fr"], "interest": ["exports"], "has_assets": ["true"]}.',
    )

    class Meta:
        model = Segment
        fields = ["id", "name", "description", "filters", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate_filters(self, value: Any) -> dict[str, list[str]]:
        stored, errors = segment_filters(value)
        if errors:
            raise serializers.ValidationError(errors)
        return stored


class SegmentCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="The MSMEs the segment selects.")
    consenting = serializers.IntegerField(help_text="Of them, those who consent to outreach.")


class SegmentViewSet(StoredValuesListMixin, viewsets.ModelViewSet):
    serializer_class = SegmentSerializer
    permission_classes = [PolicyPermission]
    policy = "outreach.manage_segments"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no tenant
            return Segment.objects.none()
        return segments_visible(self.request.actor)

    def perform_create(self, serializer: SegmentSerializer) -> None:
        serializer.instance = segment_services.segment_create(
            data=dict(serializer.validated_data), actor=self.request.user
        )

    def perform_update(self, serializer: SegmentSerializer) -> None:
        serializer.instance = segment_services.segment_update(
            segment=serializer.instance, data=dict(serializer.validated_data), actor=self.request.user
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            segment_services.segment_delete(segment=self.get_object(), actor=request.user)
        except DjangoValidationError as error:
            # A campaign chose its recipients with it: a conflict with the data, not a bad request.
            return Response({"detail": error.messages[0]}, status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=SegmentCountSerializer)
    @action(detail=True, methods=["get"])
    def count(self, request: Request, pk: str | None = None) -> Response:
        """The MSMEs the segment selects, counted exactly (one segment), and those of them who consent."""
        segment = self.get_object()
        consenting = segment_msmes(segment).order_by().filter(consent_outreach=True).count()
        data = {"count": segment_count(segment), "consenting": consenting}
        return Response(SegmentCountSerializer(data).data)


def register(router: SimpleRouter) -> None:
    """Add this module's viewsets to the outreach router."""
    router.register("segments", SegmentViewSet, basename="segment")
