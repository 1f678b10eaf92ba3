"""The API's exception handler (settings REST_FRAMEWORK["EXCEPTION_HANDLER"]): core's JSON error answers,
and the request's transaction rolled back when an exception became one."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response

from apps.core.api.exceptions import portal_exception_handler
from apps.tenants.middleware import roll_back_request


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = portal_exception_handler(exc, context)
    if response is not None:
        # DRF rolls back only under ATOMIC_REQUESTS; the request's transaction is TenantMiddleware's.
        request = getattr(context.get("request"), "_request", None)
        if request is not None:
            roll_back_request(request)
    return response
