"""The API's JSON parser: bounded in size and in nesting, so hostile bodies are a 400/413, never a 500."""

from __future__ import annotations

import io
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

# Far deeper than any request the API takes (an assessment is three levels), far below Python's recursion
# limit: what is parsed must also survive validation and json.dumps into a JSONField without recursing.
MAX_JSON_DEPTH = 32


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(_("The request body is too large: at most %(limit)d bytes.") % {"limit": limit})


def json_depth_exceeds(data: Any, limit: int) -> bool:
    """Whether `data` (parsed JSON) nests lists and objects more than `limit` deep; without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class PortalJSONParser(JSONParser):
    """DRF's JSONParser with the body capped at DATA_UPLOAD_MAX_MEMORY_SIZE (DRF reads the stream itself, past
    Django's cap) and the nesting at MAX_JSON_DEPTH (100,000 brackets otherwise raise RecursionError)."""

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestTooLarge(limit)
        too_deep = _("JSON parse error - nested deeper than %(limit)d levels.") % {"limit": MAX_JSON_DEPTH}
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise ParseError(too_deep) from None
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(too_deep)
        return data
