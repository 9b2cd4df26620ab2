"""Every write of the budgets component: permission, transaction, action log.

Ballots: the same `_store_ballot` serves every channel (online, desk, paper
with or without identity) and checks the ballot with the budget's rule
(ballot_rules.check_ballot). The database holds one ballot per person and
budget (unique constraint); the per-project counters change in the same
transaction as the choice rows, in project id order (no deadlock between two
ballots naming the same projects).
"""

import hashlib
import logging
import math
import secrets
from collections.abc import Callable, Iterable
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.actionlog.services import Notice, log_action, trace
from agora.components.budgets import notifications, selectors
from agora.components.budgets.ballot_rules import IMPORTED_RULE, Problem, RuleSpec, check_ballot, score
from agora.components.budgets.counting import count, counting_ids, to_pabulib
from agora.components.budgets.models import (
    Ballot,
    BallotRecord,
    Budget,
    Choice,
    Incompatibility,
    Override,
    PaperCount,
    PaperImport,
    Project,
    ProjectDocument,
)
from agora.components.budgets.tasks import queue_receipt
from agora.components.budgets.validators import validate_document
from agora.components.models import Component
from agora.components.proposals import api as proposals_api
from agora.components.selectors import for_write
from agora.core import images
from agora.core.csvfiles import CsvImportError, decode, open_reader
from agora.core.files import delete_file_after_commit
from agora.core.numbers import parse_int
from agora.core.receipts import new_receipt
from agora.core.sanitize import clean_translated_html, plain_text_to_html
from agora.permissions import require
from agora.sortition.randomness import Stream
from agora.statistics import api as statistics
from agora.tally import pabulib

logger = logging.getLogger(__name__)


class BallotRefused(Exception):
    """The ballot breaks the rule, or the person already voted."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


# --- budgets and projects --------------------------------------------------------

COUNTING_FIELDS = (
    "rule",
    "method",
    "completion",
    "min_projects",
    "max_projects",
    "min_percent",
    "max_per_category",
    "points_total",
    "points_min",
    "points_max",
    "rank_k",
    "savings_target",
    "envelope",
    "min_votes",
    "min_votes_percent",
)


def voting_started(budget: Budget) -> bool:
    """Once the first ballot is in (or the vote is open), the rule and the
    counting method are locked."""
    if budget.voting_started_at is not None or Ballot.objects.filter(budget=budget).exists():
        return True
    return bool(budget.component.phase_settings_of().votes_enabled) and not budget.imported_from


def _check_budget(budget: Budget) -> None:
    if budget.max_projects is not None and budget.max_projects < budget.min_projects:
        raise ValidationError(_("The maximum number of projects must be at least the minimum."))
    if budget.points_max is not None and budget.points_max < budget.points_min:
        raise ValidationError(_("The maximum points per project must be at least the minimum."))
    if budget.min_percent > 100:
        raise ValidationError(_("The minimum share of the envelope is a percentage (0 to 100)."))
    if budget.min_votes_percent > 100:
        raise ValidationError(_("The minimum share of the ballots is a percentage (0 to 100)."))
    if budget.min_votes < 1 and not budget.imported_from:
        raise ValidationError(_("A project needs at least 1 vote to be funded."))


TIE_ORDER_LABEL = b"agora-tie-order"


def tie_order_of(seed: bytes, project_ids: list[int]) -> list[int]:
    """The tie-breaking order that `seed` gives the projects: the documented SHA-256
    stream of the sortitions (agora.sortition.randomness, label "agora-tie-order")
    shuffles the ids sorted as numbers (a whole Fisher–Yates shuffle), so anyone
    re-derives the published order from the published seed (docs/sortition.md)."""
    ordered = [str(pk) for pk in sorted(project_ids)]
    return [int(pk) for pk in Stream(seed, TIE_ORDER_LABEL).order(ordered)]


def draw_tie_order(budget: Budget) -> list[int]:
    """Draw, once, the order that breaks the last ties of the count (after lowest
    cost and most votes): when the vote opens (the budget page first shown while it
    is open, or the first ballot) and in any case before counting. Published on the
    budget page. Idempotent: the first draw stays (a conditional UPDATE, so two
    requests cannot both draw). Not a person's action: no permission to ask."""
    if budget.tie_drawn_at is not None:
        return budget.tie_draw
    seed = secrets.token_bytes(32)
    ids = tie_order_of(seed, list(Project.objects.filter(budget=budget).values_list("id", flat=True)))
    now = timezone.now()
    if Budget.objects.filter(pk=budget.pk, tie_drawn_at__isnull=True).update(tie_draw=ids, tie_drawn_at=now):
        component = budget.component
        log_action(
            actor=None,
            verb="budgets.tie_order_drawn",
            target=budget,
            organization=component.space.organization,
            space=component.space,
            component=component,
            visibility=ActionLog.Visibility.PUBLIC,
            data={"order": ids, "seed": seed.hex()},
        )
        budget.tie_draw, budget.tie_drawn_at = ids, now
    else:
        budget.tie_draw, budget.tie_drawn_at = (
            Budget.objects.filter(pk=budget.pk).values_list("tie_draw", "tie_drawn_at").get()
        )
    return budget.tie_draw


@transaction.atomic
def save_budget(*, actor: User, budget: Budget) -> Budget:
    """Create or update a budget. The rule and the counting method cannot
    change once voting has started."""
    component = budget.component
    require(actor, "budgets.manage", component)
    _check_budget(budget)
    budget.description = clean_translated_html(budget.description or {})
    creating = budget.pk is None
    if not creating:
        stored = Budget.objects.select_for_update().get(pk=budget.pk)
        stored.component = component
        changed = [name for name in COUNTING_FIELDS if getattr(stored, name) != getattr(budget, name)]
        if changed and voting_started(stored):
            raise ValidationError(
                _("Voting has started: the ballot rule, the envelope and the counting method can no longer change.")
            )
    budget.save()
    trace(actor, "budgets.budget_created" if creating else "budgets.budget_updated", budget, component=component)
    return budget


@transaction.atomic
def delete_budget(*, actor: User, budget: Budget) -> None:
    require(actor, "budgets.manage", budget.component)
    if Ballot.objects.filter(budget=budget).exists() or PaperCount.objects.filter(project__budget=budget).exists():
        raise ValidationError(_("This budget has ballots: it cannot be deleted."))
    trace(actor, "budgets.budget_deleted", budget, component=budget.component)
    budget.delete()


@transaction.atomic
def save_project(
    *,
    actor: User,
    project: Project,
    image: File | Literal[False] | None = None,
    proposals: Iterable[proposals_api.Proposal] | None = None,
    document: File | None = None,
    document_title: str = "",
) -> Project:
    """Create or update a project. `image`: None keeps it, False removes it,
    a file replaces it; `document`: an extra document to attach."""
    budget = project.budget
    component = budget.component
    require(actor, "budgets.manage", component)
    creating = project.pk is None
    stored = None
    if not creating:
        stored = Project.objects.select_for_update().get(pk=project.pk)
        if stored.cost != project.cost and voting_started(budget):
            raise ValidationError(_("Voting has started: the cost of a project can no longer change."))
        if image is None:
            project.image, project.image_variants = stored.image.name, stored.image_variants
    images.check_picture(project.image if image is None else image, project.image_alt)
    if image is not None:
        # Upright and without its metadata (agora.core.images); copies made once it is stored.
        project.image = images.clean_image(image) if image else ""
        project.image_variants = {}
    project.component = component
    project.description = clean_translated_html(project.description or {})
    project.save()
    if image:
        project.image_variants = images.make_variants(project.image.storage, project.image.name)
        project.save(update_fields=["image_variants"])
    if image is not None and stored is not None and stored.image:
        images.delete_image_after_commit(stored.image.storage, stored.image.name, stored.image_variants)
    if proposals is not None:
        project.proposals.set(proposals)
    if document is not None:
        validate_document(document)
        ProjectDocument.objects.create(
            project=project,
            title=document_title or document.name,  # type: ignore[misc]  # an upload has a name
            file=document,
        )
    trace(actor, "budgets.project_created" if creating else "budgets.project_updated", project, component=component)
    return project


@transaction.atomic
def delete_project(*, actor: User, project: Project) -> None:
    require(actor, "budgets.manage", project.budget.component)
    if Choice.objects.filter(project=project).exists() or PaperCount.objects.filter(project=project).exists():
        raise ValidationError(_("This project has votes: it cannot be deleted."))
    trace(actor, "budgets.project_deleted", project, component=project.budget.component)
    documents = list(project.documents.all())
    project.delete()
    images.delete_image_after_commit(project.image.storage, project.image.name, project.image_variants)
    for document in documents:
        delete_file_after_commit(document.file)


@transaction.atomic
def projects_from_ideas(
    *, actor: User, budget: Budget, proposals: Iterable[proposals_api.Proposal], costs: dict[int, int]
) -> list[Project]:
    """Turn accepted ideas into projects of `budget` in one action: each
    project keeps the link to its idea, and the ideas' authors are told."""
    component = budget.component
    require(actor, "budgets.manage", component)
    created = []
    for proposal in proposals:
        if not proposals_api.is_accepted(proposal):
            raise ValidationError(_("“%(title)s” is not an accepted idea.") % {"title": proposal.title})
        cost = costs.get(proposal.pk)
        if cost is None or cost < 0:
            raise ValidationError(_("Give a cost for “%(title)s”.") % {"title": proposal.title})
        project = Project.objects.create(
            component=component,
            budget=budget,
            title={"fr": proposal.title},
            cost=int(cost),
            description=clean_translated_html({"fr": plain_text_to_html(proposal.body)}),
            category_id=proposal.category_id,
            scope_id=proposal.scope_id,
            address=proposal.address,
            latitude=proposal.latitude,
            longitude=proposal.longitude,
        )
        project.proposals.add(proposal)
        created.append(project)
        trace(
            actor,
            "budgets.project_created",
            project,
            component=component,
            data={"from_idea": proposal.pk},
            notify=[
                Notice(
                    "budgets.idea_became_project",
                    to=[proposal.author_id],
                    url=project.get_absolute_url(),
                    data={"idea": proposal.title},
                )
            ]
            if proposal.author_id
            else (),
        )
    return created


# --- ballots -----------------------------------------------------------------------


def _counter_fields(channel: str) -> tuple[str, str]:
    paper = channel == Ballot.Channel.PAPER
    return ("votes_paper", "points_paper") if paper else ("votes_online", "points_online")


def _apply(budget: Budget, channel: str, choices: dict[int, int], sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) a ballot's choices to the counters,
    locking the rows in id order (two ballots never wait on each other in a
    cycle). On PostgreSQL one statement: the rows every ballot of the budget
    updates are locked for one round trip less per project."""
    spec = RuleSpec.of(budget)
    votes_field, points_field = _counter_fields(channel)
    ids = sorted(choices)
    points = [score(spec, choices[pk]) or 0 for pk in ids]
    if not ids:
        return
    if connection.vendor == "postgresql":
        table = Project._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} p SET {votes_field} = p.{votes_field} + %s, "
                f"{points_field} = p.{points_field} + v.points * %s "
                f"FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, points) "
                f"WHERE p.id = v.id AND p.budget_id = %s AND p.id IN "
                f"(SELECT id FROM {table} WHERE id = ANY(%s) ORDER BY id FOR UPDATE)",
                [sign, sign, ids, points, budget.pk, ids],
            )
        return
    for project_id, project_points in zip(ids, points):
        updates = {votes_field: F(votes_field) + sign}
        if project_points:
            updates[points_field] = F(points_field) + sign * project_points
        Project.objects.filter(pk=project_id, budget=budget).update(**updates)


def _check(budget: Budget, choices: dict[int, int]) -> None:
    problems = check_ballot(RuleSpec.of(budget), selectors.project_infos(budget), choices)
    if problems:
        raise BallotRefused(problems)


def _already_voted() -> "BallotRefused":
    return BallotRefused([Problem("already_voted", _("A ballot has already been recorded for this person."))])


def _store_ballot(
    *,
    budget: Budget,
    voter: User | None,
    choices: dict[int, int],
    channel: str,
    reference: str = "",
    entered_by: User | None = None,
    may_change: bool = False,
    exclusive: bool = False,
    before_counters: Callable[[Ballot, bool], None] | None = None,
) -> tuple[Ballot, bool]:
    """Insert the ballot and its choices and move the counters, in the
    caller's transaction. Returns (ballot, changed): changed when an
    existing ballot of `voter` was replaced (only if `may_change`)."""
    _check(budget, choices)
    existing = None
    if voter is not None and may_change:
        existing = Ballot.objects.select_for_update().filter(budget=budget, voter=voter).first()
    if existing is None:
        # Without a change allowed, a lost race (or a second ballot) ends the whole
        # transaction: no savepoint needed. With changes allowed, a savepoint keeps
        # the transaction usable to turn the insert into a change.
        try:
            with transaction.atomic(savepoint=may_change):
                ballot = Ballot.objects.create(
                    budget=budget,
                    voter=voter,
                    channel=channel,
                    receipt=new_receipt(),
                    reference=reference,
                    public_id=secrets.token_hex(8),
                    entered_by=entered_by,
                    exclusive_component=budget.component if exclusive else None,
                )
        except IntegrityError:
            # Another request of the same person (a second tab, a desk) won the race,
            # or the person already voted in another budget of a "one budget" component.
            if voter is None or not may_change:
                raise _already_voted() from None
            existing = Ballot.objects.select_for_update().filter(budget=budget, voter=voter).first()
            if existing is None:
                raise _already_voted() from None
        else:
            Choice.objects.bulk_create(
                [Choice(ballot=ballot, project_id=pk, value=value) for pk, value in sorted(choices.items())]
            )
            if before_counters:
                before_counters(ballot, False)
            _apply(budget, channel, choices, +1)
            if budget.voting_started_at is None:
                Budget.objects.filter(pk=budget.pk, voting_started_at__isnull=True).update(
                    voting_started_at=timezone.now()
                )
                draw_tie_order(budget)
            return ballot, False
    if not may_change:
        raise _already_voted()
    old = {pk: value for pk, value in existing.choices.values_list("project_id", "value")}
    _apply(budget, existing.channel, old, -1)
    existing.choices.all().delete()
    Choice.objects.bulk_create(
        [Choice(ballot=existing, project_id=pk, value=value) for pk, value in sorted(choices.items())]
    )
    existing.channel = channel
    existing.save(update_fields=["channel", "updated_at"])
    if before_counters:
        before_counters(existing, True)
    _apply(budget, channel, choices, +1)
    return existing, True


def cast_ballot(
    *, actor: User, budget: Budget, choices: dict[int, int], channel: str = Ballot.Channel.ONLINE
) -> Ballot:
    """A person votes (online, or at a desk where `actor` is the person
    helped). With the "auto" validation setting the person may change the
    ballot until the vote closes; with "confirm" the first ballot is final."""
    with transaction.atomic():
        budget = _for_write(budget)
        require(actor, "budgets.vote", budget)
        ballot, changed = _cast(actor, budget, choices, channel)
    selectors.forget_voter_budgets(actor)
    return ballot


def _for_write(budget: Budget) -> Budget:
    """The budget, its component, space and phases as they are in the database
    now (inside the caller's transaction): the page may have loaded them from
    the per-process memo, and whether the vote is open, results published or
    the ballot rule changed must be what is committed, not what this process
    last saw."""
    fresh = Budget.objects.get(pk=budget.pk)
    fresh.component = for_write(budget.component)
    return fresh


def _cast(actor: User, budget: Budget, choices: dict[int, int], channel: str) -> tuple[Ballot, bool]:
    component = budget.component
    may_change = component.settings_of().validation == "auto"
    exclusive = component.settings_of().budget_choice == "one"

    def before_counters(ballot: Ballot, changed: bool) -> None:
        # Who voted (never what) is in the staff's log, like a signature list.
        trace(
            actor,
            "budgets.ballot_changed" if changed else "budgets.ballot_cast",
            budget,
            component=component,
            data={"channel": channel},
        )
        # The receipt is an outbox row of the ballot's transaction (agora.outbox):
        # stored with the ballot or not at all, then sent exactly once.
        queue_receipt(ballot, changed=changed)

    # The counters are the rows every ballot of the budget updates: they move
    # last, just before the commit, so that their row locks are held briefly.
    ballot, changed = _store_ballot(
        budget=budget,
        voter=actor,
        choices=dict(choices),
        channel=channel,
        may_change=may_change,
        exclusive=exclusive,
        before_counters=before_counters,
    )
    if not changed:  # after the counters: the statistics' rows are the last a ballot locks
        statistics.record(kind=statistics.BALLOT, component=component, person=actor, channel=channel)
    return ballot, changed


@transaction.atomic
def enter_paper_ballot(
    *, actor: User, budget: Budget, choices: dict[int, int], reference: str, voter: User | None = None
) -> Ballot:
    """Staff enter one paper ballot, checked by the same rule. With `voter`
    (a paper ballot with identity) the one-ballot-per-person constraint applies
    across channels."""
    budget = _for_write(budget)
    require(actor, "budgets.manage", budget.component)
    if budget.imported_from:
        raise BallotRefused([Problem("imported", _("This budget is a past edition imported for recounting."))])
    reference = (reference or "").strip()
    if not reference:
        raise BallotRefused([Problem("reference", _("Give the batch or polling station of this ballot."))])
    exclusive = voter is not None and budget.component.settings_of().budget_choice == "one"
    ballot, _changed = _store_ballot(
        budget=budget,
        voter=voter,
        choices=dict(choices),
        channel=Ballot.Channel.PAPER,
        reference=reference,
        entered_by=actor,
        exclusive=exclusive,
    )
    statistics.record(
        kind=statistics.BALLOT,
        component=budget.component,
        person=voter,
        channel=statistics.PAPER,
        district_id=budget.scope_id if voter is None else None,
    )
    trace(
        actor,
        "budgets.paper_ballot_entered",
        budget,
        component=budget.component,
        data={"reference": reference, "ballot": ballot.receipt, "with_identity": voter is not None},
    )
    return ballot


class ImportFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# Counts and points are PositiveIntegerFields (4 bytes on PostgreSQL). Costs and envelopes are
# big integers, kept far enough below 2**63 that the sum of a budget's costs still fits.
COUNT_MAX = 2**31 - 1
MONEY_MAX = 10**15


def _whole(text: str | int | float | None, what: str, maximum: int = COUNT_MAX) -> int:
    """A whole number of an imported file (a decimal part is dropped, as pabulib
    tools do), or a refusal that names the value: never an OverflowError."""
    number = parse_int(text, minimum=0, maximum=maximum, decimals=True)
    if number is None:
        raise ImportFailed(
            [
                _("%(what)s: “%(value)s” is not a whole number between 0 and %(max)s.")
                % {"what": what, "value": str(text)[:40], "max": maximum}
            ]
        )
    return number


def _read_text(upload: File) -> tuple[str, str]:
    """The text of an uploaded file (agora.core.csvfiles.decode) and the SHA-256 of its bytes."""
    raw = upload.read()
    try:
        return decode(raw), hashlib.sha256(raw).hexdigest()
    except CsvImportError as error:
        raise ImportFailed([reason for _line, reason in error.errors]) from None


@transaction.atomic
def import_paper_counts(*, actor: User, budget: Budget, upload: File) -> PaperImport:
    """Per-project counts per polling station from a CSV file with the
    columns station, project, votes (project: its id or its external id).
    All or nothing: any error and nothing is imported; errors name their line."""
    budget = _for_write(budget)
    require(actor, "budgets.manage", budget.component)
    if (
        budget.rule not in (Budget.Rule.APPROVAL, Budget.Rule.ENVELOPE, Budget.Rule.SAVINGS)
        or budget.method != Budget.Method.GREEDY
    ):
        raise ImportFailed(
            [
                _(
                    "Counts per polling station can only be imported for approval-type ballots "
                    "counted greedily; enter the paper ballots one by one instead."
                )
            ]
        )
    text, digest = _read_text(upload)
    projects = {str(p.pk): p for p in Project.objects.filter(budget=budget)}
    projects.update({p.external_id: p for p in projects.copy().values() if p.external_id})
    reader, header = open_reader(text)
    columns = ["station", "project", "votes"]
    if header[:3] != columns:
        raise ImportFailed([_("Line 1: the columns must be station, project, votes.")])
    reader.fieldnames = columns  # the cells after the third ones are a list under the key None
    errors: list = []
    rows: list[tuple[str, Project, int]] = []
    seen: set = set()
    existing = set(PaperCount.objects.filter(project__budget=budget).values_list("station", "project_id"))
    for row in reader:
        number = reader.line_num
        cells = [row[name] for name in columns]  # None: the line has fewer than three cells
        if not any((cell or "").strip() for cell in [*cells, *(row.get(None) or [])]):
            continue
        if None in cells:
            errors.append(_("Line %(n)d: three columns expected.") % {"n": number})
            continue
        station, project_ref, votes = (cell.strip() for cell in cells)
        project = projects.get(project_ref)
        if not station:
            errors.append(_("Line %(n)d: the polling station is empty.") % {"n": number})
        if project is None:
            errors.append(_("Line %(n)d: no project “%(ref)s” in this budget.") % {"n": number, "ref": project_ref})
        vote_count = parse_int(votes, minimum=0, maximum=COUNT_MAX)
        if vote_count is None:
            errors.append(_("Line %(n)d: the number of votes must be a whole number.") % {"n": number})
        if station and project is not None:
            key = (station, project.pk)
            if key in seen or key in existing:
                errors.append(
                    _("Line %(n)d: station “%(station)s” already has a count for this project.")
                    % {"n": number, "station": station}
                )
            seen.add(key)
        if not errors and project is not None and vote_count is not None:
            rows.append((station[:100], project, vote_count))
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([_("The file has no counts.")])
    paper_import = PaperImport.objects.create(
        budget=budget, filename=getattr(upload, "name", "")[:300], sha256=digest, imported_by=actor, rows=len(rows)
    )
    PaperCount.objects.bulk_create(
        [
            PaperCount(paper_import=paper_import, project=project, station=station, votes=votes)
            for station, project, votes in rows
        ]
    )
    totals: dict[int, int] = {}
    for _station, project, votes in rows:
        totals[project.pk] = totals.get(project.pk, 0) + votes
    for project_id in sorted(totals):
        Project.objects.filter(pk=project_id).update(votes_paper=F("votes_paper") + totals[project_id])
    if budget.voting_started_at is None:
        Budget.objects.filter(pk=budget.pk).update(voting_started_at=timezone.now())
        draw_tie_order(budget)
    trace(
        actor,
        "budgets.paper_counts_imported",
        budget,
        component=budget.component,
        data={"file": paper_import.filename, "sha256": digest, "rows": len(rows), "votes": sum(totals.values())},
    )
    return paper_import


# --- counting ----------------------------------------------------------------------


def preview_results(*, actor: User, budget: Budget) -> dict:
    require(actor, "budgets.manage", budget.component)

    draw_tie_order(budget)
    return count(budget)


def vote_is_open(budget: Budget) -> bool:
    """The active phase has votes open (a past edition imported from a file never has)."""
    return bool(budget.component.phase_settings_of().votes_enabled) and not budget.imported_from


@transaction.atomic
def publish_results(*, actor: User, budget: Budget, expected: list[str] | None = None, reason: str = "") -> Budget:
    """Count under the method chosen before the vote and freeze the result: the
    winners are `result["selected"]`, the one place they are stored.

    `expected`: the winners the officer saw on the confirmation page; if the
    count now gives others (a paper ballot entered meanwhile ...), nothing is
    published and the officer checks again. Publishing again while results are
    public needs a `reason` (public, in the log). The voters and the space's
    followers are told of a first publication and of any change of winners."""
    require(actor, "budgets.manage", budget.component)

    component = budget.component
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    budget.component = for_write(component)
    if vote_is_open(budget):
        raise ValidationError(_("The vote is still open: close it (phase settings) before publishing the results."))
    reason = (reason or "").strip()
    republishing = budget.results_published
    if republishing and not reason:
        raise ValidationError(_("Say why the results are published again: the reason is shown to the public."))
    result = count(budget)
    if expected is not None and [str(pk) for pk in expected] != result["selected"]:
        raise ValidationError(
            _(
                "The count has changed since you checked it (a ballot or a setting changed): "
                "check the changes again before publishing."
            )
        )
    changes = selectors.publication_changes(budget, result["selected"])
    budget.result = result
    budget.results_published_at = timezone.now()
    record = _open_record(budget)
    result["ballots_sha256"] = record.sha256
    budget.save(update_fields=["result", "results_published_at"])
    data = {
        "selected": result["selected"],
        "added": changes["added"],
        "dropped": changes["dropped"],
        "method": result["method"],
        "completion": result["completion"],
        "ballots_sha256": record.sha256,
        "ballots": record.ballots,
    }
    if reason:
        data["reason"] = reason[:2000]
    if not republishing:
        told = [notifications.notice(notifications.PUBLISHED, budget, url=budget.get_results_url())]
    elif changes["added"] or changes["dropped"]:
        told = [
            notifications.notice(
                notifications.CHANGED,
                budget,
                url=budget.get_results_url(),
                data={"added": len(changes["added"]), "dropped": len(changes["dropped"])},
            )
        ]
    else:
        told = []
    trace(
        actor,
        "budgets.results_republished" if republishing else "budgets.results_published",
        budget,
        component=budget.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data=data,
        notify=told,
    )
    return budget


def _open_record(budget: Budget) -> BallotRecord:
    """Freeze the open record of the result being published: the anonymised
    ballots file (counting.to_pabulib(public=True)), checked to recount to the
    same winners as `budget.result` (the file is what anyone recounts)."""
    projects = list(Project.objects.filter(budget=budget))
    pb = to_pabulib(budget, projects, public=True)
    text = pabulib.dumps(pb)
    pk_of = {counting_id: str(pk) for pk, counting_id in counting_ids(projects).items()}
    recounted = [pk_of[pid] for pid in pabulib.recount(pabulib.loads(text)).selected]
    if recounted != budget.result["selected"]:  # never expected: the file and the count share their code
        logger.error(
            "budget %s: the ballots file recounts to %s, not %s", budget.pk, recounted, budget.result["selected"]
        )
        raise ValidationError(
            _(
                "The file of the anonymised ballots does not recount to this result: nothing "
                "is published. Tell the administrators of the platform."
            )
        )
    record, _created = BallotRecord.objects.update_or_create(
        budget=budget,
        defaults={
            "pb_text": text,
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "ballots": len(pb.votes),
        },
    )
    return record


@transaction.atomic
def withdraw_results(*, actor: User, budget: Budget, reason: str) -> Budget:
    """Hide the results (the winners are no longer selected anywhere: the
    follow-up flags their results). If the active phase has votes open, the
    vote is open again. The reason is public; voters and followers are told."""
    require(actor, "budgets.manage", budget.component)

    component = budget.component
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    budget.component = for_write(component)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the results are withdrawn: the reason is shown to the public."))
    if not budget.results_published:
        raise ValidationError(_("The results of this budget are not published."))
    dropped = [str(pk) for pk in budget.winner_ids()]
    budget.results_published_at = None
    budget.result = {}
    budget.save(update_fields=["result", "results_published_at"])
    BallotRecord.objects.filter(budget=budget).delete()
    reopens = vote_is_open(budget)
    trace(
        actor,
        "budgets.results_withdrawn",
        budget,
        component=budget.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"dropped": dropped, "reason": reason[:2000], "vote_reopens": reopens},
        notify=[notifications.notice(notifications.WITHDRAWN, budget, url=budget.get_absolute_url())],
    )
    return budget


# --- the city's decisions on the count --------------------------------------------


def _decisions_budget(actor: User, budget: Budget) -> Budget:
    """The budget locked for a change of its decisions (two officers at once
    cannot both fund projects that together exceed the envelope)."""
    require(actor, "budgets.manage", budget.component)
    component = budget.component
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    budget.component = for_write(component)
    if budget.imported_from:
        raise ValidationError(_("A past edition imported from a file is counted as the file says."))
    return budget


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason: it is shown to the public with the decision."))
    return reason[:2000]


def _project_of(budget: Budget, project: Project | None) -> Project:
    if project is None or project.budget_id != budget.pk:
        raise ValidationError(_("This project is not in this budget."))
    return project


@transaction.atomic
def add_incompatibility(
    *, actor: User, budget: Budget, first: Project, second: Project, reason: str
) -> Incompatibility:
    """Two projects that cannot both be funded; the count funds at most one. Public."""
    budget = _decisions_budget(actor, budget)
    first, second = _project_of(budget, first), _project_of(budget, second)
    reason = _reason(reason)
    if first.pk == second.pk:
        raise ValidationError(_("Choose two different projects."))
    first, second = sorted((first, second), key=lambda project: project.pk)
    if Incompatibility.objects.filter(first=first, second=second).exists():
        raise ValidationError(_("These two projects are already incompatible."))
    funded = set(
        Override.objects.filter(budget=budget, decision=Override.Decision.FUND).values_list("project_id", flat=True)
    )
    if {first.pk, second.pk} <= funded:
        raise ValidationError(_("Both projects are funded by decision: withdraw one of these decisions first."))
    pair = Incompatibility.objects.create(budget=budget, first=first, second=second, reason=reason, created_by=actor)
    trace(
        actor,
        "budgets.incompatibility_added",
        budget,
        component=budget.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"projects": [str(first.pk), str(second.pk)], "reason": reason},
    )
    return pair


@transaction.atomic
def remove_incompatibility(*, actor: User, incompatibility: Incompatibility) -> None:
    budget = _decisions_budget(actor, incompatibility.budget)
    trace(
        actor,
        "budgets.incompatibility_removed",
        budget,
        component=budget.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={
            "projects": [str(incompatibility.first_id), str(incompatibility.second_id)],
            "reason": incompatibility.reason,
        },
    )
    Incompatibility.objects.filter(pk=incompatibility.pk).delete()


@transaction.atomic
def set_override(*, actor: User, budget: Budget, project: Project, decision: str, reason: str) -> Override:
    """Fund a project whatever its votes, or exclude it, with a public reason
    (as CONSUL's): after the vote, shown on the results page and in the public
    log. The published result changes only when the officer publishes again."""
    budget = _decisions_budget(actor, budget)
    project = _project_of(budget, project)
    reason = _reason(reason)
    if decision not in Override.Decision.values:
        raise ValidationError(_("Choose a decision."))
    if vote_is_open(budget):
        raise ValidationError(_("The vote is open: decisions on the count are taken after the vote."))
    others = Override.objects.filter(budget=budget).exclude(project=project)
    if decision == Override.Decision.FUND:
        funded = set(others.filter(decision=Override.Decision.FUND).values_list("project_id", flat=True))
        partners = {
            a if b == project.pk else b
            for a, b in Incompatibility.objects.filter(budget=budget)
            .filter(Q(first=project) | Q(second=project))
            .values_list("first_id", "second_id")
        }
        if funded & partners:
            raise ValidationError(_("A project incompatible with this one is already funded by decision."))
        cost = sum(Project.objects.filter(pk__in=funded).values_list("cost", flat=True)) + project.cost
        if cost > budget.envelope:
            raise ValidationError(_("The projects funded by decision would cost more than the envelope."))
    override, _created = Override.objects.update_or_create(
        project=project, defaults={"budget": budget, "decision": decision, "reason": reason, "created_by": actor}
    )
    trace(
        actor,
        "budgets.override_set",
        budget,
        component=budget.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"projects": [str(project.pk)], "decision": decision, "reason": reason},
    )
    return override


@transaction.atomic
def remove_override(*, actor: User, override: Override) -> None:
    budget = _decisions_budget(actor, override.budget)
    trace(
        actor,
        "budgets.override_removed",
        budget,
        component=budget.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"projects": [str(override.project_id)], "decision": override.decision, "reason": override.reason},
    )
    Override.objects.filter(pk=override.pk).delete()


def log_export(*, actor: User, budget: Budget, export_format: str) -> None:
    require(actor, "budgets.manage", budget.component)
    trace(actor, "budgets.ballots_exported", budget, component=budget.component, data={"format": export_format})


# --- pabulib import -----------------------------------------------------------------


@transaction.atomic
def import_pabulib(*, actor: User, component: Component, upload: File) -> Budget:
    """A past edition from a pabulib file: a budget (closed to votes) with its
    projects and anonymous ballots, to recount it."""
    require(actor, "budgets.manage", component)
    text, digest = _read_text(upload)
    try:
        pb = pabulib.loads(text)
        election = pb.to_election()
        min_score = pb.min_score()
        file_tie_order = pb.tie_order(election)
    except (pabulib.PabulibError, ValueError) as error:
        raise ImportFailed([str(error)]) from None
    kind = election.kind
    meta = pb.meta
    rule = IMPORTED_RULE[kind]
    meta_rule = meta.get("rule", "greedy")
    method = Budget.Method.MES if meta_rule.startswith("equalshares") else Budget.Method.GREEDY
    completion = Budget.Completion.ADD1 if meta_rule.endswith("add1") else Budget.Completion.NONE
    envelope = _whole(meta.get("budget") or 0, "budget", MONEY_MAX)
    budget = Budget.objects.create(
        component=component,
        title={"fr": meta.get("description") or upload.name or "pabulib"},
        envelope=envelope,
        rule=rule,
        method=method,
        completion=completion,
        min_projects=0,
        max_projects=None,
        points_total=_whole(meta.get("max_sum_points") or 0, "max_sum_points") or 100,
        points_min=1,
        rank_k=max(len(election.projects), 1),
        imported_from=(getattr(upload, "name", "") or "pb")[:300],
        voting_started_at=timezone.now(),
        # The file's own eligibility threshold (0 when it has none), so that a recount
        # here gives what pb_tally and pabutools give for the file.
        min_votes=math.ceil(min_score),
    )
    by_id = {}
    for position, row in enumerate(pb.projects):
        pid = row["project_id"]
        cost = _whole(row.get("cost") or 0, _("cost of project %(id)s") % {"id": pid}, MONEY_MAX)
        by_id[pid] = Project.objects.create(
            component=component,
            budget=budget,
            title={"fr": row.get("name") or pid},
            cost=cost,
            weight=position,
            external_id=pid[:100],
        )
    if file_tie_order is not None:  # the file publishes Agora's tie-breaking rule and its draw
        drawn = sorted(pb.projects, key=lambda row: int(row["draw"]))
        Budget.objects.filter(pk=budget.pk).update(
            tie_draw=[by_id[row["project_id"]].pk for row in drawn], tie_drawn_at=timezone.now()
        )
    ballots, choices = [], []
    for row in pb.votes:
        ballot = Ballot(
            budget=budget,
            voter=None,
            channel=Ballot.Channel.PAPER,
            receipt=new_receipt(),
            public_id=secrets.token_hex(8),
            reference=str(row.get("voter_id", ""))[:100],
            entered_by=actor,
        )
        ballots.append(ballot)
    Ballot.objects.bulk_create(ballots, batch_size=1000)
    for ballot, row in zip(ballots, pb.votes):
        ids = [v for v in (row.get("vote") or "").split(",") if v.strip()]
        if rule == Budget.Rule.POINTS:
            points = [
                _whole(p, _("points of voter %(id)s") % {"id": row.get("voter_id", "")})
                for p in (row.get("points") or "").split(",")
                if p.strip()
            ]
            values = dict(zip(ids, points))
        elif rule == Budget.Rule.RANKING:
            values = {pid: rank for rank, pid in enumerate(ids, start=1)}
        else:
            values = {pid: 1 for pid in ids}
        for pid, value in values.items():
            if pid not in by_id:
                raise ImportFailed([_("A vote names the unknown project “%(id)s”.") % {"id": pid}])
            if value >= 1:
                choices.append(Choice(ballot=ballot, project=by_id[pid], value=value))
    Choice.objects.bulk_create(choices, batch_size=5000)
    _recount_counters(budget)
    trace(
        actor,
        "budgets.pabulib_imported",
        budget,
        component=component,
        data={"file": budget.imported_from, "sha256": digest, "ballots": len(ballots)},
    )
    return budget


def _recount_counters(budget: Budget) -> None:
    """Set the counters from the rows (after a bulk import)."""
    spec = RuleSpec.of(budget)
    totals = {pk: [0, 0] for pk in Project.objects.filter(budget=budget).values_list("id", flat=True)}
    for project_id, value in Choice.objects.filter(ballot__budget=budget).values_list("project_id", "value"):
        totals[project_id][0] += 1
        totals[project_id][1] += score(spec, value)
    for pk, (votes, points) in totals.items():
        Project.objects.filter(pk=pk).update(votes_paper=votes, points_paper=points)
