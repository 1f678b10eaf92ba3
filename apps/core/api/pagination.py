from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from apps.core.lists import CountedPaginator


class PortalPagination(PageNumberPagination):
    """Every list is paginated; `page_size` may be asked for, up to a cap. A page of a queryset and its count
    are one query (apps.core.lists.CountedPaginator)."""

    django_paginator_class = CountedPaginator
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200

    def kept_page(self, request: Request, page: Page) -> list[Any]:
        """What `paginate_queryset` returns and keeps for the response, for a page read by a kept query
        (apps.core.api.lists.StoredValuesListMixin)."""
        self.request = request
        self.page = page
        if page.paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return list(page)

    def get_page_size(self, request: Request) -> int:
        # DRF quietly falls back to the default for a page size it cannot read; a client that asked for
        # `page_size=ten` should hear why it got 25 rows, as the schema promises an integer from 1.
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError({self.page_size_query_param: [_("Give a whole number from 1.")]})
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = _("Number of results per page (at most %(max)d; more is cut to it).") % {
                    "max": self.max_page_size
                }
        return parameters
