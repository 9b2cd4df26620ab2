"""Page views counted by the server, without cookies, third parties or anything
about the visitor (docs/statistics.md, "Visits").

Each process adds the pages it serves to a small table in memory, per
organization, space and day, and writes it to `DailyVisits` at most every
FLUSH_SECONDS (one upsert of a few rows, in the request that finds the table
old enough, after its response is built), and when the process exits. Several
processes and machines add their own counts (the upsert adds), so nothing
assumes one process; what a process that is killed had not written yet (at
most FLUSH_SECONDS of views) is lost, which page-view counts can afford. A page
costs a dictionary update under a lock.

Counted: GET requests answered 200 with an HTML page, outside the back-office,
the system screens, static files and media, that are not HTMX fragments,
prefetches or robots. A *visit* is a view that did not come from a page of
the same site (no Referer of the same host): the first page of a visit."""

import atexit
import functools
import re
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from agora.core.models import Organization
from agora.spaces.models import Space
from agora.statistics.models import DailyVisits

FLUSH_SECONDS = 10
SKIPPED_PREFIXES = ("/admin/", "/system/", "/static/", "/media/", "/i18n/", "/accounts/", "/geocode/")
SPACE_PATH = re.compile(r"^/(processes|assemblies)/([-\w]+)/")
KINDS = {"processes": Space.Kind.PROCESS, "assemblies": Space.Kind.ASSEMBLY}

_lock = threading.Lock()
_pending: dict[tuple[int, str, str, object], list[int]] = {}
_last_flush = [time.monotonic()]


ROBOT_WORDS = ("bot", "crawl", "spider", "slurp", "preview", "monitor", "curl", "wget", "python-", "headless")
_today: list = [0.0, None]  # (until when, in monotonic seconds; the day): the date is read twice a minute


@functools.lru_cache(maxsize=512)
def is_robot(agent: str) -> bool:
    """A user agent that says it is a robot, a tool or a link preview (kept per agent string:
    browsers send a few strings, over and over)."""
    lowered = agent.lower()
    return not lowered or any(word in lowered for word in ROBOT_WORDS)


def _day():
    now = time.monotonic()
    if now >= _today[0]:
        _today[:] = [now + 30, timezone.localdate()]
    return _today[1]


def counted(request, response) -> bool:
    """Read from `request.META` (not `request.headers`, built at its first use) and cached:
    a page pays a few microseconds."""
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if request.path.startswith(SKIPPED_PREFIXES):
        return False
    meta = request.META
    if meta.get("HTTP_HX_REQUEST") or "prefetch" in meta.get("HTTP_SEC_PURPOSE", meta.get("HTTP_PURPOSE", "")):
        return False
    return not is_robot(meta.get("HTTP_USER_AGENT", ""))


def note(request) -> None:
    """Count the page `request` was answered with."""
    organization = getattr(request, "organization", None)
    if organization is None:
        return
    match = SPACE_PATH.match(request.path)
    kind, slug = (KINDS[match.group(1)], match.group(2)) if match else ("", "")
    referrer = request.META.get("HTTP_REFERER", "")
    # A view from a page of the same host is not a new visit (the host as sent: only compared).
    host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    entry = 0 if referrer and urlsplit(referrer).netloc == host else 1
    key = (organization.pk, kind, slug, _day())
    with _lock:
        counts = _pending.get(key)
        if counts is None:
            _pending[key] = [1, entry]
        else:
            counts[0] += 1
            counts[1] += entry
    if time.monotonic() - _last_flush[0] >= getattr(settings, "AGORA_VISITS_FLUSH_SECONDS", FLUSH_SECONDS):
        flush()


def flush() -> None:
    """Write what this process counted (one upsert; the spaces named by the paths looked up in one query)."""
    with _lock:
        taken = dict(_pending)
        _pending.clear()
        _last_flush[0] = time.monotonic()
    if not taken:
        return
    # Organizations deleted meanwhile (and, in tests, rolled back) are left out.
    existing = set(Organization.objects.filter(pk__in={key[0] for key in taken}).values_list("pk", flat=True))
    taken = {key: counts for key, counts in taken.items() if key[0] in existing}
    if not taken:
        return
    slugs = {(organization_id, kind, slug) for organization_id, kind, slug, _day in taken if slug}
    spaces = {}
    if slugs:
        found = Space.objects.filter(
            organization_id__in={key[0] for key in slugs}, slug__in={key[2] for key in slugs}
        ).values_list("organization_id", "kind", "slug", "pk")
        spaces = {(organization_id, kind, slug): pk for organization_id, kind, slug, pk in found}
    rows: dict[tuple, list[int]] = {}
    for (organization_id, kind, slug, day), (views, visits) in taken.items():
        row_key = (organization_id, spaces.get((organization_id, kind, slug), 0), day)
        total = rows.setdefault(row_key, [0, 0])
        total[0] += views
        total[1] += visits
    table = DailyVisits._meta.db_table
    items = sorted(rows.items())
    params: list = []
    for (organization_id, space_id, day), (views, visits) in items:
        params += [organization_id, space_id, day, views, visits]
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(items))
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO {table} (organization_id, space_id, "day", views, visits) VALUES {values} '
                f'ON CONFLICT (organization_id, space_id, "day") DO UPDATE SET '
                f"views = {table}.views + excluded.views, visits = {table}.visits + excluded.visits",
                params,
            )
    except Exception:  # noqa: BLE001  (counting views never breaks a page; they are put back for the next flush)
        with _lock:
            for pending_key, (views, visits) in taken.items():
                counts = _pending.setdefault(pending_key, [0, 0])
                counts[0] += views
                counts[1] += visits


def forget() -> None:
    """For tests: drop what is counted and not written."""
    with _lock:
        _pending.clear()


class VisitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if counted(request, response):
            note(request)
        return response


def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:  # noqa: BLE001  (the database may be gone at exit)
        pass


atexit.register(_flush_at_exit)
