from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from apps.tenants.context import unscoped


class PortalSchemaView(SpectacularAPIView):
    """The OpenAPI schema. Generating it builds each view's queryset to learn its model (never
    evaluating it), which the tenant-scoped manager refuses without a tenant."""

    @extend_schema(**SCHEMA_KWARGS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with unscoped("OpenAPI schema generation reads models, not rows"):
            return super().get(request, *args, **kwargs)
