"""Reads of the citizen-vote component: the votes a visitor sees, a vote's
questions with their options and documents, the results (turnout, each
question's figures with the online/paper split, the adoption rule applied) and
the anonymised ballots for a recount."""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.components.models import Component
from agora.components.votations.models import Ballot, Mark, Option, Question, StationCount, StationVotes, Votation
from agora.core.formats import number, percent
from agora.core.receipts import normalize_receipt


def votations_for(component: Component, user: User | AnonymousUser) -> list[Votation]:
    """The votes of the component the visitor sees (those in preparation: the staff only), open ones first."""
    rows = Votation.objects.filter(component=component)
    if not permissions.can(user, "votations.manage", component):
        rows = rows.exclude(state=Votation.State.DRAFT)
    order = {Votation.State.OPEN: 0, Votation.State.DRAFT: 1, Votation.State.CLOSED: 2}
    found = list(rows.order_by("-closes_at", "-id"))
    for votation in found:
        votation.component = component
    return sorted(found, key=lambda votation: order[Votation.State(votation.state)])


def votation_for(component: Component, user: User | AnonymousUser, votation_id: int) -> Votation | None:
    votation = Votation.objects.filter(component=component, pk=votation_id).first()
    if votation is None:
        return None
    votation.component = component
    return votation if permissions.can(user, "votations.view", votation) else None


def questions_of(votation: Votation) -> list[Question]:
    """The questions with their options and documents (three queries)."""
    return list(votation.questions.prefetch_related("options", "documents").order_by("position", "id"))


def ballot_of(votation: Votation, user: User | AnonymousUser) -> Ballot | None:
    if not user.is_authenticated:
        return None
    return Ballot.objects.filter(votation=votation, voter=user).first()


def ballot_for_receipt(component: Component, code: str) -> Ballot | None:
    receipt = normalize_receipt(code)
    if receipt is None:
        return None
    return Ballot.objects.select_related("votation").filter(votation__component=component, receipt=receipt).first()


@dataclass
class Turnout:
    online: int  # online and at a desk
    desk: int
    paper: int  # paper ballots entered one by one and polling-station boxes
    electorate: int | None

    @property
    def total(self) -> int:
        return self.online + self.paper

    @property
    def percent(self) -> Decimal | None:
        if not self.electorate:
            return None
        return (Decimal(self.total) * 100 / self.electorate).quantize(Decimal("0.01"))


def turnout(votation: Votation) -> Turnout:
    by_channel = dict(
        Ballot.objects.filter(votation=votation)
        .values_list("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    stations = StationCount.objects.filter(votation=votation).aggregate(total=Sum("ballots"))["total"] or 0
    desk = by_channel.get(Ballot.Channel.DESK, 0)
    return Turnout(
        online=by_channel.get(Ballot.Channel.ONLINE, 0) + desk,
        desk=desk,
        paper=by_channel.get(Ballot.Channel.PAPER, 0) + stations,
        electorate=votation.electorate,
    )


@dataclass
class Condition:
    label: str
    met: bool


@dataclass
class QuestionResult:
    question: Question
    options: list[Option]  # with .percent (of the answers), most votes (or points) first for a list
    answered: int  # ballots answering the question (rows, and station boxes' answers)
    blank: int
    in_favour: int
    against: int | None  # yes-or-no: the no votes
    leader: Option | None
    conditions: list[Condition] = field(default_factory=list)

    @property
    def adopted(self) -> bool:
        return all(condition.met for condition in self.conditions)


def _answered_rows(votation: Votation) -> dict[int, dict[str, int]]:
    """{question id: {channel group: ballots answering}} from the ballots' marks."""
    rows = (
        Mark.objects.filter(ballot__votation=votation)
        .values("option__question_id", "ballot__channel")
        .annotate(n=Count("ballot", distinct=True))
    )
    found: dict[int, dict[str, int]] = {}
    for row in rows:
        group = "paper" if row["ballot__channel"] == Ballot.Channel.PAPER else "online"
        found.setdefault(row["option__question_id"], {}).setdefault(group, 0)
        found[row["option__question_id"]][group] += row["n"]
    return found


def _station_answers(votation: Votation) -> dict[int, int]:
    """{question id: answers in the station boxes}: the votes of a one-answer question;
    for several options, the boxes' ballots (who left it blank is not counted by option)."""
    sums = dict(
        StationVotes.objects.filter(count__votation=votation)
        .values("option__question_id")
        .annotate(total=Sum("votes"))
        .values_list("option__question_id", "total")
    )
    return {question_id: total or 0 for question_id, total in sums.items()}


def results(votation: Votation, questions: list[Question] | None = None) -> tuple[Turnout, list[QuestionResult]]:
    """(Each option gets `percent`, its share of the answers.) The figures of every question and whether each is adopted under its rule:
    a majority (yes-or-no: more yes than no; a list: its leading option on more
    than half of the answers), a minimum of votes in favour (the yes, or the
    leading option's votes; a ranking: its first places), a turnout quorum
    (ballots of every channel over the people called to vote)."""
    questions = questions if questions is not None else questions_of(votation)
    figures = turnout(votation)
    rows = _answered_rows(votation)
    stations = _station_answers(votation)
    station_ballots = StationCount.objects.filter(votation=votation).aggregate(total=Sum("ballots"))["total"] or 0
    found = []
    for question in questions:
        options = list(question.options.all())
        answered_rows = sum(rows.get(question.pk, {}).values())
        if question.kind == Question.Kind.MULTIPLE:
            answered = answered_rows + station_ballots
        else:
            answered = answered_rows + stations.get(question.pk, 0)
        ranked = question.kind == Question.Kind.RANKED
        for option in options:
            share = (Decimal(option.votes_total) * 100 / answered).quantize(Decimal("0.1")) if answered else Decimal(0)
            setattr(option, "percent", share)
        if question.is_list:
            options.sort(key=lambda o: (-(o.points_total if ranked else o.votes_total), -o.votes_total, o.position))
        leader = options[0] if options and question.is_list else None
        against = None
        if question.kind == Question.Kind.YES_NO:
            yes = next((o for o in options if o.role == Option.Role.YES), None)
            no = next((o for o in options if o.role == Option.Role.NO), None)
            in_favour = yes.votes_total if yes else 0
            against = no.votes_total if no else 0
        else:
            in_favour = leader.votes_total if leader else 0
        result = QuestionResult(
            question=question,
            options=options,
            answered=answered,
            blank=max(figures.total - answered, 0),
            in_favour=in_favour,
            against=against,
            leader=leader,
        )
        result.conditions = _conditions(question, result, figures)
        found.append(result)
    return figures, found


def _conditions(question: Question, result: QuestionResult, figures: Turnout) -> list[Condition]:
    """The adoption rule's conditions, in words with their figures (the page's language)."""
    conditions = []
    if question.majority:
        if result.against is not None:
            conditions.append(
                Condition(
                    _("More yes than no (%(yes)s against %(no)s)")
                    % {"yes": number(result.in_favour), "no": number(result.against)},
                    result.in_favour > result.against,
                )
            )
        else:
            conditions.append(
                Condition(
                    _("The leading option on more than half of the answers (%(votes)s of %(answers)s)")
                    % {"votes": number(result.in_favour), "answers": number(result.answered)},
                    result.in_favour * 2 > result.answered,
                )
            )
    if question.min_in_favour is not None:
        conditions.append(
            Condition(
                _("At least %(min)s votes in favour (%(votes)s)")
                % {"min": number(question.min_in_favour), "votes": number(result.in_favour)},
                result.in_favour >= question.min_in_favour,
            )
        )
    if question.quorum_percent is not None:
        rate = figures.percent
        conditions.append(
            Condition(
                _("A turnout of at least %(quorum)s (%(turnout)s)")
                % {
                    "quorum": percent(question.quorum_percent, None),
                    "turnout": percent(rate, 2) if rate is not None else "—",
                },
                rate is not None and rate >= question.quorum_percent,
            )
        )
    return conditions


def anonymised_ballots(votation: Votation, *, seed: int | None = None) -> tuple[list[Question], list[list[str]]]:
    """Every ballot entered one by one (online, desk, paper), as its marks only:
    no voter, receipt, key, station or date, in a shuffled order (so the order
    says nothing of when or where people voted). Per question the cell is the
    option's number (its position), several joined by "+", a ranking in its
    order; empty: blank."""
    questions = questions_of(votation)
    position = {
        option.pk: (question.pk, option.position) for question in questions for option in question.options.all()
    }
    ballots: dict[int, dict[int, list[tuple[int, int]]]] = {}
    for ballot_id in Ballot.objects.filter(votation=votation).values_list("id", flat=True):
        ballots[ballot_id] = {}
    for ballot_id, option_id, value in Mark.objects.filter(ballot__votation=votation).values_list(
        "ballot_id", "option_id", "value"
    ):
        question_id, option_position = position[option_id]
        ballots[ballot_id].setdefault(question_id, []).append((value, option_position))
    lines = []
    for marks in ballots.values():
        line = []
        for question in questions:
            chosen = sorted(marks.get(question.pk, []))
            line.append("+".join(str(option_position) for _value, option_position in chosen))
        lines.append(line)
    shuffler = random.Random(seed) if seed is not None else random.SystemRandom()
    shuffler.shuffle(lines)
    return questions, lines


def public_votations(component: Component) -> list[Votation]:
    """For search and open data, which do not know who is asking: nothing of an
    unpublished or private component, nothing in preparation."""
    if not component.is_public:
        return []
    found = list(Votation.objects.filter(component=component).exclude(state=Votation.State.DRAFT).order_by("pk"))
    for votation in found:
        votation.component = component
    return found


def open_votations(component: Component) -> QuerySet[Votation]:
    return Votation.objects.filter(component=component, state=Votation.State.OPEN)


def public_questions(component: Component) -> list[Question]:
    """The questions of the votes `public_votations` gives (their booklets too): what the
    worker machine-translates."""
    if not component.is_public:
        return []
    return list(
        Question.objects.filter(votation__component=component)
        .exclude(votation__state=Votation.State.DRAFT)
        .order_by("pk")
    )
