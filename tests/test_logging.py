"""The request id: honoured or made, returned, and on every log line (JSON in production)."""

import json
import logging

import pytest
from pythonjsonlogger.json import JsonFormatter

from apps.core.logging import RequestIdFilter
from apps.core.request_id import current_request_id, new_request_id

pytestmark = pytest.mark.django_db


def test_a_sane_incoming_request_id_is_kept_and_returned(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123.def_4")
    assert response["X-Request-ID"] == "abc-123.def_4"


@pytest.mark.parametrize("incoming", [None, "", "has spaces", "x" * 65, "inject\nnewline"])
def test_an_absent_or_odd_request_id_is_replaced(client, incoming):
    headers = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}
    response = client.get("/healthz", **headers)
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_each_request_gets_its_own_id(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_log_records_carry_the_request_id_as_json():
    record = logging.LogRecord("portal", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    token = current_request_id.set(new_request_id("req-42"))
    try:
        assert RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)
    formatter = JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )
    line = json.loads(formatter.format(record))
    assert line["message"] == "hello world" and line["request_id"] == "req-42" and line["level"] == "INFO"


def test_the_request_id_is_in_the_log_of_a_request(client):
    """Django logs "Not Found" after the middleware has returned: the id must still be there."""
    seen: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.addFilter(RequestIdFilter())
    handler.emit = seen.append
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-me")
    finally:
        logger.removeHandler(handler)
    assert [record.request_id for record in seen] == ["trace-me"]
    assert current_request_id.get() == "-"  # reset once the request finished


def _console_output_of(request_it) -> str:
    """What the console handler of Django's loggers printed while `request_it()` ran."""
    import io

    handler = next(h for h in logging.getLogger("django").handlers if isinstance(h, logging.StreamHandler))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        request_it()
    finally:
        handler.setStream(previous)
    return stream.getvalue()


def test_a_refused_request_is_one_warning_line_without_a_traceback(client, login_as, tenant_a):
    from apps.core.roles import Role

    login_as(Role.MSME_MEMBER, tenant_a)
    output = _console_output_of(lambda: client.get("/registry/"))
    assert "Forbidden" in output and "WARNING" in output
    assert "Traceback" not in output


def test_an_error_keeps_its_traceback():
    from apps.core.logging import ClientErrorTracebackFilter

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), sys.exc_info()
        )
    record.status_code = 500
    assert ClientErrorTracebackFilter().filter(record)
    assert record.exc_info is not None
