from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from apps.core.request_id import current_request_id, new_request_id


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.id = new_request_id(request.headers.get("X-Request-ID"))
        # Not reset here: Django logs the response ("Not Found: ...") after the middleware
        # returns; request_finished resets it.
        current_request_id.set(request.id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response
