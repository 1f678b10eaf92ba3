"""gunicorn's access log without the secrets some addresses carry.

A member's calendar feed, the signed links of survey answers, unsubscribes and mentors' answers, and the
e-mailed keys that confirm an address or reset a password are secrets in the path itself: whoever reads the
access log could use them. `RedactingLogger` writes them as `[redacted]` wherever an access log line could show
them (the request line, the path, the query string, the referrer, the environ's and headers' copies);
everything else is gunicorn's own access log. The Docker image and
docker-compose.yml run gunicorn with `--logger-class portal.gunicorn_logging.RedactingLogger`.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# The path segment after each of these is the secret (a calendar token keeps its ".ics").
SECRET_PATHS = re.compile(
    r"(?P<before>/(?:reminders/calendar|surveys/answer|unsubscribe|mentoring/answer|accounts/confirm-email"
    r"|accounts/password/reset/key)/)(?P<secret>[^/?#\s]+?)(?P<after>\.ics)?(?=[/?#\s]|$)"
)
SECRET_PARAMETERS = re.compile(r"(?P<before>(?:^|[?&])(?:token|key|signature)=)[^&#\s]+", re.IGNORECASE)


def redact(text: str | None) -> str | None:
    """`text` (a path, a request line, a query string, a referrer) with its secrets replaced."""
    if not text:
        return text
    text = SECRET_PATHS.sub(lambda m: f"{m['before']}{REDACTED}{m['after'] or ''}", text)
    return SECRET_PARAMETERS.sub(lambda m: f"{m['before']}{REDACTED}", text)


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        # Every text atom: a format may name the environ's or the headers' copies of the path too.
        atoms = super().atoms(resp, req, environ, request_time)
        return {name: redact(value) if isinstance(value, str) else value for name, value in atoms.items()}
