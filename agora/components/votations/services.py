"""Every write of the citizen-vote component: permission, transaction, action
log (agora.actionlog.services.trace) and statistics.

Ballots: the same `_store_ballot` serves every channel (online, desk, paper
with the person's identity or without) and checks the marks against each
question's rule (`check_marks`). The database holds one ballot per person and
vote (unique constraints on the account and on the person's key); the option
counters change in the same transaction as the marks, in option id order (no
deadlock between two ballots), last before the statistics' rows."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.actionlog.services import Notice, trace
from agora.components.initiatives import api as initiatives_api
from agora.components.models import Component
from agora.components.selectors import for_write
from agora.components.votations.models import (
    Ballot,
    Document,
    Mark,
    Option,
    Question,
    StationCount,
    StationVotes,
    Votation,
)
from agora.core.files import delete_file_after_commit, detect
from agora.core.models import Organization
from agora.core.receipts import new_receipt
from agora.core.sanitize import clean_translated_html
from agora.core.translations import tr
from agora.outbox.services import email_person
from agora.permissions import require
from agora.statistics import api as statistics
from agora.verifications.identity import person_key
from agora.verifications.models import Identity, Verification

# Verification methods that know a civil identity (name and date of birth): their
# Identity key is the person's key across channels (the key of a paper ballot).
CIVIL_METHODS = ("census", "document", "in_person", "oidc")
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
COUNT_MAX = 2**31 - 1

# {question id: {option id: value}}: value 1, or the place in a ranking (1 = first).
Marks = dict[int, dict[int, int]]


class BallotRefused(ValidationError):
    """The marks break a question's rule, or the person has already voted."""


def _organization(votation: Votation) -> Organization:
    return votation.component.space.organization


def _has_text(value: dict | None) -> bool:
    return any((text or "").strip() for text in (value or {}).values())


def _editable(votation: Votation) -> None:
    """Questions and options change while the vote is in preparation (as committed now)."""
    state = Votation.objects.filter(pk=votation.pk).values_list("state", flat=True).first()
    if state != Votation.State.DRAFT:
        raise ValidationError(_("The vote is open or closed: its questions and options can no longer change."))


# --- votes, questions, options, booklets (the officer) ------------------------------------------------


@transaction.atomic
def save_votation(*, actor: User, component: Component, item: Votation | None = None, **fields: Any) -> Votation:
    """A vote's texts, dates and settings. Once open, only the texts, the closing
    date (later, never earlier than now) and the number of people called change."""
    require(actor, "votations.manage", component)
    if "title" in fields and not _has_text(fields["title"]):
        raise ValidationError({"title": _("Give the vote a title.")})
    if "description" in fields:
        fields["description"] = clean_translated_html(fields["description"] or {})
    opens_at, closes_at = (
        fields.get("opens_at", item and item.opens_at),
        fields.get("closes_at", item and item.closes_at),
    )
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The vote must close after it opens.")})
    if item is not None and item.state != Votation.State.DRAFT:
        for name in ("opens_at", "live_results"):
            if name in fields and fields[name] != getattr(item, name):
                raise ValidationError(
                    _("The vote is open: its opening and how results are shown can no longer change.")
                )
        if item.state == Votation.State.CLOSED and fields.get("closes_at", item.closes_at) != item.closes_at:
            raise ValidationError({"closes_at": _("The vote is closed.")})
    created = item is None
    if item is None:
        item = Votation(component=component)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    trace(actor, "votations.created" if created else "votations.updated", item, component=component)
    return item


@transaction.atomic
def delete_votation(*, actor: User, votation: Votation) -> None:
    require(actor, "votations.manage", votation.component)
    if votation.state != Votation.State.DRAFT:
        raise ValidationError(_("Only a vote in preparation can be deleted."))
    if votation.initiative_id:
        raise ValidationError(_("This vote was opened on a citizen initiative: it cannot be deleted."))
    trace(actor, "votations.deleted", votation, component=votation.component, data={"title": str(votation)})
    votation.delete()


def _check_question(fields: dict, item: Question | None) -> None:
    if "title" in fields and not _has_text(fields["title"]):
        raise ValidationError({"title": _("Write the question.")})
    minimum = fields.get("min_choices", item.min_choices if item else 1)
    maximum = fields.get("max_choices", item.max_choices if item else None)
    if maximum is not None and maximum < minimum:
        raise ValidationError({"max_choices": _("The maximum number of options must be at least the minimum.")})
    quorum = fields.get("quorum_percent")
    if quorum is not None and not (Decimal(0) < quorum <= Decimal(100)):
        raise ValidationError({"quorum_percent": _("A quorum is a percentage above 0 and at most 100.")})


@transaction.atomic
def save_question(*, actor: User, votation: Votation, item: Question | None = None, **fields: Any) -> Question:
    """A question; a yes-or-no question gets its two options, "Yes" and "No"."""
    require(actor, "votations.manage", votation.component)
    _editable(votation)
    _check_question(fields, item)
    if "booklet" in fields:
        fields["booklet"] = clean_translated_html(fields["booklet"] or {})
    created = item is None
    if item is None:
        last = votation.questions.order_by("-position").values_list("position", flat=True).first() or 0
        item = Question(votation=votation, position=last + 1)
    old_kind = item.kind if not created else None
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    if item.kind == Question.Kind.YES_NO and old_kind != Question.Kind.YES_NO:
        item.options.all().delete()
        Option.objects.bulk_create(
            [
                Option(question=item, position=1, label=tr("Oui", "Yes"), role=Option.Role.YES),
                Option(question=item, position=2, label=tr("Non", "No"), role=Option.Role.NO),
            ]
        )
    elif item.kind != Question.Kind.YES_NO and old_kind == Question.Kind.YES_NO:
        item.options.all().delete()
    trace(
        actor,
        "votations.question_saved",
        votation,
        component=votation.component,
        data={"question": item.pk, "created": created},
    )
    return item


@transaction.atomic
def delete_question(*, actor: User, question: Question) -> None:
    votation = question.votation
    require(actor, "votations.manage", votation.component)
    _editable(votation)
    trace(actor, "votations.question_deleted", votation, component=votation.component, data={"question": question.pk})
    question.delete()


@transaction.atomic
def save_option(*, actor: User, question: Question, label: dict, item: Option | None = None) -> Option:
    votation = question.votation
    require(actor, "votations.manage", votation.component)
    _editable(votation)
    if not question.is_list:
        raise ValidationError(_("The options of a yes-or-no question are Yes and No."))
    if not _has_text(label):
        raise ValidationError({"label": _("Write the option.")})
    if item is None:
        last = question.options.order_by("-position").values_list("position", flat=True).first() or 0
        item = Option(question=question, position=last + 1)
    item.label = label
    item.save()
    trace(actor, "votations.option_saved", votation, component=votation.component, data={"option": item.pk})
    return item


@transaction.atomic
def delete_option(*, actor: User, option: Option) -> None:
    votation = option.question.votation
    require(actor, "votations.manage", votation.component)
    _editable(votation)
    if not option.question.is_list:
        raise ValidationError(_("The options of a yes-or-no question are Yes and No."))
    trace(actor, "votations.option_deleted", votation, component=votation.component, data={"option": option.pk})
    option.delete()


def check_document(upload: File) -> str:
    """A PDF, ODT or DOCX document, by its content (never its name), of reasonable size."""
    if getattr(upload, "size", 0) > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("This document is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(DOCUMENT_MAX_BYTES)}
            }
        )
    found = detect(upload)
    if found is None or found.kind not in ("pdf", "odt", "docx"):
        raise ValidationError({"file": _("This file is not a PDF, ODT or DOCX document.")})
    return found.kind


@transaction.atomic
def add_document(*, actor: User, question: Question, title: str, upload: File) -> Document:
    """A document of the question's booklet (public), checked by its content."""
    votation = question.votation
    require(actor, "votations.manage", votation.component)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the document a title.")})
    check_document(upload)
    document = Document.objects.create(question=question, title=title[:200], file=upload)
    trace(actor, "votations.document_added", votation, component=votation.component, data={"title": title[:200]})
    return document


@transaction.atomic
def delete_document(*, actor: User, document: Document) -> None:
    votation = document.question.votation
    require(actor, "votations.manage", votation.component)
    delete_file_after_commit(document.file)
    trace(actor, "votations.document_deleted", votation, component=votation.component, data={"title": document.title})
    document.delete()


# --- opening and closing -----------------------------------------------------------------------------------


def _ready_problems(votation: Votation) -> list[str]:
    problems = []
    questions = list(votation.questions.prefetch_related("options"))
    if not questions:
        problems.append(_("Add at least one question."))
    for question in questions:
        options = list(question.options.all())
        if len(options) < 2:
            problems.append(_("The question “%(question)s” needs at least two options.") % {"question": question})
        if question.max_choices is not None and question.max_choices > len(options):
            problems.append(_("The question “%(question)s” allows more options than it has.") % {"question": question})
        if question.quorum_percent is not None and not votation.electorate:
            problems.append(
                _("The question “%(question)s” has a turnout quorum: give the number of people called to vote.")
                % {"question": question}
            )
    if votation.closes_at is None:
        problems.append(_("Give the date the vote closes."))
    elif votation.closes_at <= timezone.now():
        problems.append(_("The closing date is past."))
    return problems


@transaction.atomic
def open_votation(*, actor: User, votation: Votation) -> Votation:
    """Opens the vote (public from now on; ballots taken between its dates).
    Its questions and options are fixed from then on."""
    require(actor, "votations.manage", votation.component)
    locked = Votation.objects.select_for_update().get(pk=votation.pk)
    if locked.state != Votation.State.DRAFT:
        raise ValidationError(_("This vote has already been opened."))
    problems = _ready_problems(locked)
    if problems:
        raise ValidationError(problems)
    locked.state, locked.opened_at = Votation.State.OPEN, timezone.now()
    if locked.opens_at is None:
        locked.opens_at = locked.opened_at
    locked.save(update_fields=["state", "opened_at", "opens_at"])
    locked.component = votation.component
    trace(
        actor,
        "votations.opened",
        locked,
        component=votation.component,
        visibility=ActionLog.Visibility.PUBLIC,
        notify=[Notice("votations.opened", followers=True)],
    )
    return locked


@transaction.atomic
def close_votation(*, actor: User | None, votation: Votation) -> Votation:
    """Closes the vote (officer, or the worker at the closing date): no more
    online ballots; paper ballots and polling-station counts can still be entered."""
    if actor is not None:
        require(actor, "votations.manage", votation.component)
    locked = Votation.objects.select_for_update().get(pk=votation.pk)
    if locked.state != Votation.State.OPEN:
        raise ValidationError(_("Only an open vote can be closed."))
    now = timezone.now()
    locked.state, locked.closed_at = Votation.State.CLOSED, now
    fields = ["state", "closed_at"]
    if locked.closes_at is None or locked.closes_at > now:
        locked.closes_at = now
        fields.append("closes_at")
    locked.save(update_fields=fields)
    locked.component = votation.component
    trace(
        actor,
        "votations.closed",
        locked,
        component=votation.component,
        visibility=ActionLog.Visibility.PUBLIC,
        notify=[Notice("votations.closed", followers=True)],
    )
    return locked


def close_due(*, now: datetime | None = None) -> int:
    """Closes every open vote whose closing date passed (cron: `manage.py votations_tick`). Idempotent."""
    now = now or timezone.now()
    closed = 0
    for votation in Votation.objects.filter(state=Votation.State.OPEN, closes_at__lte=now).select_related(
        "component__space__organization"
    ):
        try:
            close_votation(actor=None, votation=votation)
        except ValidationError:  # closed meanwhile by someone else
            continue
        closed += 1
    return closed


# --- ballots ---------------------------------------------------------------------------------------------


def _points(question: Question, option_count: int, rank: int) -> int:
    """A ranking's points: the first of n places gets n points, the last 1."""
    places = question.max_choices or option_count
    return max(places - rank + 1, 0)


def check_marks(votation: Votation, marks: Marks) -> list[str]:
    """What is wrong with these marks, question by question (empty: a valid ballot)."""
    problems: list[str] = []
    questions = {question.pk: question for question in votation.questions.prefetch_related("options")}
    for question_id in marks:
        if question_id not in questions:
            problems.append(_("This ballot answers a question of another vote."))
            return problems
    for question in questions.values():
        chosen = marks.get(question.pk) or {}
        options = {option.pk for option in question.options.all()}
        if set(chosen) - options:
            problems.append(_("“%(question)s”: an option of another question was marked.") % {"question": question})
            continue
        if not chosen:
            if not question.blank_allowed:
                problems.append(_("“%(question)s”: answer this question.") % {"question": question})
            continue
        if question.kind in (Question.Kind.YES_NO, Question.Kind.SINGLE):
            if len(chosen) > 1:
                problems.append(_("“%(question)s”: choose one answer only.") % {"question": question})
            continue
        maximum = question.max_choices or len(options)
        if len(chosen) < question.min_choices:
            problems.append(
                _("“%(question)s”: choose at least %(min)s options.")
                % {"question": question, "min": question.min_choices}
            )
        if len(chosen) > maximum:
            problems.append(
                _("“%(question)s”: choose at most %(max)s options.") % {"question": question, "max": maximum}
            )
        if question.kind == Question.Kind.RANKED and sorted(chosen.values()) != list(range(1, len(chosen) + 1)):
            problems.append(
                _("“%(question)s”: give each option you rank a different place, 1, 2, 3 … without gaps.")
                % {"question": question}
            )
    return problems


def _counter_fields(channel: str) -> tuple[str, str]:
    return ("votes_paper", "points_paper") if channel == Ballot.Channel.PAPER else ("votes_online", "points_online")


def _apply(votation: Votation, channel: str, marks: Marks) -> None:
    """Raises the option counters, in option id order."""
    votes_field, points_field = _counter_fields(channel)
    questions = {question.pk: question for question in votation.questions.prefetch_related("options")}
    changes: dict[int, tuple[int, int]] = {}
    for question_id, chosen in marks.items():
        question = questions[question_id]
        count = len(question.options.all())
        for option_id, value in chosen.items():
            if question.kind == Question.Kind.RANKED:
                changes[option_id] = (1 if value == 1 else 0, _points(question, count, value))
            else:
                changes[option_id] = (1, 0)
    for option_id in sorted(changes):
        votes, points = changes[option_id]
        Option.objects.filter(pk=option_id).update(
            **{votes_field: F(votes_field) + votes, points_field: F(points_field) + points}
        )


def _already_voted(channel: str) -> BallotRefused:
    if channel == Ballot.Channel.PAPER:
        return BallotRefused(
            _(
                "This person has already voted in this vote (online, at a desk or on paper): the paper ballot is refused."
            )
        )
    return BallotRefused(_("A ballot has already been recorded for this person in this vote."))


def _store_ballot(
    *,
    votation: Votation,
    marks: Marks,
    channel: str,
    voter: User | None = None,
    key: str = "",
    station: str = "",
    entered_by: User | None = None,
) -> Ballot:
    """Inserts the ballot (the unique constraints refuse a second one of the same
    person, whatever the channel) and its marks, then moves the counters."""
    problems = check_marks(votation, marks)
    if problems:
        raise BallotRefused(problems)
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                votation=votation,
                voter=voter,
                person_key=key,
                channel=channel,
                receipt=new_receipt(),
                station=station,
                entered_by=entered_by,
            )
    except IntegrityError:
        raise _already_voted(channel) from None
    Mark.objects.bulk_create(
        [
            Mark(ballot=ballot, option_id=option_id, value=value)
            for chosen in marks.values()
            for option_id, value in sorted(chosen.items())
        ]
    )
    _apply(votation, channel, marks)
    return ballot


def account_key(organization: Organization, user: User) -> str:
    """A voter's key: their civil identity's when a verification knows it (the key
    a paper ballot with the same name and date of birth gives), else their account's."""
    key = (
        Identity.objects.filter(
            organization=organization,
            user=user,
            verifications__status=Verification.Status.ACTIVE,
            verifications__method__in=CIVIL_METHODS,
        )
        .values_list("key", flat=True)
        .first()
    )
    return key or f"account:{user.pk}"


def _for_write(votation: Votation) -> Votation:
    """The vote as committed now, with its component read again (for_write)."""
    fresh = Votation.objects.get(pk=votation.pk)
    fresh.component = for_write(votation.component)
    return fresh


def queue_receipt(ballot: Ballot) -> None:
    """The confirmation e-mail: the receipt code, never the marks."""
    if ballot.voter is None:
        return
    votation = ballot.votation
    organization = _organization(votation)
    email_person(
        key=f"votations.receipt:{ballot.pk}",
        kind="votations.receipt",
        organization=organization,
        person=ballot.voter,
        subject_template="votations/email/receipt_subject.txt",
        text_template="votations/email/receipt.txt",
        context={
            "ballot": ballot,
            "votation": votation,
            "space": votation.component.space,
            "check_url": organization.base_url + receipt_check_url(votation.component),
        },
    )


def receipt_check_url(component: Component) -> str:
    return reverse("votations:receipt", kwargs=component.url_kwargs())


def cast_ballot(*, actor: User, votation: Votation, marks: Marks, channel: str = Ballot.Channel.ONLINE) -> Ballot:
    """A person votes, online or at a desk (`actor` is then the person helped,
    agora.desk). Final: a ballot cannot be changed, as in a polling station."""
    if channel not in (Ballot.Channel.ONLINE, Ballot.Channel.DESK):
        raise ValueError(channel)
    with transaction.atomic():
        votation = _for_write(votation)
        require(actor, "votations.vote", votation)
        ballot = _store_ballot(
            votation=votation,
            marks=marks,
            channel=channel,
            voter=actor,
            key=account_key(_organization(votation), actor),
        )
        # Who voted (never what) is in the staff's log, like a polling station's register.
        trace(actor, "votations.voted", votation, component=votation.component, data={"channel": channel})
        queue_receipt(ballot)
        # Last: the statistics' rows are the last a ballot locks.
        statistics.record(kind=statistics.BALLOT, component=votation.component, person=actor, channel=channel)
    return ballot


@dataclass(frozen=True)
class PaperIdentity:
    """The person of a paper ballot with identity (a postal vote, a register signed)."""

    last_name: str
    first_name: str
    birth_date: date


def _paper_open(actor: User, votation: Votation) -> None:
    require(actor, "votations.manage", votation.component)
    if votation.state == Votation.State.DRAFT:
        raise ValidationError(_("Paper ballots are entered once the vote is open."))


def _station(text: str) -> str:
    station = (text or "").strip()
    if not station:
        raise ValidationError({"station": _("Give the polling station (or the batch) of this paper.")})
    return station[:100]


def enter_paper_ballot(
    *, actor: User, votation: Votation, marks: Marks, station: str, identity: PaperIdentity | None = None
) -> Ballot:
    """Staff enter one paper ballot, checked by the same rules. With the person's
    identity the one-ballot-per-person constraint applies across channels: a
    person who voted online (with a civil verification) or on paper is refused."""
    station = _station(station)
    with transaction.atomic():
        votation = _for_write(votation)
        _paper_open(actor, votation)
        key = ""
        if identity is not None:
            if not identity.last_name.strip() or not identity.first_name.strip():
                raise ValidationError(_("Give the person's last and first names, or no identity at all."))
            key = person_key(
                _organization(votation),
                last_name=identity.last_name,
                first_name=identity.first_name,
                birth_date=identity.birth_date,
            )
        ballot = _store_ballot(
            votation=votation, marks=marks, channel=Ballot.Channel.PAPER, key=key, station=station, entered_by=actor
        )
        trace(
            actor,
            "votations.paper_ballot",
            votation,
            component=votation.component,
            data={"station": station, "ballot": ballot.pk, "with_identity": identity is not None},
        )
        statistics.record(kind=statistics.BALLOT, component=votation.component, person=None, channel=statistics.PAPER)
    return ballot


def _whole(value: Any, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("%(what)s: give a whole number.") % {"what": what}) from None
    if number < 0 or number > COUNT_MAX:
        raise ValidationError(_("%(what)s: give a whole number, 0 or more.") % {"what": what})
    return number


@transaction.atomic
def enter_station_count(
    *, actor: User, votation: Votation, station: str, ballots: int, votes: dict[int, int]
) -> StationCount:
    """The count of a polling station's box: the ballots in it and, per option,
    how many marked it. Once per station (the database refuses a second);
    checked: one answer per ballot for a yes-or-no or one-option question, never
    more marks for an option than ballots. Rankings are entered ballot by ballot."""
    station = _station(station)
    votation = _for_write(votation)
    _paper_open(actor, votation)
    ballots = _whole(ballots, _("Ballots in the box"))
    questions = list(votation.questions.prefetch_related("options"))
    if any(not question.counted_by_station for question in questions):
        raise ValidationError(
            _(
                "This vote has a ranking: a station's box cannot be counted option by option; enter its ballots one by one."
            )
        )
    counted: dict[int, int] = {}
    for question in questions:
        total = 0
        for option in question.options.all():
            number = _whole(votes.get(option.pk, 0), f"{question} — {option}")
            if number > ballots:
                raise ValidationError(
                    _("“%(option)s” has more votes than there are ballots in the box.") % {"option": option}
                )
            counted[option.pk] = number
            total += number
        if question.kind in (Question.Kind.YES_NO, Question.Kind.SINGLE) and total > ballots:
            raise ValidationError(
                _("“%(question)s”: the answers add up to more than the ballots in the box.") % {"question": question}
            )
    if StationCount.objects.filter(votation=votation, station=station).exists():
        raise ValidationError({"station": _("This polling station has already been counted.")})
    try:
        with transaction.atomic():
            count = StationCount.objects.create(votation=votation, station=station, ballots=ballots, entered_by=actor)
    except IntegrityError:
        raise ValidationError({"station": _("This polling station has already been counted.")}) from None
    StationVotes.objects.bulk_create(
        [StationVotes(count=count, option_id=option_id, votes=number) for option_id, number in counted.items()]
    )
    for option_id in sorted(counted):
        if counted[option_id]:
            Option.objects.filter(pk=option_id).update(votes_paper=F("votes_paper") + counted[option_id])
    trace(
        actor,
        "votations.station_counted",
        votation,
        component=votation.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"station": station, "ballots": ballots},
    )
    if ballots:
        statistics.record(kind=statistics.BALLOT, component=votation.component, person=None, channel=statistics.PAPER)
    return count


def log_export(*, actor: User, votation: Votation) -> None:
    require(actor, "votations.manage", votation.component)
    trace(actor, "votations.ballots_exported", votation, component=votation.component)


# --- an initiative's citizen vote (agora.components.initiatives.api) --------------------------------------


@transaction.atomic
def open_from_initiative(
    *, actor: User, component: Component, request: initiatives_api.VoteRequest, vote_url: str = ""
) -> Votation:
    """A vote in preparation, pre-filled with the initiative's question (yes or
    no, Grenoble's rule: a majority and 16,000 votes in favour, to adjust) and
    its text as the booklet; the initiative records that a vote was opened on it
    (public, its signers told). Once per initiative (unique)."""
    require(actor, "votations.manage", component)
    if Votation.objects.filter(initiative_id=request.initiative_id).exists():
        raise ValidationError(_("A vote has already been opened on this initiative."))
    title = tr(request.title)
    votation = Votation.objects.create(
        component=component,
        title=title,
        description=clean_translated_html(
            tr(
                "<p>Cette votation fait suite à l'initiative citoyenne « %s », soutenue par %s signataires.</p>"
                % (escape(request.title), request.signatures),
                "<p>This vote follows the citizen initiative “%s”, supported by %s signers.</p>"
                % (escape(request.title), request.signatures),
            )
        ),
        initiative_id=request.initiative_id,
        initiative_url=request.url[:300],
    )
    save_question(
        actor=actor,
        votation=votation,
        title=tr(request.question),
        booklet=tr(request.body_html),
        kind=Question.Kind.YES_NO,
        blank_allowed=True,
    )
    votation.component = component
    url = vote_url or votation.get_absolute_url()
    trace(actor, "votations.created", votation, component=component, data={"initiative": request.initiative_id})
    initiatives_api.vote_opened(actor=actor, initiative_id=request.initiative_id, reference=url)
    return votation
