"""/api/v1/stories/: the published success stories of every agency, filtered by `sector`, `country`, `ip` and
`topic`; public."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.policies import PublicAccess
from apps.stories import selectors
from apps.stories.api.serializers import StoryQuerySerializer, StorySerializer
from apps.stories.models import Story


class StoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StorySerializer
    permission_classes = [PublicAccess]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Story.objects.none()
        query = StoryQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return selectors.published(
            sector=data.get("sector", "").upper(),
            country=data.get("country", ""),
            ip=data.get("ip", ""),
            topic=data.get("topic", ""),
        )

    @extend_schema(parameters=[StoryQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.get_queryset()
        with selectors.reading_published():
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        story = selectors.published_story(kwargs["pk"])
        if story is None:
            raise NotFound()
        return Response(self.get_serializer(story).data)
