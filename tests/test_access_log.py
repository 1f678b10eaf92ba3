"""gunicorn's access log writes the secrets some addresses carry as [redacted] (portal/gunicorn_logging.py), and
the Docker image and docker-compose.yml run gunicorn with that logger."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.urls import reverse
from gunicorn.config import Config

from portal.gunicorn_logging import REDACTED, RedactingLogger, redact

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Zx9-secret_Tok3n:abc-def"


def _secret_paths() -> list[str]:
    return [
        reverse("reminders:feed", kwargs={"token": SECRET}),
        reverse("surveys:answer", kwargs={"token": SECRET}),
        reverse("outreach:unsubscribe", kwargs={"token": SECRET}),
        reverse("programmes:mentoring-answer", kwargs={"token": SECRET}),
        reverse("account_confirm_email", kwargs={"key": SECRET}),
        reverse("account_reset_password_from_key", kwargs={"uidb36": "4c", "key": SECRET}),
        "/registry/?token=" + SECRET,
    ]


@pytest.mark.parametrize("path", _secret_paths())
def test_each_secret_in_a_path_is_redacted_and_the_rest_kept(path):
    redacted = redact(path)
    assert SECRET not in redacted and "Tok3n" not in redacted
    assert REDACTED in redacted
    assert redacted.split(REDACTED)[0] == path.split(SECRET)[0].removesuffix("4c-")  # the route stays readable


def test_a_calendar_feed_keeps_its_extension_and_other_paths_are_untouched():
    assert redact("/reminders/calendar/abc123.ics") == f"/reminders/calendar/{REDACTED}.ics"
    for path in ("/registry/?q=token&page=2", "/guidance/patents/", "/surveys/", "/outreach/segments/"):
        assert redact(path) == path


def test_the_logger_redacts_the_request_line_path_query_and_referrer():
    logger = RedactingLogger(Config())
    path = reverse("outreach:unsubscribe", kwargs={"token": SECRET})
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + "?key=" + SECRET,
        "PATH_INFO": path,
        "QUERY_STRING": "key=" + SECRET,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://portal.example" + path,
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=5))
    line = logger.cfg.access_log_format % atoms
    assert SECRET not in line and SECRET not in repr(atoms)
    assert f"GET {path.split(SECRET)[0]}{REDACTED}" in line


def test_the_image_and_compose_run_gunicorn_with_the_redacting_logger():
    option = "portal.gunicorn_logging.RedactingLogger"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r'^CMD \[.*"--logger-class", "' + re.escape(option) + '"', dockerfile, re.M)
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["command"]
    assert f"--logger-class {option}" in web
