"""The request id: taken from X-Request-ID when it looks sane, otherwise made; logged with every line."""

import re
import uuid
from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")
_SANE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def new_request_id(incoming: str | None) -> str:
    if incoming and _SANE.match(incoming):
        return incoming
    return uuid.uuid4().hex


def reset_request_id(**kwargs: object) -> None:
    current_request_id.set("-")
