from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

from apps.core.compression import gzip_page
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


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


class PageGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, whose whole (not streamed) responses are compressed by apps.core.compression:
    the same headers (Vary, a weak ETag, Content-Length), the same rules (not under 200 bytes, not when
    already encoded, only when shorter). Streamed responses take Django's own path."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.streaming or len(response.content) < 200 or response.has_header("Content-Encoding"):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if not _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = gzip_page(response.content, self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
