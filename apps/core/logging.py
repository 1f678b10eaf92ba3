import logging

from apps.core.request_id import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class ClientErrorTracebackFilter(logging.Filter):
    """Keeps a 4xx line but drops its traceback: Django logs a refused request (PermissionDenied, a bad
    request) with the exception attached, which printed a traceback at WARNING for every 403. A traceback
    belongs to errors, where there is something to fix."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and record.levelno < logging.ERROR and (status is None or status < 500):
            record.exc_info = None
            record.exc_text = None
        return True
