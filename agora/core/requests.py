"""The request id: one short string per request, in every log record of the
request (RequestIdFilter), in the `X-Request-ID` response header and on the
error pages, so that a person quoting it on the phone leads to the log lines.

The reverse proxy's id is kept when it sent a plausible one (letters, digits
and `._:-`, 8 to 128 characters: nothing that could forge a log line);
otherwise one is made."""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("agora_request_id", default="-")


def current_request_id() -> str:
    return _current.get()


def request_id_from(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _VALID.fullmatch(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE: every response, error pages included, carries the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request)
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record ("-" outside a request)."""

    def filter(self, record):
        record.request_id = _current.get()
        return True
