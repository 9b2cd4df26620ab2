"""iCalendar feeds (RFC 5545, written by the `icalendar` library): a meeting,
a component, the organization's agenda. A cancelled meeting stays in the feed
with STATUS:CANCELLED (calendars that imported it mark it cancelled instead
of keeping a ghost); each event's UID is stable and its SEQUENCE grows with
each change, so clients update rather than duplicate."""

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event, vText

from agora.components.meetings.models import Meeting
from agora.core.translations import translated


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


def calendar_bytes(meetings: Iterable[Meeting], *, name: str, organization) -> bytes:
    base_url = organization.base_url.rstrip("/")
    host = organization.host
    calendar = Calendar()
    calendar.add("prodid", "-//Agora//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
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
    response = HttpResponse(
        calendar_bytes(meetings, name=name, organization=organization), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{filename}"'
    return response
