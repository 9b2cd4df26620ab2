"""iCalendar feeds (RFC 5545, written by the `icalendar` library): a meeting,
a component, the organization's agenda. A cancelled meeting stays in the feed
with STATUS:CANCELLED (calendars that imported it mark it cancelled instead
of keeping a ghost); each event's UID is stable and its SEQUENCE grows with
each change, so clients update rather than duplicate.

Writing an event with `icalendar` costs about half a millisecond: the agenda's
feed of 2,000 meetings took a second. So each meeting's VEVENT is written once
per version of the meeting and kept (`event_blocks`): keyed by its id, its
`updated_at`, its cancellation, its category, the language and the site's
address, in this process's memo and in the shared cache. A feed is then one
query for what it lists (ids and versions), the blocks from memory or from the
cache in one read, the few missing ones written and stored, and the response
streamed block by block (`feed_response`), never more than `limit` events."""

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from icalendar import Calendar, Event, vText

from agora.components.meetings.models import Meeting
from agora.core.translations import translated

CONTENT_TYPE = "text/calendar; charset=utf-8"
# A cached event is right for its meeting's version; categories renamed since show within a day.
EVENT_SECONDS = 24 * 3600
MEMO_ENTRIES = 20_000
_memo: "OrderedDict[str, bytes]" = OrderedDict()
_zones_memo: dict[frozenset, bytes] = {}
END = b"END:VCALENDAR\r\n"


def _event(meeting: Meeting, base_url: str, host: str) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.local_start)
    event.add("dtend", meeting.local_end)
    event.add("summary", translated(meeting.title))
    description = strip_tags(translated(meeting.description)).strip()
    url = base_url + meeting.get_absolute_url()
    event.add("description", f"{description}\n\n{url}".strip())
    event.add("url", url)
    place = ", ".join(part for part in (translated(meeting.location), meeting.address) if part)
    if place:
        event.add("location", vText(place))
    if meeting.latitude is not None and meeting.longitude is not None:
        event.add("geo", (float(meeting.latitude), float(meeting.longitude)))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("sequence", int(meeting.updated_at.timestamp()) // 60 if meeting.updated_at else 0)
    event.add("last-modified", meeting.updated_at or timezone.now())
    if meeting.category is not None:
        event.add("categories", [translated(meeting.category.name)])
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Agora//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def calendar_bytes(meetings: Iterable[Meeting], *, name: str, organization) -> bytes:
    """A whole calendar in memory (the component's export)."""
    base_url = organization.base_url.rstrip("/")
    host = organization.host
    calendar = _calendar(name)
    zones = set()
    for meeting in meetings:
        zones.add(meeting.time_zone)
        calendar.add_component(_event(meeting, base_url, host))
    if zones:
        calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_response(
    meetings: Iterable[Meeting], *, name: str, organization, filename: str, download: bool = False
) -> HttpResponse:
    response = HttpResponse(calendar_bytes(meetings, name=name, organization=organization), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{filename}"'
    return response


# --- feeds from the kept events ------------------------------------------------------------------


def _key(row: tuple, language: str, base_url: str) -> str:
    pk, updated_at, cancelled_at, category_id, _zone = row
    stamp = f"{pk}|{updated_at.isoformat() if updated_at else ''}|{bool(cancelled_at)}|{category_id}"
    site = hashlib.sha256(f"{language}|{base_url}".encode()).hexdigest()[:16]
    return f"meetings:ics:{site}:{stamp}"


def _remember(key: str, block: bytes) -> None:
    _memo[key] = block
    _memo.move_to_end(key)
    while len(_memo) > MEMO_ENTRIES:
        _memo.popitem(last=False)


def event_blocks(meetings: QuerySet[Meeting], rows: list[tuple], *, organization) -> list[bytes]:
    """The VEVENT of each row (id, updated_at, cancelled_at, category id, zone) in
    order: from this process's memo, else the shared cache (one read), else written
    from `meetings` (the query the rows came from) and stored in both."""
    base_url = organization.base_url.rstrip("/")
    language = translation.get_language() or ""
    keys = [_key(row, language, base_url) for row in rows]
    blocks: dict[str, bytes] = {key: _memo[key] for key in keys if key in _memo}
    missing = [key for key in keys if key not in blocks]
    if missing:
        found = cache.get_many(missing)
        for key, block in found.items():
            blocks[key] = block
            _remember(key, block)
    wanted = {row[0]: key for row, key in zip(rows, keys, strict=True) if key not in blocks}
    if wanted:
        made: dict[str, bytes] = {}
        for meeting in meetings.filter(pk__in=list(wanted)).select_related("component__space", "category"):
            key = wanted[meeting.pk]
            made[key] = _event(meeting, base_url, organization.host).to_ical()
        items = list(made.items())
        for start in range(0, len(items), 500):
            cache.set_many(dict(items[start : start + 500]), EVENT_SECONDS)
        for key, block in items:
            _remember(key, block)
        blocks.update(made)
    return [blocks[key] for key in keys if key in blocks]


def _timezones(zones: frozenset) -> bytes:
    """The VTIMEZONE blocks of these zones (the same for the process's life)."""
    if zones not in _zones_memo:
        calendar = Calendar()
        for zone_name in sorted(zones):
            # A placeholder event in each zone makes icalendar write the zone's block.
            event = Event()
            event.add("dtstart", datetime(2000, 1, 1))
            event["dtstart"].params["TZID"] = zone_name
            calendar.add_component(event)
        calendar.add_missing_timezones()
        _zones_memo[zones] = b"".join(zone.to_ical() for zone in calendar.walk("VTIMEZONE"))
    return _zones_memo[zones]


def feed_response(
    meetings: QuerySet[Meeting], *, name: str, organization, filename: str, limit: int
) -> StreamingHttpResponse:
    """The feed of `meetings` (ordered, at most `limit`), streamed."""
    rows = list(meetings.values_list("pk", "updated_at", "cancelled_at", "category_id", "time_zone")[:limit])
    blocks = event_blocks(meetings, rows, organization=organization)
    zones = frozenset(row[4] for row in rows)
    head = _calendar(name).to_ical()
    head = head[: -len(END)] if head.endswith(END) else head

    def body() -> Iterator[bytes]:
        yield head
        if zones:
            yield _timezones(zones)
        yield from blocks
        yield END

    response = StreamingHttpResponse(body(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
