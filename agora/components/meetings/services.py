"""Every write of the meetings component: permission, transaction, action log
and notices (agora.actionlog.services.trace), e-mails (agora.outbox).

A registration takes its place last: a conditional UPDATE of the meeting's
counter (`registered_count + 1` where a place is left) is its transaction's
last statement, so the meeting's row is locked only from there to the commit.
Two people who want the last place at once are served one after the other by
the database: the first gets it, the second finds none and is put on the
waiting list. A CHECK constraint on the counter refuses a place beyond those
offered whatever the code does. Cancelling locks the meeting's row
(SELECT ... FOR UPDATE) and gives the place freed to the waiting list in the
same transaction."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django_tasks import task

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.actionlog.services import Notice, log_action, trace
from agora.components.meetings.models import AgendaItem, Invitation, Meeting, MeetingPhoto, Registration, new_code
from agora.components.meetings.rules import registration_closed_reason
from agora.components.models import Component
from agora.components.proposals import api as proposals_api
from agora.components.selectors import for_write
from agora.core import images
from agora.core.formats import long_datetime
from agora.core.sanitize import clean_translated_html
from agora.core.translations import translated
from agora.core.validators import validate_image
from agora.follows.services import add_follow
from agora.moderation.limits import check_posting_rate
from agora.outbox.services import email_person
from agora.permissions import PermissionDenied, can, deny, require
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires import services as questionnaires
from agora.questionnaires.models import AnswerSet
from agora.spaces.models import Role
from agora.statistics import api as statistics

NEW_MEETING, UPDATED, CANCELLED, CLOSED = (
    "meetings.new_meeting",
    "meetings.updated",
    "meetings.cancelled",
    "meetings.closed",
)
ONLINE_LINK_BEFORE = timedelta(minutes=30)
# What a change of these fields tells the registered people and the followers.
ANNOUNCED_FIELDS = ("starts_at", "ends_at", "address", "kind", "online_url", "location")


def _has_text(value: dict | None) -> bool:
    return any(strip_tags(text or "").strip() for text in (value or {}).values())


def local_to_utc(value: datetime, zone_name: str) -> datetime:
    """A wall-clock time typed for the zone `zone_name` as an instant (in UTC).
    A time that does not exist there (the hour skipped when clocks go forward)
    is refused; an hour that happens twice (clocks go back) is its first one."""
    zone = ZoneInfo(zone_name)
    naive = value.replace(tzinfo=None)
    aware = naive.replace(tzinfo=zone, fold=0)
    instant = aware.astimezone(ZoneInfo("UTC"))
    back = instant.astimezone(zone).replace(tzinfo=None)
    if back != naive:
        raise ValidationError(
            _("%(time)s does not exist in the time zone %(zone)s (the clocks change that night): choose another time.")
            % {"time": naive.strftime("%H:%M"), "zone": zone_name}
        )
    return instant


def check_meeting(meeting: Meeting) -> None:
    """The rules a meeting keeps, with a message per field."""
    errors: dict[str, str] = {}
    if not _has_text(meeting.title):
        errors["title"] = _("Give the meeting a title.")
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = _("The end must come after the start.")
    if meeting.places is None and meeting.reserved_places:
        errors["reserved_places"] = _("Places can be reserved only when the number of places is set.")
    elif meeting.places is not None and meeting.reserved_places > meeting.places:
        errors["reserved_places"] = _("The places reserved cannot be more than the places available (%(places)s).") % {
            "places": meeting.places
        }
    if meeting.registration_type == Meeting.Registration.EXTERNAL and not meeting.registration_url:
        errors["registration_url"] = _("Give the address of the site where people register.")
    if meeting.kind in (Meeting.Kind.IN_PERSON, Meeting.Kind.HYBRID) and not (meeting.address or "").strip():
        errors["address"] = _("Give the address of the meeting.")
    if meeting.kind in (Meeting.Kind.ONLINE, Meeting.Kind.HYBRID) and not meeting.online_url:
        errors["online_url"] = _("Give the link of the online meeting.")
    if meeting.registrations_close_at and meeting.starts_at and meeting.registrations_close_at > meeting.starts_at:
        errors["registrations_close_at"] = _("Registrations must close at the latest when the meeting starts.")
    unknown = [code for code in meeting.services or [] if code not in Meeting.Service.values]
    if unknown:
        errors["services"] = _("Choose among the services offered.")
    try:
        ZoneInfo(meeting.time_zone)
    except (KeyError, ValueError):
        errors["time_zone"] = _("Choose a time zone of the list.")
    organization_id = meeting.component.space.organization_id
    if meeting.category is not None and meeting.category.organization_id != organization_id:
        errors["category"] = _("Choose one of the categories offered.")
    if meeting.scope is not None and meeting.scope.organization_id != organization_id:
        errors["scope"] = _("Choose one of the scopes offered.")
    if errors:
        raise ValidationError(errors)


def insert_meeting(*, component: Component, **fields: Any) -> Meeting:
    """The write itself, without permission or log: for the services below and
    the demo seed (which runs with no person)."""
    proposals = fields.pop("proposals", None)
    meeting = Meeting(component=component, **fields)
    check_meeting(meeting)
    meeting.description = clean_translated_html(meeting.description or {})
    meeting.location_hints = clean_translated_html(meeting.location_hints or {})
    meeting.registration_terms = clean_translated_html(meeting.registration_terms or {})
    meeting.save()
    if proposals is not None:
        meeting.proposals.set(proposals)
    return meeting


def _linked_ideas_check(meeting: Meeting, proposals: Iterable) -> list:
    chosen = list(proposals)
    allowed = set(
        proposals_api.filed_ideas(organization=meeting.component.space.organization)
        .filter(pk__in=[p.pk for p in chosen])
        .values_list("pk", flat=True)
    )
    if any(p.pk not in allowed for p in chosen):
        raise ValidationError({"proposals": _("Choose among the ideas of this organization.")})
    return chosen


def _linked_components_check(meeting: Meeting, components: Iterable) -> list:
    """Other components of the meeting's space, never the meetings' own."""
    chosen = list(components)
    if any(c.space_id != meeting.component.space_id or c.pk == meeting.component_id for c in chosen):
        raise ValidationError({"linked_components": _("Link only other components of this space.")})
    return chosen


@transaction.atomic
def save_meeting(
    *,
    actor: User,
    meeting: Meeting,
    image: File | Literal[False] | None = None,
    proposals: Iterable | None = None,
    linked_components: Iterable | None = None,
) -> Meeting:
    """Create or update a meeting (an officer). `image`: None keeps it, False
    removes it, a file replaces it; `proposals` and `linked_components`: None
    keeps the links. A published meeting whose date, place or link changes is
    announced to its registered people and followers; more places promote
    people from the waiting list."""
    require(actor, "meetings.manage", meeting.component)
    return _store(actor=actor, meeting=meeting, image=image, proposals=proposals, linked_components=linked_components)


def _store(
    *,
    actor: User,
    meeting: Meeting,
    image: File | Literal[False] | None = None,
    proposals: Iterable | None = None,
    linked_components: Iterable | None = None,
) -> Meeting:
    """save_meeting's write, once the caller has checked the permission."""
    component = meeting.component
    creating = meeting.pk is None
    stored = None
    if not creating:
        stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if stored.component_id != component.pk:
            raise ValidationError(_("This meeting belongs to another component."))
        # Counters and lifecycle are the services', never the form's.
        for name in (
            "registered_count",
            "waiting_count",
            "published_at",
            "cancelled_at",
            "closed_at",
            "questionnaire_id",
            "closing_reminded_at",
        ):
            setattr(meeting, name, getattr(stored, name))
        if image is None:
            meeting.image, meeting.image_variants = stored.image.name, stored.image_variants
        if meeting.public_places is not None and meeting.public_places < stored.registered_count:
            raise ValidationError(
                {
                    "places": _(
                        "%(count)s people are already registered: offer at least that many places "
                        "(the reserved places left out)."
                    )
                    % {"count": stored.registered_count}
                }
            )
    check_meeting(meeting)
    images.check_picture(meeting.image if image is None else image, meeting.image_alt)
    if image is not None:
        meeting.image = images.clean_image(image) if image else ""
        meeting.image_variants = {}
    meeting.description = clean_translated_html(meeting.description or {})
    meeting.location_hints = clean_translated_html(meeting.location_hints or {})
    meeting.registration_terms = clean_translated_html(meeting.registration_terms or {})
    chosen = _linked_ideas_check(meeting, proposals) if proposals is not None else None
    linked = _linked_components_check(meeting, linked_components) if linked_components is not None else None
    meeting.save()
    if image:
        meeting.image_variants = images.make_variants(meeting.image.storage, meeting.image.name)
        meeting.save(update_fields=["image_variants"])
    if image is not None and stored is not None and stored.image:
        images.delete_image_after_commit(stored.image.storage, stored.image.name, stored.image_variants)
    if chosen is not None:
        meeting.proposals.set(chosen)
    if linked is not None:
        meeting.linked_components.set(linked)
    changed = stored is not None and any(getattr(stored, name) != getattr(meeting, name) for name in ANNOUNCED_FIELDS)
    if stored is not None and meeting.is_published and changed and not meeting.is_cancelled:
        trace(
            actor,
            "meetings.meeting_changed",
            meeting,
            component=component,
            visibility=ActionLog.Visibility.PUBLIC,
            notify=[
                Notice(
                    UPDATED,
                    to=_registered_ids(meeting),
                    followers=True,
                    space_followers=False,
                    actor=None,
                    url=meeting.get_absolute_url(),
                )
            ],
        )
        for registration in _live_registrations(meeting):
            _email(registration, "changed")
    else:
        trace(
            actor, "meetings.meeting_created" if creating else "meetings.meeting_updated", meeting, component=component
        )
    if stored is not None:
        _promote_waiting(Meeting.objects.select_for_update().get(pk=meeting.pk))
    return meeting


# --- meetings organized by participants (the component's setting) ---------------------------------

PARTICIPANT_REGISTRATIONS = (Meeting.Registration.NONE, Meeting.Registration.AGORA)


def _participant_meeting_check(meeting: Meeting) -> None:
    """What a participant's meeting may not be: private, with places reserved or
    registrations on another site (the organization's tools), or in the past."""
    errors: dict[str, str] = {}
    if meeting.registration_type not in PARTICIPANT_REGISTRATIONS:
        errors["registration_type"] = _("Choose no registration or a registration on this site.")
    if meeting.starts_at and meeting.starts_at <= timezone.now():
        errors["starts_at"] = _("The meeting must start in the future.")
    if errors:
        raise ValidationError(errors)
    meeting.visibility, meeting.reserved_places = Meeting.Visibility.PUBLIC, 0
    meeting.registration_url, meeting.registrations_close_at = "", None


@transaction.atomic
def organize_meeting(*, actor: User, component: Component, meeting: Meeting) -> Meeting:
    """A participant organizes a meeting (when the component lets them): public,
    published at once, organized by them; the space's followers are told, the
    organizer follows it. Moderators may hide it (it is reportable), officers
    cancel it from the back-office as any meeting."""
    component = for_write(component)
    require(actor, "meetings.create", component)
    check_posting_rate(actor, "meeting")
    meeting.component, meeting.organizer, meeting.organizer_group = component, actor, ""
    _participant_meeting_check(meeting)
    meeting.published_at = timezone.now()
    check_meeting(meeting)
    meeting.description = clean_translated_html(meeting.description or {})
    meeting.save()
    add_follow(user=actor, target=meeting)
    trace(
        actor,
        "meetings.meeting_organized",
        meeting,
        component=component,
        visibility=ActionLog.Visibility.PUBLIC,
        notify=[Notice(NEW_MEETING, followers=True, exclude=[actor], url=meeting.get_absolute_url())],
    )
    return meeting


@transaction.atomic
def edit_own_meeting(*, actor: User, meeting: Meeting) -> Meeting:
    """The participant who organizes a meeting changes it before it starts (the
    same announcements as an officer's change: registered people and followers)."""
    stored = Meeting.objects.select_related("component__space__organization").get(pk=meeting.pk)
    require(actor, "meetings.edit", stored)
    meeting.organizer, meeting.organizer_group = stored.organizer, ""
    _participant_meeting_check(meeting)
    return _store(actor=actor, meeting=meeting)


@transaction.atomic
def publish_meeting(*, actor: User, meeting: Meeting) -> Meeting:
    require(actor, "meetings.manage", meeting.component)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.published_at is not None:
        raise ValidationError(_("This meeting is already published."))
    locked.published_at = timezone.now()
    locked.save(update_fields=["published_at", "updated_at"])
    meeting.published_at = locked.published_at
    public = locked.visibility != Meeting.Visibility.PRIVATE
    trace(
        actor,
        "meetings.meeting_published",
        meeting,
        component=meeting.component,
        visibility=ActionLog.Visibility.PUBLIC if public else ActionLog.Visibility.PRIVATE,
        # The meeting is announced in the space's name (actor=None): the officer who publishes it
        # is left out of the people told, as the author of any other action.
        notify=[Notice(NEW_MEETING, followers=True, actor=None, exclude=[actor], url=meeting.get_absolute_url())]
        if public
        else [],
    )
    return meeting


@transaction.atomic
def cancel_meeting(*, actor: User, meeting: Meeting, reason: dict) -> Meeting:
    """Cancelled, not deleted: it stays listed (and in the calendars, marked
    cancelled); registered people and followers are told."""
    require(actor, "meetings.manage", meeting.component)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.cancelled_at is not None:
        raise ValidationError(_("This meeting is already cancelled."))
    if locked.closed_at is not None:
        raise ValidationError(_("This meeting took place and is closed: it cannot be cancelled."))
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = clean_translated_html(reason or {})
    locked.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
    meeting.cancelled_at, meeting.cancel_reason = locked.cancelled_at, locked.cancel_reason
    if meeting.is_published:
        trace(
            actor,
            "meetings.meeting_cancelled",
            meeting,
            component=meeting.component,
            visibility=ActionLog.Visibility.PUBLIC,
            notify=[
                Notice(
                    CANCELLED,
                    to=_registered_ids(meeting),
                    followers=True,
                    actor=None,
                    url=meeting.get_absolute_url(),
                )
            ],
        )
        for registration in _live_registrations(meeting):
            _email(registration, "cancelled")
    else:
        trace(actor, "meetings.meeting_cancelled", meeting, component=meeting.component)
    return meeting


@transaction.atomic
def delete_meeting(*, actor: User, meeting: Meeting) -> None:
    require(actor, "meetings.manage", meeting.component)
    if meeting.is_published:
        raise ValidationError(_("A published meeting is cancelled, never deleted: people may have registered."))
    trace(actor, "meetings.meeting_deleted", meeting, component=meeting.component)
    meeting.delete()
    if meeting.image:
        images.delete_image_after_commit(meeting.image.storage, meeting.image.name, meeting.image_variants)


@transaction.atomic
def registration_form(*, actor: User, meeting: Meeting) -> Meeting:
    """The meeting's registration form (agora.questionnaires), made empty the
    first time an officer opens it; its questions are asked to each person who
    registers, and the answers kept with the registration."""
    require(actor, "meetings.manage", meeting.component)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.questionnaire_id is None:
        locked.questionnaire = questionnaires.insert_questionnaire(
            organization=meeting.component.space.organization,
            owner_type="meetings.meeting",
            owner_id=meeting.pk,
            title=dict(meeting.title or {}),
        )
        locked.save(update_fields=["questionnaire", "updated_at"])
    meeting.questionnaire = locked.questionnaire
    return meeting


# --- the agenda ---------------------------------------------------------------------------------


@transaction.atomic
def save_agenda_item(*, actor: User, item: AgendaItem) -> AgendaItem:
    meeting = item.meeting
    require(actor, "meetings.manage", meeting.component)
    if not _has_text(item.title):
        raise ValidationError({"title": _("Give the item a title.")})
    if item.parent_id is not None:
        parent = AgendaItem.objects.filter(pk=item.parent_id, meeting=meeting).first()
        if parent is None or parent.parent_id is not None or parent.pk == item.pk:
            raise ValidationError({"parent": _("A sub-item belongs to an item of the same meeting.")})
    creating = item.pk is None
    if creating:
        last = AgendaItem.objects.filter(meeting=meeting).order_by("-weight").values_list("weight", flat=True).first()
        item.weight = (last or 0) + 1
    item.description = clean_translated_html(item.description or {})
    item.save()
    trace(actor, "meetings.agenda_changed", meeting, component=meeting.component)
    return item


@transaction.atomic
def delete_agenda_item(*, actor: User, item: AgendaItem) -> None:
    require(actor, "meetings.manage", item.meeting.component)
    trace(actor, "meetings.agenda_changed", item.meeting, component=item.meeting.component)
    item.delete()


@transaction.atomic
def move_agenda_item(*, actor: User, item: AgendaItem, direction: str) -> None:
    require(actor, "meetings.manage", item.meeting.component)
    siblings = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting=item.meeting, parent_id=item.parent_id)
        .order_by("weight", "id")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for weight, sibling in enumerate(siblings):
        AgendaItem.objects.filter(pk=sibling.pk).update(weight=weight)


# --- registrations ------------------------------------------------------------------------------


def _registered_ids(meeting: Meeting) -> list[int]:
    return list(
        Registration.objects.filter(
            meeting=meeting, user__isnull=False, status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING]
        ).values_list("user_id", flat=True)
    )


def _live_registrations(meeting: Meeting) -> list[Registration]:
    rows = list(
        Registration.objects.filter(
            meeting=meeting, user__isnull=False, status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING]
        ).select_related("user")
    )
    for row in rows:
        row.meeting = meeting
    return rows


def registration_url(registration: Registration) -> str:
    meeting = registration.meeting
    return reverse("meetings:registration", kwargs={**meeting.component.url_kwargs(), "meeting_id": meeting.pk})


def qr_url(registration: Registration) -> str:
    """The QR code's image, readable without logging in (its link is signed)."""
    token = signing.dumps(registration.pk, salt="meetings.qr")
    return reverse("meetings_site:qr", kwargs={"token": token})


def _email(registration: Registration, kind: str) -> None:
    """One e-mail about a registration: confirmed, waiting, promoted, cancelled, changed, reminder."""
    meeting = registration.meeting
    organization = meeting.component.space.organization
    base = organization.base_url.rstrip("/")
    stamp = {
        "changed": meeting.updated_at.isoformat() if meeting.updated_at else "",
        "cancelled": meeting.cancelled_at.isoformat() if meeting.cancelled_at else "",
    }.get(kind, "")
    email_person(
        key=f"meetings.{kind}:{registration.pk}:{stamp}",
        kind=f"meetings.{kind}",
        organization=organization,
        person=registration.user,
        subject_template=f"meetings/email/{kind}_subject.txt",
        text_template=f"meetings/email/{kind}.txt",
        html_template=f"meetings/email/{kind}.html",
        context={
            "meeting": meeting,
            "registration": registration,
            "link": base + meeting.get_absolute_url(),
            "ticket_link": base + registration_url(registration),
            "qr_link": base + qr_url(registration),
            "starts": long_datetime(meeting.wall_start),
            "title": translated(meeting.title),
        },
    )


def _take_code(meeting: Meeting) -> str:
    """A new registration's code. Codes are unique per meeting (a constraint):
    a clash, one in millions, is refused by the database and `_insert` draws again
    (reading every code of the meeting first cost a query that grew with it)."""
    return new_code()


def _insert(meeting: Meeting, user: User | None, *, accepted_terms: bool, answer_set: Any = None) -> Registration:
    """The registration's row, confirmed until `_take_place` says otherwise (its
    own transaction rolls it back when the place cannot be given at all)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Registration.objects.create(
                    meeting=meeting,
                    user=user,
                    status=Registration.Status.CONFIRMED,
                    code=_take_code(meeting),
                    accepted_terms=accepted_terms,
                    answer_set=answer_set,
                )
        except IntegrityError:
            live = Registration.objects.filter(meeting=meeting, user=user).exclude(status=Registration.Status.CANCELLED)
            if user is not None and live.exists():
                raise ValidationError(_("You are already registered for this meeting."), code="already") from None
    raise IntegrityError("meetings: no free registration code after five draws")


# The conditions of `_take_place`'s UPDATEs, in SQL: it is the hottest statement of a registration
# storm, and the ORM took longer to write it (about 0.5 ms of CPU) than the database to run it.
# OPEN: the meeting takes registrations on this site now (registration_closed_reason, in SQL).
OPEN_SQL = (
    "published_at IS NOT NULL AND cancelled_at IS NULL AND registration_type = %s AND starts_at > %s "
    "AND (registrations_close_at IS NULL OR registrations_close_at > %s)"
)
PLACE_LEFT_SQL = "(places IS NULL OR registered_count < places - reserved_places)"
FULL_SQL = "(places IS NOT NULL AND registered_count >= places - reserved_places)"


def _count_one_more(meeting: Meeting, counter: str, condition: str, now: datetime, open_only: bool) -> bool:
    """`counter` + 1 on the meeting's row where `condition` holds (and, with
    `open_only`, registrations are open at `now`): whether it matched."""
    connection = connections[router.db_for_write(Meeting)]
    sql = f"UPDATE {Meeting._meta.db_table} SET {counter} = {counter} + 1 WHERE id = %s AND {condition}"
    params: list[Any] = [meeting.pk]
    if open_only:
        sql += " AND " + OPEN_SQL
        moment = connection.ops.adapt_datetimefield_value(now)
        params += [Meeting.Registration.AGORA.value, moment, moment]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount > 0


def _take_place(meeting: Meeting, registration: Registration, *, on_waiting: Any = None, open_only: bool = True) -> str:
    """The place itself, the last statements of the registration's transaction:
    a conditional UPDATE of the meeting's counter (`registered_count + 1` where a
    place is left and registrations are open). The row lock it takes is held only
    from there to the commit; two people who want the last place are served one
    after the other by the database, and the second finds no place left.

    No place: the registration goes on the waiting list, dated now (after every
    place given, so the list's order is the order in which people were refused a
    place), and the waiting counter moves where the meeting is still full. When
    neither UPDATE matches, a place freed in between (try again) or registrations
    closed (PermissionDenied). `on_waiting()` runs before the waiting counter
    moves (what the caller writes differently for a place on the waiting list).
    `open_only=False` (the demo seed) leaves out whether registrations are open."""
    for _attempt in range(10):
        now = timezone.now()
        if _count_one_more(meeting, "registered_count", PLACE_LEFT_SQL, now, open_only):
            return Registration.Status.CONFIRMED
        Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.WAITING, created_at=now)
        if on_waiting is not None:
            on_waiting()
            on_waiting = None
        if _count_one_more(meeting, "waiting_count", FULL_SQL, now, open_only):
            registration.created_at = now
            return Registration.Status.WAITING
        Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CONFIRMED)
        closed = registration_closed_reason(Meeting.objects.get(pk=meeting.pk), now=now)
        if closed:
            raise PermissionDenied(deny(closed))
    raise ValidationError(_("Too many people are registering at this moment: try again."))


def _meeting_for_write(meeting_id: int) -> Meeting:
    """The meeting read again inside the write's transaction with what decides
    whether a registration is allowed: its component, space, organization and
    the space's phases (as agora.components.selectors.for_write: never from the
    per-process memo), its registration form and its hidden flag (the
    moderators'), in two queries."""
    return (
        Meeting.objects.with_hidden_flag()
        .select_related("component__space__organization", "component__space__group", "questionnaire")
        .prefetch_related("component__space__phases")
        .get(pk=meeting_id)
    )


class RegistrationFormNeeded(Exception):
    """The meeting asks the questions of its registration form: the person
    answers them first (the registration's pages), not through the button."""


@transaction.atomic
def register(
    *,
    actor: User,
    meeting: Meeting,
    accepted_terms: bool = False,
    values: dict | None = None,
) -> Registration:
    """A person registers: a place while one is left, else the waiting list
    (in the order of registration). Raises PermissionDenied when registration
    is closed to them, ValidationError (terms, answers, already registered),
    Meeting.DoesNotExist when `meeting` is not one of its component's (the
    registration button passes Meeting(pk=..., component=...): this reads it).
    `values`: the answers to the registration form; None (the button) when the
    meeting has questions raises RegistrationFormNeeded.

    Everything that does not need the place comes first (who may register, the
    terms, the form's answers, the row, the invitation, the follow, the log, the
    statistics); the place is taken last (`_take_place`), so the meeting's row is
    locked only from that UPDATE to the commit. Someone already registered is
    refused by the database (one live registration per person, `_insert`). The
    e-mail is written by the worker (`registration_email`, queued once the
    registration has committed): rendering it is the slowest part of a
    registration and it needs to know whether a place was given
    (docs/meetings.md, "Under load")."""
    fresh = _meeting_for_write(meeting.pk)
    if fresh.component_id != meeting.component_id:
        raise Meeting.DoesNotExist
    component = fresh.component
    require(actor, "meetings.register", fresh)
    form = fresh.questionnaire if fresh.questionnaire_id else None
    questions = questionnaire_selectors.questions_of(form) if form is not None else []
    if questions and values is None:
        raise RegistrationFormNeeded
    if _has_text(fresh.registration_terms) and not accepted_terms:
        raise ValidationError({"accepted_terms": _("Accept the registration terms to register.")}, code="terms")
    answer_set = None
    if form is not None and questions:
        answer_set = questionnaires.save_answers(questionnaire=form, values=values or {}, questions=questions)
    registration = _insert(fresh, actor, accepted_terms=accepted_terms, answer_set=answer_set)
    registration.meeting = fresh
    Invitation.objects.filter(meeting=fresh, user=actor, accepted_at__isnull=True).update(accepted_at=timezone.now())
    add_follow(user=actor, target=fresh)
    entry = log_action(
        actor=actor,
        verb="meetings.registered",
        target=fresh,
        organization=component.space.organization,
        space=component.space,
        component=component,
    )
    # Before the place: the statistics' rows are locked before the meeting's (always in that
    # order, so never a deadlock), and nothing follows the meeting's counter (docs/meetings.md).
    statistics.record(kind=statistics.REGISTRATION, component=component, person=actor)
    status = _take_place(
        fresh,
        registration,
        on_waiting=lambda: ActionLog.objects.filter(pk=entry.pk).update(verb="meetings.waitlisted"),
    )
    registration.status = status
    kind = "confirmed" if status == Registration.Status.CONFIRMED else "waiting"
    transaction.on_commit(lambda: registration_email.enqueue(registration.pk, kind))
    return registration


REGISTRATION_EMAILS = {"confirmed": Registration.Status.CONFIRMED, "waiting": Registration.Status.WAITING}


def send_registration_email(registration_id: int, kind: str) -> bool:
    """The worker writes the e-mail of a new registration ("confirmed": the
    code and the QR code; "waiting": the waiting list) into the outbox, unless
    the registration changed in between: cancelled, or promoted from the
    waiting list (the promotion's own e-mail says so). The outbox's key makes a
    task run twice write it once."""
    registration = (
        Registration.objects.select_related("meeting__component__space__organization", "user")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.status != REGISTRATION_EMAILS[kind]:
        return False
    _email(registration, kind)
    return True


@task()
def registration_email(registration_id: int, kind: str) -> bool:
    """The worker's task, queued once a registration has committed (`register`)."""
    return send_registration_email(registration_id, kind)


def _promote_waiting(meeting: Meeting) -> list[Registration]:
    """Give the free places to the waiting list, first registered first (the
    caller holds the meeting's row lock). Nobody is promoted once the meeting
    has started or is cancelled."""
    promoted: list[Registration] = []
    if meeting.is_cancelled or timezone.now() >= meeting.starts_at:
        return promoted
    while meeting.public_places is None or meeting.registered_count < meeting.public_places:
        following = (
            Registration.objects.select_for_update()
            .filter(meeting=meeting, status=Registration.Status.WAITING)
            .order_by("created_at", "id")
            .first()
        )
        if following is None:
            break
        following.status, following.promoted_at = Registration.Status.CONFIRMED, timezone.now()
        following.save(update_fields=["status", "promoted_at"])
        Meeting.objects.filter(pk=meeting.pk).update(
            registered_count=F("registered_count") + 1, waiting_count=F("waiting_count") - 1
        )
        meeting.registered_count += 1
        meeting.waiting_count -= 1
        following.meeting = meeting
        log_action(
            actor=None,
            verb="meetings.promoted",
            target=meeting,
            organization=meeting.component.space.organization,
            space=meeting.component.space,
            component=meeting.component,
            data={"registration": following.pk},
        )
        _email(following, "promoted")
        promoted.append(following)
    return promoted


@transaction.atomic
def cancel_registration(*, actor: User, registration: Registration) -> Registration:
    """The person (or an officer) cancels: a confirmed place frees exactly one
    place, given at once to the first of the waiting list (told by e-mail)."""
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("component__space__organization")
        .get(pk=registration.meeting_id)
    )
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.user_id != actor.pk:
        require(actor, "meetings.manage", meeting.component)
    if locked.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."))
    if meeting.closed_at is not None or timezone.now() >= meeting.ends_at:
        raise ValidationError(_("This meeting is over: its registrations can no longer change."))
    was = locked.status
    locked.status, locked.cancelled_at = Registration.Status.CANCELLED, timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    counter = "registered_count" if was == Registration.Status.CONFIRMED else "waiting_count"
    Meeting.objects.filter(pk=meeting.pk).update(**{counter: F(counter) - 1})
    setattr(meeting, counter, getattr(meeting, counter) - 1)
    log_action(
        actor=actor,
        verb="meetings.registration_cancelled",
        target=meeting,
        organization=meeting.component.space.organization,
        space=meeting.component.space,
        component=meeting.component,
        data={"registration": locked.pk, "was": was},
    )
    if was == Registration.Status.CONFIRMED:
        _promote_waiting(meeting)
    registration.status, registration.cancelled_at = locked.status, locked.cancelled_at
    return locked


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


@transaction.atomic
def validate_attendance(*, actor: User, meeting: Meeting, code: str) -> Registration:
    """Staff at the door: the code of a confirmed registration marks its holder present."""
    require(actor, "meetings.manage", meeting.component)
    wanted = normalize_code(code)
    if not wanted:
        raise ValidationError({"code": _("Type the code of the registration.")})
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(meeting=meeting, code=wanted)
        .first()
    )
    if registration is None:
        raise ValidationError({"code": _("No registration of this meeting has the code %(code)s.") % {"code": wanted}})
    if registration.status == Registration.Status.WAITING:
        raise ValidationError(
            {"code": _("The code %(code)s is on the waiting list: no place was given.") % {"code": wanted}}
        )
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError({"code": _("The registration %(code)s was cancelled.") % {"code": wanted}})
    if registration.attended_at is not None:
        raise ValidationError(
            {
                "code": _("The code %(code)s was already validated at %(time)s.")
                % {"code": wanted, "time": long_datetime(meeting.wall(registration.attended_at))}
            }
        )
    registration.attended_at, registration.validated_by = timezone.now(), actor
    registration.save(update_fields=["attended_at", "validated_by"])
    log_action(
        actor=actor,
        verb="meetings.attendance_validated",
        target=meeting,
        organization=meeting.component.space.organization,
        space=meeting.component.space,
        component=meeting.component,
        data={"registration": registration.pk},
    )
    return registration


@transaction.atomic
def invite(*, actor: User, meeting: Meeting, emails: Iterable[str]) -> list[Invitation]:
    """Invitations by e-mail, to people with an account or without one (they
    create it from the link). An address already invited is not invited twice."""
    require(actor, "meetings.manage", meeting.component)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    addresses: list[str] = []
    for raw in emails:
        address = raw.strip().lower()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {"emails": _("%(address)s is not an e-mail address.") % {"address": address}}
            ) from None
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ValidationError({"emails": _("Give at least one e-mail address.")})
    organization = meeting.component.space.organization
    known = {user.email.lower(): user for user in User.objects.filter(email__in=addresses)}
    made = []
    for address in addresses:
        invitation, created = Invitation.objects.get_or_create(
            meeting=meeting, email=address, defaults={"user": known.get(address), "invited_by": actor}
        )
        if not created:
            continue
        made.append(invitation)
        email_person(
            key=f"meetings.invitation:{invitation.pk}",
            kind="meetings.invitation",
            organization=organization,
            person=known.get(address),
            to=address,
            subject_template="meetings/email/invitation_subject.txt",
            text_template="meetings/email/invitation.txt",
            html_template="meetings/email/invitation.html",
            context={
                "meeting": meeting,
                "title": translated(meeting.title),
                "starts": long_datetime(meeting.wall_start),
                "link": organization.base_url.rstrip("/")
                + reverse("meetings_site:invitation", kwargs={"token": invitation.token}),
            },
        )
    trace(actor, "meetings.invited", meeting, component=meeting.component, data={"count": len(made)})
    return made


def accept_invitation(*, user: User, invitation: Invitation) -> Invitation:
    """The invited person opened the link logged in: the invitation is theirs."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.user_id is None:
            locked.user = user
            locked.save(update_fields=["user"])
    return locked


# --- closing ------------------------------------------------------------------------------------


@transaction.atomic
def close_meeting(
    *,
    actor: User,
    meeting: Meeting,
    minutes: dict,
    attendee_count: int | None = None,
    contributions_count: int | None = None,
    organizations_present: str = "",
    video_url: str = "",
    audio_url: str = "",
) -> Meeting:
    """The minutes and figures of a meeting that took place (may be written
    again later); followers and registered people are told the first time."""
    require(actor, "meetings.manage", meeting.component)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.cancelled_at is not None:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    if timezone.now() < locked.starts_at:
        raise ValidationError(_("A meeting is closed once it has started."))
    if not _has_text(minutes):
        raise ValidationError({"minutes": _("Write the minutes of the meeting.")})
    first = locked.closed_at is None
    locked.minutes = clean_translated_html(minutes)
    locked.attendee_count, locked.contributions_count = attendee_count, contributions_count
    locked.organizations_present, locked.video_url, locked.audio_url = organizations_present, video_url, audio_url
    locked.closed_at = locked.closed_at or timezone.now()
    locked.save()
    locked.component = meeting.component
    trace(
        actor,
        "meetings.meeting_closed" if first else "meetings.minutes_updated",
        locked,
        component=meeting.component,
        visibility=ActionLog.Visibility.PUBLIC,
        notify=[
            Notice(
                CLOSED,
                to=_registered_ids(locked),
                followers=True,
                space_followers=False,
                actor=None,
                url=locked.get_absolute_url(),
            )
        ]
        if first and locked.is_published
        else [],
    )
    return locked


@transaction.atomic
def file_idea(
    *, actor: User, meeting: Meeting, component: Component, author_name: str, title: str, body: str
) -> proposals_api.Proposal:
    """An idea given at the meeting: filed in an ideas component of the same
    space (proposals/api.py, channel "at a meeting", published at once in the
    resident's name) and listed on the meeting's page."""
    require(actor, "meetings.manage", meeting.component)
    if component.space_id != meeting.component.space_id or component.manifest_name != "proposals":
        raise ValidationError({"component": _("Choose an ideas component of this space.")})
    if meeting.cancelled_at is not None:
        raise ValidationError(_("A cancelled meeting has no ideas."))
    if timezone.now() < meeting.starts_at:
        raise ValidationError(_("Ideas are filed at a meeting once it has started."))
    idea = proposals_api.file_idea_at_meeting(
        actor=actor, component=component, author_name=author_name, title=title, body=body
    )
    meeting.ideas_filed.add(idea)
    trace(actor, "meetings.idea_filed", meeting, component=meeting.component, data={"idea": idea.pk})
    return idea


def _check_photo(image: File | None, alt: dict) -> None:
    if not image:
        raise ValidationError({"image": _("Choose a photo.")})
    if isinstance(image, UploadedFile):
        validate_image(image)
    if not _has_text(alt):
        raise ValidationError({"alt__fr": _("Describe the photo for people who cannot see it.")})


def insert_photo(*, meeting: Meeting, image: File, alt: dict) -> MeetingPhoto:
    """The write itself (the demo's illustrations call it)."""
    _check_photo(image, alt)
    last = MeetingPhoto.objects.filter(meeting=meeting).order_by("-weight").values_list("weight", flat=True).first()
    photo = MeetingPhoto(meeting=meeting, alt=alt, weight=(last or 0) + 1)
    # Upright and without its metadata (agora.core.images); copies made once it is stored.
    photo.image = images.clean_image(image)
    photo.save()
    photo.variants = images.make_variants(photo.image.storage, photo.image.name)
    photo.save(update_fields=["variants"])
    return photo


@transaction.atomic
def add_photo(*, actor: User, meeting: Meeting, image: File, alt: dict) -> MeetingPhoto:
    """A photo of the meeting, once it has started (shown with its minutes)."""
    require(actor, "meetings.manage", meeting.component)
    if meeting.cancelled_at is not None:
        raise ValidationError(_("A cancelled meeting has no photos."))
    if timezone.now() < meeting.starts_at:
        raise ValidationError(_("Photos are added once the meeting has started."))
    photo = insert_photo(meeting=meeting, image=image, alt=alt)
    trace(actor, "meetings.photo_added", meeting, component=meeting.component)
    return photo


@transaction.atomic
def delete_photo(*, actor: User, photo: MeetingPhoto) -> None:
    require(actor, "meetings.manage", photo.meeting.component)
    trace(actor, "meetings.photo_deleted", photo.meeting, component=photo.meeting.component)
    images.delete_image_after_commit(photo.image.storage, photo.image.name, photo.variants)
    photo.delete()


# --- the worker's rounds ------------------------------------------------------------------------


def send_reminders(now: datetime | None = None) -> int:
    """The reminder the day before (meetings starting in the next 24 hours),
    once per registration: the claim is a conditional UPDATE, so two workers
    running the round at once send each reminder once."""
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            reminded_at__isnull=True,
            user__isnull=False,
            meeting__cancelled_at__isnull=True,
            meeting__published_at__isnull=False,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + timedelta(hours=24),
        )
        .select_related("meeting__component__space__organization", "user")
        .order_by("id")
    )
    sent = 0
    for registration in due.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now)
            if claimed:
                _email(registration, "reminder")
                sent += 1
    return sent


def remind_organizers(now: datetime | None = None) -> int:
    """Officers are reminded once of a meeting that ended a day ago without minutes."""
    now = now or timezone.now()
    due = Meeting.objects.filter(
        published_at__isnull=False,
        cancelled_at__isnull=True,
        closed_at__isnull=True,
        closing_reminded_at__isnull=True,
        ends_at__lte=now - timedelta(days=1),
    ).select_related("component__space__organization", "organizer")
    sent = 0
    for meeting in due:
        with transaction.atomic():
            if not Meeting.objects.filter(pk=meeting.pk, closing_reminded_at__isnull=True).update(
                closing_reminded_at=now
            ):
                continue
            organization = meeting.component.space.organization
            link = organization.base_url.rstrip("/") + reverse(
                "meetings_admin:close",
                kwargs={
                    "space_id": meeting.component.space_id,
                    "component_id": meeting.component_id,
                    "meeting_id": meeting.pk,
                },
            )
            for person in _organizers(meeting):
                email_person(
                    key=f"meetings.close_reminder:{meeting.pk}:{person.pk}",
                    kind="meetings.close_reminder",
                    organization=organization,
                    person=person,
                    subject_template="meetings/email/close_reminder_subject.txt",
                    text_template="meetings/email/close_reminder.txt",
                    context={"meeting": meeting, "title": translated(meeting.title), "link": link},
                )
                sent += 1
    return sent


def _organizers(meeting: Meeting) -> list[User]:
    """Who is reminded to close the meeting: people who can close it (the rule of
    the closing screen and of `close_meeting`, "meetings.manage"). The organizer
    when they can (a participant who organizes a meeting cannot: the organization
    closes it), else the space's administrators."""
    component = meeting.component
    if meeting.organizer is not None and can(meeting.organizer, "meetings.manage", component):
        return [meeting.organizer]
    ids = Role.objects.filter(space=component.space, name=Role.Name.SPACE_ADMIN).values_list("user_id", flat=True)
    return [person for person in User.objects.filter(pk__in=ids) if can(person, "meetings.manage", component)]


def insert_registration(*, meeting: Meeting, user: User | None) -> Registration:
    """The place itself, without permission, log nor e-mail: for the demo seed."""
    with transaction.atomic():
        registration = _insert(meeting, user, accepted_terms=True)
        registration.status = _take_place(meeting, registration, open_only=False)
    meeting.refresh_from_db(fields=["registered_count", "waiting_count"])
    registration.meeting = meeting
    return registration


def erase_account(user: User) -> None:
    """The account's eraser (agora.accounts.erasure): the answers the person gave to
    registration forms (they may say what one eats, how one moves) and the invitations
    made to their address go; the registrations stay, without answers, for the counts
    of places and attendance."""
    answer_sets = AnswerSet.objects.filter(
        pk__in=Registration.objects.filter(user=user, answer_set__isnull=False).values("answer_set_id")
    ).select_related("questionnaire")
    for answer_set in answer_sets:
        questionnaires.delete_answers(answer_set=answer_set)  # the registration's link: SET_NULL
    Invitation.objects.filter(user=user).delete()
