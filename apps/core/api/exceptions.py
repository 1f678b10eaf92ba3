"""API errors as JSON that names the field; never an HTML 500 page for bad input."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def portal_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The error's JSON answer. The request's transaction is rolled back by the handler that settings name,
    apps.tenants.api_errors.exception_handler, which wraps this one (the transaction is the tenants app's)."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    if isinstance(exc, IntegrityError):
        # A race past the serializer's own checks (two requests at once): a conflict, not a 500.
        return Response(
            {"detail": "The request conflicts with data stored meanwhile; reload and try again."},
            status=status.HTTP_409_CONFLICT,
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == status.HTTP_400_BAD_REQUEST and isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    return response
