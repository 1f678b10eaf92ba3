"""API list views that read a page as stored values when their serializer allows it.

A list of model rows costs a model instance per row (and per related row) before the serializer reads a
single value: a fifth of an API list's time. When every field of the serializer's row plan
(apps.core.api.serializers.row_plan) is a stored column, reached through keys that are never null, the page
is read with `values_list` instead and each row's dict is made from the values: the same JSON, without
the instances (tests/test_api_row_plan.py compares the two). Otherwise the list is DRF's own.

A column of a related row (`sector_isic__title`) is read by a subquery rather than a join
(apps.core.lists.related_column), so the page's count reads the list's own table alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.pagination import PortalPagination
from apps.core.api.serializers import RowPlanMixin, plan_for, rows_from_values, stored_paths
from apps.core.lists import CountedPaginator, kept_pages, related_column


class StoredValuesListMixin:
    """For a viewset's `list`: the page read as stored values (see the module); `get_serializer_class()`
    must give a `TenantModelSerializer` (a RowPlanMixin) for it, else DRF's list runs.

    `keep_page_query = True`: the page's query is kept for the same request (apps.core.lists.KeptPages), for a
    viewset whose list depends on nothing but what `KeptPages.key` names (the query string, the tenant, the
    user and their role, the language)."""

    keep_page_query = False

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer_class = self.get_serializer_class()  # type: ignore[attr-defined]
        paths = None
        if issubclass(serializer_class, RowPlanMixin) and serializer_class.row_plan is not False:
            plan = plan_for(serializer_class)
            paths = stored_paths(plan)
        if paths is None:
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        pagination = self.paginator  # type: ignore[attr-defined]
        key = None
        if self.keep_page_query and isinstance(pagination, PortalPagination):
            page_size = pagination.get_page_size(request)
            key = kept_pages.key(request._request, type(self), page_size, None, ())
            found = None
            if key is not None:
                rebuild = lambda: self._stored_values(paths)  # noqa: E731 (read only to check the kept query)
                found = kept_pages.read(key, CountedPaginator([], page_size), rebuild=rebuild)
            if found is not None:
                page = pagination.kept_page(request, found[0])
                return self.get_paginated_response(rows_from_values(plan, page))  # type: ignore[attr-defined]
        queryset = self._stored_values(paths)
        page = self.paginate_queryset(queryset)  # type: ignore[attr-defined]
        if page is None:
            return Response(rows_from_values(plan, queryset))
        if key is not None:
            kept_pages.keep(key, pagination.page.paginator, pagination.page)
        return self.get_paginated_response(rows_from_values(plan, page))  # type: ignore[attr-defined]

    def _stored_values(self, paths: Sequence[str]) -> QuerySet:
        return with_related_columns(self.filter_queryset(self.get_queryset()), paths)  # type: ignore[attr-defined]


def with_related_columns(queryset: QuerySet, paths: Sequence[str]) -> QuerySet:
    """`queryset.values_list(*paths)`, with the columns of related rows read by subqueries (see the module)."""
    names, subqueries = [], {}
    for position, path in enumerate(paths):
        subquery = related_column(queryset.model, path)
        if subquery is None:
            names.append(path)
        else:
            names.append(f"_related_{position}")
            subqueries[names[-1]] = subquery
    if subqueries:
        queryset = queryset.annotate(**subqueries)
    return queryset.values_list(*names)
