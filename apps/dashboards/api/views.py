"""/api/v1/stats/: the dashboards' tables as JSON, for the same people as the page and with the same figures
(an agency its own tenant's, with the page's filters; a division analyst its countries', suppressed)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.policies import PolicyPermission
from apps.dashboards import exports, selectors
from apps.dashboards.forms import AgencyFilterForm
from apps.dashboards.policies import is_agency_staff
from apps.dashboards.tables import (
    ASSET_BREAKDOWNS,
    BREAKDOWNS,
    DIVISION_BREAKDOWNS,
    DIVISION_BY_SLUG,
    MONTHS_SLUG,
)

FILTERS = [
    OpenApiParameter("registered_from", OpenApiTypes.STR, description="YYYY-MM (agency staff only)"),
    OpenApiParameter("registered_to", OpenApiTypes.STR, description="YYYY-MM (agency staff only)"),
    OpenApiParameter("region", OpenApiTypes.STR, description="ISO 3166-2 code (agency staff only)"),
    OpenApiParameter("sector", OpenApiTypes.STR, description="ISIC section letter (agency staff only)"),
    OpenApiParameter("size", OpenApiTypes.STR, description="micro, small, medium or large (agency staff only)"),
]


class StatsIndexView(APIView):
    """The tables the caller may read, with their addresses."""

    permission_classes = [PolicyPermission]
    policy = "dashboards.view"

    @extend_schema(summary="Statistics: the tables", operation_id="stats_tables", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        if is_agency_staff(request.actor):
            activity = [t.slug for t in selectors.agency_figure_tables(request.tenant)]
            slugs = [MONTHS_SLUG, *(b.slug for b in (*BREAKDOWNS, *ASSET_BREAKDOWNS)), *activity]
        else:
            slugs = [b.slug for b in DIVISION_BREAKDOWNS]
        tables = [{"table": slug, "url": reverse("api:stats-table", args=[slug])} for slug in slugs]
        return Response({"tables": tables})


class StatsTableView(APIView):
    """One table: an agency's own figures (filtered as the page is), or a division's countries side by side
    with counts under 5 as "<5" and those that would reveal one withheld."""

    permission_classes = [PolicyPermission]
    policy = "dashboards.view"

    @extend_schema(
        summary="Statistics: one table", operation_id="stats_table", parameters=FILTERS, responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request, table: str) -> Response:
        if not is_agency_staff(request.actor):
            breakdown = DIVISION_BY_SLUG.get(table)
            if breakdown is None:
                raise Http404
            view = selectors.division_view(request.actor)
            return Response(exports.division_json(view, table, str(breakdown.heading), str(breakdown.title)))
        form = AgencyFilterForm(request.query_params or None, country=request.tenant.country)
        if form.is_bound and not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        lookups: dict[str, Any] = form.filters() if form.is_bound else {}
        counted_at = selectors.last_counted()
        if table == MONTHS_SLUG:
            return Response(exports.months_json(selectors.registrations_by_month(lookups), counted_at))
        found = selectors.agency_table(request.tenant, table, lookups)
        if found is None:
            raise Http404
        return Response(exports.table_json(found, counted_at))
