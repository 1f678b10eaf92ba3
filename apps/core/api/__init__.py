from __future__ import annotations

from django.http import HttpRequest

API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    """Under /api/: answers, errors included, are JSON for programs, never an HTML page."""
    return request.path.startswith(API_PREFIX)
