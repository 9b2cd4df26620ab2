"""What every answer of the public API gets (docs/api.md): a rate limit per
address, CORS for reads, and ETags with conditional GETs.

The rate limit counts requests per address in fixed windows of a minute in the
database (one atomic upsert per request, `RateCount`), so several app servers
share it. It
reads the address the way the login limits do (allauth's adapter, which
honours AGORA_TRUSTED_PROXY_COUNT). allauth's own limiter is not used here: it
keeps every timestamp under a lock per address, four cache round trips that
also queue a client's parallel requests one behind the other (and it never
limits GETs). Reads are kept in the page cache for the content version, as
anonymous visitors' pages are (any change of public content moves it), and run
inside the settings version's memo scope, so the public components are read
once per process and version (agora.api.kit)."""

import hashlib
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from agora.api.errors import ApiError
from agora.api.models import RateCount
from agora.core import pagecache

PREFIX = "/api/"
READS = ("GET", "HEAD", "OPTIONS")
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, Accept, Accept-Language",
    "Access-Control-Expose-Headers": "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining",
    "Access-Control-Max-Age": "86400",
}


def rate_limited(request: HttpRequest) -> tuple[bool, int, int]:
    """(over the limit, the limit, what is left) for the request's address this minute."""
    limit = settings.AGORA_API_RATE_PER_MINUTE
    if limit <= 0:
        return False, 0, 0
    minute = int(time.time() // 60)
    address = (get_adapter(request).get_client_ip(request) or "unknown")[:64]
    table = RateCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (address, minute, count) VALUES (%s, %s, 1) "
            f"ON CONFLICT (address, minute) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [address, minute],
        )
        used = cursor.fetchone()[0]
        if used == 1:  # this address's first request of the minute: forget the minutes before the last one
            cursor.execute(f"DELETE FROM {table} WHERE address = %s AND minute < %s", [address, minute - 1])
    return used > limit, limit, max(limit - used, 0)


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        read = request.method in READS
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            if request.headers.get("Origin"):
                for header, value in CORS.items():
                    response[header] = value
            return response
        head = request.method == "HEAD"
        if head:  # answered as a GET without its body (ninja's operations know GET only)
            request.method = "GET"
        over, limit, left = rate_limited(request)
        if over:
            response = JsonResponse(
                ApiError(429, "rate_limited", "Too many requests from this address: wait a minute.").body(),
                status=429,
            )
            response["Retry-After"] = str(60 - int(time.time()) % 60)
        elif read:
            # Reads are the same for everyone: served from the page cache for the content
            # version (agora.core.pagecache), as anonymous visitors' pages are.
            with pagecache.memo_scope(getattr(request, "settings_version", None)):
                response = pagecache.page(request, "api", lambda: self.get_response(request))
        else:
            response = self.get_response(request)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            response = JsonResponse(
                ApiError(405, "method_not_allowed", f"Methods allowed here: {allowed}.").body(), status=405
            )
            response["Allow"] = allowed
        if limit:
            response["X-RateLimit-Limit"] = str(limit)
            response["X-RateLimit-Remaining"] = str(left)
        if read:
            for header, value in CORS.items():
                response[header] = value
            if response.status_code == 200 and not response.streaming:
                response = _conditional(request, response)
        if head and not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """An ETag from the body; 304 without the body when the client has it."""
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["Vary"] = "Accept-Language, Origin" if "Vary" not in response else response["Vary"]
    wanted = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in wanted or "*" in wanted:
        not_modified = HttpResponse(status=304)
        for header in ("ETag", "Cache-Control", "Vary", *CORS, "X-RateLimit-Limit", "X-RateLimit-Remaining"):
            if header in response:
                not_modified[header] = response[header]
        return not_modified
    return response
