"""Hooks of the meetings manifest: statistics, exports (CSV and iCalendar),
search, open data, the dashboard's cards and the demo seed. None of them reads
a hidden, private or unpublished meeting, nor anything personal."""

import io
from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agora import permissions
from agora.components.meetings import calendars, seeds, selectors
from agora.components.meetings.models import Meeting, Registration
from agora.components.registry import UpcomingItem
from agora.core.attention import Item
from agora.core.csvfiles import SafeWriter
from agora.core.translations import translated
from agora.questionnaires import exports as questionnaire_exports
from agora.questionnaires import selectors as questionnaire_selectors
from agora.statistics import api as statistics


def _iso(value):
    return value.isoformat() if value else None


def stats(component):
    meetings = Meeting.objects.filter(component=component).public().visible()
    now = timezone.now()
    figures = meetings.aggregate(
        total=Count("id"),
        held=Count("id", filter=Q(ends_at__lte=now, cancelled_at__isnull=True)),
        upcoming=Count("id", filter=Q(ends_at__gt=now, cancelled_at__isnull=True)),
        registered=Sum("registered_count"),
        attendees=Sum("attendee_count"),
    )
    return [
        (_("Meetings"), figures["total"] or 0),
        (_("Meetings held"), figures["held"] or 0),
        (_("Upcoming meetings"), figures["upcoming"] or 0),
        (_("Registrations"), figures["registered"] or 0),
        (_("Attendees"), figures["attendees"] or 0),
    ]


COLUMNS = [
    "id",
    "title",
    "type",
    "address",
    "starts_at",
    "ends_at",
    "time_zone",
    "category",
    "scope",
    "cancelled",
    "places",
    "registered",
    "attendees",
    "url",
]


def export_csv(component):
    """The public meetings (no personal data)."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(COLUMNS)
    for meeting in selectors.public_meetings(component):
        writer.writerow(
            [
                meeting.pk,
                translated(meeting.title),
                meeting.kind,
                meeting.address,
                meeting.local_start.isoformat(),
                meeting.local_end.isoformat(),
                meeting.time_zone,
                translated(meeting.category.name) if meeting.category else "",
                translated(meeting.scope.name) if meeting.scope else "",
                int(meeting.is_cancelled),
                meeting.public_places if meeting.public_places is not None else "",
                meeting.registered_count,
                meeting.attendee_count if meeting.attendee_count is not None else "",
                meeting.get_absolute_url(),
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meetings-{component.pk}.csv"'
    return response


def export_ics(component):
    return calendars.calendar_response(
        selectors.public_meetings(component),
        name=str(component),
        organization=component.space.organization,
        filename=f"meetings-{component.pk}.ics",
        download=True,
    )


def open_data_meetings(component):
    for meeting in selectors.public_meetings(component):
        yield {
            "id": meeting.pk,
            "title": dict(meeting.title or {}),
            "description": dict(meeting.description or {}),
            "type": meeting.kind,
            "address": meeting.address,
            "latitude": float(meeting.latitude) if meeting.latitude is not None else None,
            "longitude": float(meeting.longitude) if meeting.longitude is not None else None,
            "starts_at": meeting.local_start.isoformat(),
            "ends_at": meeting.local_end.isoformat(),
            "time_zone": meeting.time_zone,
            "category": translated(meeting.category.name) if meeting.category else None,
            "scope": translated(meeting.scope.name) if meeting.scope else None,
            "services": ",".join(meeting.services or []),
            "cancelled": meeting.is_cancelled,
            "places": meeting.public_places,
            "registered": meeting.registered_count,
            "attendees": meeting.attendee_count,
            "minutes": dict(meeting.minutes or {}),
            "ideas": sorted(p.pk for p in meeting.proposals.all()),
            "url": meeting.get_absolute_url(),
        }


def search(component):
    return [
        (
            translated(meeting.title),
            strip_tags(
                " ".join((translated(meeting.description), meeting.address, translated(meeting.minutes)))
            ).strip(),
            meeting.get_absolute_url(),
        )
        for meeting in selectors.public_meetings(component)
    ]


def attention(components, user) -> list[Item]:
    """Meetings that took place more than a day ago without minutes."""
    managed = [c for c in components if permissions.can(user, "meetings.manage", c)]
    if not managed:
        return []
    now = timezone.now()
    counts = dict(
        Meeting.objects.filter(
            component__in=managed,
            published_at__isnull=False,
            cancelled_at__isnull=True,
            closed_at__isnull=True,
            ends_at__lte=now - timedelta(days=1),
        )
        .values("component_id")
        .annotate(n=Count("id"))
        .values_list("component_id", "n")
    )
    return [
        Item(
            ngettext("meeting held without minutes", "meetings held without minutes", counts.get(c.pk, 0)),
            counts.get(c.pk, 0),
            c.get_admin_url(),
            f"{translated(c.space.title)} › {c}",
            "calendar",
        )
        for c in managed
    ]


def participation(component):
    """Every registration made here (a place or the waiting list; one cancelled later was made too)."""
    rows = (
        Registration.objects.filter(meeting__component=component, user__isnull=False)
        .values_list("created_at", "user_id")
        .iterator(chunk_size=5000)
    )
    for created_at, user_id in rows:
        yield statistics.Event(statistics.REGISTRATION, statistics.ONLINE, timezone.localdate(created_at), user_id)


def participant_ids(components):
    """Who registered for a meeting of these components."""
    return Registration.objects.filter(meeting__component__in=components, user__isnull=False).values_list(
        "user_id", flat=True
    )


def upcoming(components):
    """Public meetings of public components still to start, not cancelled (a newsletter announces them)."""
    meetings = (
        Meeting.objects.filter(
            component__in=[component for component in components if component.is_public],
            starts_at__gt=timezone.now(),
            cancelled_at__isnull=True,
        )
        .public()
        .visible()
        .select_related("component__space")
        .order_by("starts_at", "pk")
    )
    return [
        UpcomingItem(f"meetings.Meeting:{meeting.pk}", meeting.title, meeting.starts_at, meeting.get_absolute_url())
        for meeting in meetings
    ]


def seed(component):
    seeds.seed(component)


def personal_data(person):
    """The person's registrations to meetings, with their codes ("download my data")."""
    yield (
        "registrations",
        Registration.objects.filter(user=person)
        .order_by("pk")
        .values(
            "meeting_id", "meeting__title", "status", "code", "created_at", "promoted_at", "cancelled_at", "attended_at"
        ),
    )
    yield "registration_answers", _registration_answers(person)


def _registration_answers(person):
    """What the person answered to the registration forms of meetings, one row per
    question as the staff's export flattens them (the questions of the form they
    answered, even if the meeting's form changed since); their own answers only."""
    registrations = list(
        Registration.objects.filter(user=person, answer_set__isnull=False)
        .select_related("answer_set__questionnaire")
        .order_by("pk")
    )
    answers = questionnaire_exports.answers_of(registration.answer_set_id for registration in registrations)
    for registration in registrations:
        questionnaire = registration.answer_set.questionnaire
        given = answers.get(registration.answer_set_id, {})
        for title, cell in questionnaire_exports.columns(questionnaire_selectors.questions_of(questionnaire)):
            yield {"meeting_id": registration.meeting_id, "question": title, "answer": cell(given)}
