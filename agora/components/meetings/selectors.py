"""Reads of the meetings component: a component's list, one meeting with its
agenda, a person's registration, the officers' lists, and the organization's
global agenda (every public meeting of every public space) with its month
grid. Hidden meetings (moderation) are left out of every public read."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.components.meetings.models import AgendaItem, Meeting, MeetingQuerySet, Registration
from agora.components.meetings.rules import is_invited
from agora.components.meetings.services import ONLINE_LINK_BEFORE
from agora.components.models import Component
from agora.components.proposals import api as proposals_api
from agora.core.formats import long_date
from agora.core.models import Organization
from agora.core.translations import translated

WHEN = ("upcoming", "past")


def _filtered(
    meetings: MeetingQuerySet,
    *,
    when: str = "",
    kind: str = "",
    category_id: int | None = None,
    scope_id: int | None = None,
    space_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> MeetingQuerySet:
    now = now or timezone.now()
    if when == "upcoming":
        meetings = meetings.upcoming(now)
    elif when == "past":
        meetings = meetings.past(now)
    if kind:
        meetings = meetings.filter(kind=kind)
    if category_id:
        meetings = meetings.filter(Q(category_id=category_id) | Q(category__parent_id=category_id))
    if scope_id:
        meetings = meetings.filter(scope_id=scope_id)
    if space_id:
        meetings = meetings.filter(component__space_id=space_id)
    zone = timezone.get_current_timezone()
    if start:
        meetings = meetings.filter(ends_at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end:
        meetings = meetings.filter(starts_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))
    if when == "past":
        return meetings.order_by("-starts_at", "-id")
    return meetings.order_by("starts_at", "id")


def meetings_for(component: Component, user: User | AnonymousUser, **filters: Any) -> QuerySet[Meeting]:
    """The meetings of a component a person sees: public and transparent ones,
    private ones they are invited to (all of them for the officers)."""
    meetings = Meeting.objects.filter(component=component).published().visible()
    if not permissions.can(user, "meetings.manage", component):
        if getattr(user, "is_authenticated", False):
            person = cast(User, user)
            meetings = meetings.filter(
                ~Q(visibility=Meeting.Visibility.PRIVATE)
                | Q(invitations__user=person)
                | Q(invitations__email__iexact=person.email)
            ).distinct()
        else:
            meetings = meetings.public()
    return _filtered(meetings.select_related("category", "scope"), **filters)


def meeting_for(component: Component, user: User | AnonymousUser, meeting_id: int) -> Meeting | None:
    """One meeting of the component with its hidden flag (None: not found);
    the caller asks `meetings.view`."""
    meeting = (
        Meeting.objects.filter(component=component, pk=meeting_id)
        .with_hidden_flag()
        .select_related("category", "scope", "organizer")
        .first()
    )
    if meeting is not None:
        meeting.component = component
    return meeting


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    """The items in order, each with `subitems` (its sub-items in order)."""
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("weight", "id"))
    top = [item for item in items if item.parent_id is None]
    for item in top:
        setattr(item, "subitems", [child for child in items if child.parent_id == item.pk])
    return top


def registration_of(meeting: Meeting, user: User | AnonymousUser) -> Registration | None:
    """The person's live registration (confirmed or waiting), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    registration = (
        Registration.objects.filter(meeting=meeting, user=cast(User, user))
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if registration is not None:
        registration.meeting = meeting
    return registration


def waiting_position(registration: Registration) -> int:
    """The place of a waiting registration in the queue (1: next)."""
    return (
        Registration.objects.filter(meeting_id=registration.meeting_id, status=Registration.Status.WAITING)
        .filter(
            Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, id__lt=registration.pk)
        )
        .count()
        + 1
    )


def online_link_for(
    meeting: Meeting, user: User | AnonymousUser, registration: Registration | None, now: datetime | None = None
) -> str:
    """The online link as the page may show it: from 30 minutes before the
    start to the end, to people registered with a place (to whoever sees the
    meeting when it takes no registration here); always to the officers."""
    if not meeting.is_online or not meeting.online_url or meeting.is_cancelled:
        return ""
    if permissions.can(user, "meetings.manage", meeting.component):
        return meeting.online_url
    now = now or timezone.now()
    if not (meeting.starts_at - ONLINE_LINK_BEFORE <= now < meeting.ends_at):
        return ""
    if meeting.registration_type == Meeting.Registration.AGORA:
        if registration is None or registration.status != Registration.Status.CONFIRMED:
            return ""
    elif meeting.visibility != Meeting.Visibility.PUBLIC and not is_invited(user, meeting):
        return ""
    return meeting.online_url


def admin_meetings(component: Component) -> QuerySet[Meeting]:
    return Meeting.objects.filter(component=component).with_hidden_flag().order_by("-starts_at", "-id")


def registrations_of(meeting: Meeting) -> QuerySet[Registration]:
    """Every registration (for the officers): places first, then the waiting list in order, then cancellations."""
    return (
        Registration.objects.filter(meeting=meeting)
        .select_related("user", "validated_by")
        .order_by("status", "created_at", "id")
    )


def public_meetings(component: Component) -> list[Meeting]:
    """Meetings anyone may read, only when the component is public: for
    exports, search, feeds and open data, which do not know who asks."""
    if not component.is_public:
        return []
    meetings = list(
        Meeting.objects.filter(component=component)
        .public()
        .visible()
        .select_related("category", "scope")
        .prefetch_related("proposals")
        .order_by("starts_at", "pk")
    )
    for meeting in meetings:
        meeting.component = component
    return meetings


# --- the global agenda --------------------------------------------------------------------------


def agenda_meetings(organization: Organization, **filters: Any) -> QuerySet[Meeting]:
    """Every public meeting of every public space of the organization (a
    published component of a published space, private spaces only when
    transparent), filtered: what /agenda/ and /agenda.ics list, the same for
    everyone."""
    now = timezone.now()
    meetings = (
        Meeting.objects.public()
        .visible()
        .filter(
            component__space__organization=organization,
            component__published_at__isnull=False,
            component__published_at__lte=now,
            component__space__published_at__isnull=False,
            component__space__published_at__lte=now,
        )
        .filter(Q(component__space__private=False) | Q(component__space__transparent=True))
        .select_related("component__space", "category", "scope")
    )
    return _filtered(meetings, now=now, **filters)


@dataclass
class Day:
    day: date
    in_month: bool
    meetings: list = field(default_factory=list)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    previous: date
    following: date


def month_grid(organization: Organization, month: date, **filters: Any) -> Month:
    """The month view: weeks of days (Monday first), each with its meetings, in one query."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    weeks_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    filters = {**filters, "start": weeks_dates[0][0], "end": weeks_dates[-1][-1]}
    filters.pop("when", None)
    by_day: dict[date, list[Meeting]] = {}
    zone = timezone.get_current_timezone()
    for meeting in agenda_meetings(organization, **filters)[:2000]:
        start = timezone.localtime(meeting.starts_at, zone).date()
        end = timezone.localtime(meeting.ends_at - timedelta(seconds=1), zone).date()
        day = start
        while day <= end:
            by_day.setdefault(day, []).append(meeting)
            day += timedelta(days=1)
    weeks = [[Day(day, day.month == first.month, by_day.get(day, [])) for day in week] for week in weeks_dates]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return Month(first, weeks, previous, following)


def map_points(meetings: list[Meeting]) -> list[dict]:
    """The located meetings as plain data (the map's JSON and its list)."""
    return [
        {
            "id": meeting.pk,
            "number": number,
            "title": translated(meeting.title),
            "address": meeting.address,
            "lat": float(meeting.latitude),  # type: ignore[arg-type]  # located
            "lng": float(meeting.longitude),  # type: ignore[arg-type]  # located
            "url": meeting.get_absolute_url(),
        }
        for number, meeting in enumerate(
            (m for m in meetings if m.latitude is not None and m.longitude is not None), start=1
        )
    ]


def default_zone_name() -> str:
    return settings.TIME_ZONE


# --- what an idea's page says of meetings -------------------------------------------------------


def idea_linked() -> ExpressionWrapper:
    """Whether any meeting links the idea (`OuterRef("pk")`), filed there or
    discussed: read with the idea by its page (proposals_api.register_mentions),
    so that an idea no meeting links asks no query of the meetings."""
    filed = Meeting.ideas_filed.through.objects.filter(proposal_id=OuterRef("pk"))
    discussed = Meeting.proposals.through.objects.filter(proposal_id=OuterRef("pk"))
    return ExpressionWrapper(Q(Exists(filed)) | Q(Exists(discussed)), output_field=BooleanField())


def idea_mentions(idea: Any, user: User | AnonymousUser) -> list[proposals_api.Mention]:
    """The meetings an idea was given at (filed there) or that discuss it (linked
    ideas), those the person may see: registered with the ideas component
    (proposals_api.register_mentions) by MeetingsConfig.ready."""
    filed = Meeting.ideas_filed.through.objects.filter(meeting_id=OuterRef("pk"), proposal_id=idea.pk)
    meetings = (
        Meeting.objects.published()
        .visible()
        .filter(Q(ideas_filed=idea) | Q(proposals=idea))
        .annotate(filed_here=Exists(filed))
        .select_related("component__space__organization")
        .distinct()
        .order_by("-filed_here", "starts_at", "id")
    )
    mentions = []
    for meeting in meetings[:20]:
        if not permissions.can(user, "meetings.view", meeting):
            continue
        mentions.append(
            proposals_api.Mention(
                heading=_("Meetings"),
                label=_("Given at the meeting") if meeting.filed_here else _("Discussed at the meeting"),
                title=translated(meeting.title),
                url=meeting.get_absolute_url(),
                detail=long_date(meeting.wall_start),
            )
        )
    return mentions
