"""Every write of the opinion maps: permission, transaction, action log. A vote is
an upsert (one per participant and statement, changeable); after votes the analysis
is requested once (debounce) from the background worker (tasks.recompute)."""

import csv
import io
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.actionlog.services import trace
from agora.components.models import Component
from agora.components.opinions import analysis
from agora.components.opinions.apps import OPINION
from agora.components.opinions.models import STATEMENT_MAX, Conversation, Participant, Result, Statement, Vote
from agora.components.opinions.tasks import recompute_task
from agora.components.selectors import for_write
from agora.core.csvfiles import SafeWriter
from agora.core.sanitize import clean_translated_html
from agora.moderation.limits import check_posting_rate
from agora.permissions import require
from agora.statistics import api as statistics

# Votes within this many seconds are analysed together (the worker's task runs after it).
DEBOUNCE_SECONDS = 20


def conversation_of(component: Component) -> Conversation:
    """The component's conversation, made on first use."""
    conversation, _created = Conversation.objects.get_or_create(component=component)
    return conversation


@transaction.atomic
def update_conversation(*, actor: User, component: Component, question: dict, description: dict) -> Conversation:
    require(actor, "opinions.manage", component)
    if not any((text or "").strip() for text in question.values()):
        raise ValidationError({"question": _("Ask the question of the opinion map.")})
    conversation = Conversation.objects.select_for_update().get(pk=conversation_of(component).pk)
    conversation.question = {code: text.strip() for code, text in question.items() if text}
    conversation.description = clean_translated_html(description)
    conversation.save(update_fields=["question", "description"])
    trace(actor, "opinions.conversation_updated", conversation, component=component)
    return conversation


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Write the statement.")})
    if len(text) > STATEMENT_MAX:
        raise ValidationError(
            {
                "text": _("A statement has at most %(limit)s characters (this one has %(n)s).")
                % {"limit": STATEMENT_MAX, "n": len(text)}
            }
        )
    return text


def _language(component: Component) -> str:
    organization = component.space.organization
    language = (get_language() or "").split("-")[0]
    return language if language in organization.languages else organization.default_language


@transaction.atomic
def add_seed_statement(*, actor: User, component: Component, text: str) -> Statement:
    """A statement of the organization: published at once."""
    require(actor, "opinions.manage", component)
    statement = Statement.objects.create(
        conversation=conversation_of(component),
        text=_clean_text(text),
        language=_language(component),
        seed=True,
        author=actor,
        state=Statement.State.PUBLISHED,
    )
    trace(actor, "opinions.statement_added", statement.conversation, component=component, data={"seed": True})
    request_recompute(statement.conversation)  # the map's tables list it once analysed
    return statement


@transaction.atomic
def propose_statement(*, actor: User, component: Component, text: str) -> Statement:
    """A participant's statement: published at once when the component moderates
    after, awaiting a moderator when it moderates before."""
    component = for_write(component)
    require(actor, "opinions.propose", component)
    text = _clean_text(text)
    check_posting_rate(actor, "opinion_statement")
    conversation = conversation_of(component)
    if (
        Statement.objects.filter(conversation=conversation, text__iexact=text)
        .exclude(state=Statement.State.REJECTED)
        .exists()
    ):
        raise ValidationError({"text": _("This statement is already on the map: vote on it.")})
    before = component.settings_of().moderation == "before"
    statement = Statement.objects.create(
        conversation=conversation,
        text=text,
        language=_language(component),
        author=actor,
        state=Statement.State.PENDING if before else Statement.State.PUBLISHED,
    )
    trace(
        actor,
        "opinions.statement_added",
        conversation,
        component=component,
        visibility=ActionLog.Visibility.ADMIN,
        data={"statement": statement.pk, "pending": before},
    )
    if not before:
        request_recompute(conversation)  # the map's tables list it once analysed
    return statement


@transaction.atomic
def moderate_statement(*, actor: User, statement: Statement, publish: bool) -> Statement:
    component = statement.conversation.component
    require(actor, "opinions.manage", component)
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    locked.state = Statement.State.PUBLISHED if publish else Statement.State.REJECTED
    locked.save(update_fields=["state"])
    trace(
        actor,
        "opinions.statement_moderated",
        locked.conversation,
        component=component,
        data={"statement": locked.pk, "state": locked.state},
    )
    request_recompute(locked.conversation)
    return locked


def _join(conversation: Conversation, user: User, component: Component) -> Participant:
    """The person's pseudonymous participant, made on their first vote with the next
    number: the conversation's row is locked while the number is taken, so people
    joining at once queue there instead of colliding on the number."""
    try:
        with transaction.atomic():
            Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
            found = Participant.objects.filter(conversation=conversation, user=user).first()
            if found is not None:
                return found  # the same person, in another tab
            number = (
                Participant.objects.filter(conversation=conversation).aggregate(top=Max("number"))["top"] or 0
            ) + 1
            joined = Participant.objects.create(conversation=conversation, user=user, number=number)
            # One act of participation per person and map (not per vote: no counter row moves per vote).
            statistics.record(kind=OPINION, component=component, person=user)
            return joined
    except IntegrityError:
        found = Participant.objects.filter(conversation=conversation, user=user).first()
        if found is None:
            raise ValidationError(_("Too many people joined at once: try again."))
        return found


def _cast(participant_id: int, statement_id: int, value: int) -> tuple[int, bool]:
    """Insert the vote and add 1 to its statement's count, or change the person's
    vote on the statement: (vote id, created). The insert does nothing when the row
    exists (two tabs at once: the second waits for the first's commit, then finds
    the row and changes it). On PostgreSQL the insert and the count are one
    statement (a data-modifying WITH: atomic, one round trip, no BEGIN/COMMIT)."""
    votes, statements = Vote._meta.db_table, Statement._meta.db_table
    now = timezone.now()
    # Both tables are left out of the page cache's versions (agora.core.pagecache): its
    # watcher need not see these writes (it takes a statement starting with WITH for a read).
    insert = (
        f"INSERT INTO {votes} (participant_id, statement_id, value, created_at, updated_at) "
        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (participant_id, statement_id) DO NOTHING RETURNING id"
    )
    params: list[Any] = [participant_id, statement_id, value, now, now]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH cast_vote AS ({insert}), counted AS (UPDATE {statements} SET vote_count = vote_count + 1 "
                "WHERE id = %s AND EXISTS (SELECT 1 FROM cast_vote)) SELECT id FROM cast_vote",
                [*params, statement_id],
            )
            row = cursor.fetchone()
        else:
            with transaction.atomic():
                cursor.execute(insert, params)
                row = cursor.fetchone()
                if row:
                    cursor.execute(f"UPDATE {statements} SET vote_count = vote_count + 1 WHERE id = %s", [statement_id])
        if row:
            return row[0], True
        cursor.execute(
            f"UPDATE {votes} SET value = %s, updated_at = %s WHERE participant_id = %s AND statement_id = %s "
            "RETURNING id",
            [value, now, participant_id, statement_id],
        )
        return cursor.fetchone()[0], False


def vote(*, actor: User, component: Component, statement_id: int, value: int) -> Vote:
    """Vote, or change one's vote, on a published statement (one vote per
    participant and statement, held by the unique constraint). A new vote adds
    1 to the statement's count of votes (the "fewest votes first" order; the
    worker's analysis sets the counts to the rows again); the analysis is
    asked for once per window (request_recompute), never run here."""
    require(actor, "opinions.vote", component)
    if value not in (-1, 0, 1):
        raise ValidationError(_("Choose agree, disagree or pass."))
    # The statement, its conversation, the conversation's mark and the person's participant in one query.
    found = (
        Statement.objects.filter(pk=statement_id, conversation__component=component, state=Statement.State.PUBLISHED)
        .select_related("conversation")
        .only("id", "conversation__id", "conversation__component_id", "conversation__recompute_requested_at")
        .annotate(
            known_participant=Subquery(
                Participant.objects.filter(conversation_id=OuterRef("conversation_id"), user=actor).values("pk")[:1]
            )
        )
        .first()
    )
    if found is None:
        raise ValidationError(_("This statement is not open to votes."))
    conversation = found.conversation
    participant_id = found.known_participant or _join(conversation, actor, component).pk
    pk, _created = _cast(participant_id, found.pk, value)
    if conversation.recompute_requested_at is None:
        request_recompute(conversation)
    return Vote(pk=pk, participant_id=participant_id, statement_id=found.pk, value=value)


def request_recompute(conversation: Conversation) -> None:
    """Ask the worker for a new analysis, once for all the votes of the next
    DEBOUNCE_SECONDS: only the request that sets the mark queues the task."""
    now = timezone.now()
    marked = Conversation.objects.filter(pk=conversation.pk, recompute_requested_at__isnull=True).update(
        recompute_requested_at=now
    )
    if marked:

        def queue() -> None:
            backend = recompute_task.get_backend()
            if backend.supports_defer:
                recompute_task.using(run_after=now + timedelta(seconds=DEBOUNCE_SECONDS)).enqueue(conversation.pk)
            else:
                # The immediate backend (tests, demo) runs it now, after the commit.
                recompute_task.enqueue(conversation.pk)

        transaction.on_commit(queue)


# ---------------------------------------------------------------- Polis' open-data format


@transaction.atomic
def import_polis(*, actor: User, component: Component, votes_file: Iterable[str], comments_file: Iterable[str]) -> int:
    """Import a conversation exported by Polis (comments.csv, participants-votes.csv)
    into an empty opinion map. Returns the number of votes imported."""
    require(actor, "opinions.manage", component)
    conversation = conversation_of(component)
    if Vote.objects.filter(participant__conversation=conversation).exists():
        raise ValidationError(_("This opinion map already has votes: import into a new one."))
    try:
        comments = list(csv.DictReader(comments_file))
        matrix, _groups = analysis.read_participants_votes(votes_file)
    except (csv.Error, ValueError, StopIteration, KeyError, UnicodeDecodeError) as error:
        raise ValidationError(_("These files are not Polis exports: %(error)s") % {"error": error})
    if not comments or "comment-id" not in comments[0] or "comment-body" not in comments[0]:
        raise ValidationError(_("comments.csv needs the columns comment-id and comment-body."))
    language = _language(component)
    made: dict = {}
    for row in sorted(comments, key=lambda r: int(r["comment-id"]) if r["comment-id"].isdigit() else 0):
        text = " ".join((row.get("comment-body") or "").split())[:STATEMENT_MAX] or "—"
        moderated = (row.get("moderated") or "").strip()
        state = {"-1": Statement.State.REJECTED, "1": Statement.State.PUBLISHED}.get(
            moderated, Statement.State.PUBLISHED
        )
        made[analysis._as_id(row["comment-id"])] = Statement(
            conversation=conversation, text=text, language=language, seed=True, state=state
        )
    Statement.objects.bulk_create(made.values())
    start = Participant.objects.filter(conversation=conversation).aggregate(top=Max("number"))["top"] or 0
    people = Participant.objects.bulk_create(
        [Participant(conversation=conversation, number=start + 1 + i) for i in range(len(matrix.participants))]
    )
    batch = []
    count = 0
    for i, person in enumerate(people):
        for j, tid in enumerate(matrix.statements):
            value = matrix.values[i, j]
            if value == value and tid in made:  # not NaN
                batch.append(Vote(participant=person, statement=made[tid], value=int(value)))
        if len(batch) > 5000:
            Vote.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    Vote.objects.bulk_create(batch)
    count += len(batch)
    trace(actor, "opinions.imported", conversation, component=component, data={"votes": count})
    request_recompute(conversation)
    return count


def export_comments_csv(conversation: Conversation) -> str:
    """comments.csv in Polis' open-data format (published and rejected statements;
    authors by their participant number, never their account)."""
    authors = dict(
        Participant.objects.filter(conversation=conversation, user__isnull=False).values_list("user_id", "number")
    )
    counts: dict[int, dict[int, int]] = {}
    for statement_id, value, n in (
        Vote.objects.filter(statement__conversation=conversation)
        .values_list("statement_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(statement_id, {})[value] = n
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(
        ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"]
    )
    # What the platform's moderation hid is left out (not exported as rejected).
    for statement in Statement.objects.filter(conversation=conversation).visible().order_by("-pk"):
        votes = counts.get(statement.pk, {})
        moderated = {"published": 1, "rejected": -1}.get(str(statement.state), 0)
        writer.writerow(
            [
                int(statement.created_at.timestamp() * 1000),
                statement.created_at.isoformat(),
                statement.pk,
                "" if statement.seed or statement.author_id is None else authors.get(statement.author_id, ""),
                votes.get(1, 0),
                votes.get(-1, 0),
                moderated,
                statement.text,
            ]
        )
    return buffer.getvalue()


def export_participants_votes_csv(conversation: Conversation) -> str:
    """participants-votes.csv in Polis' open-data format: one row per participant
    (their number), the group of the latest analysis, and their votes."""
    statements = list(
        Statement.objects.filter(conversation=conversation)
        .visible()
        .exclude(state=Statement.State.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    result = Result.objects.filter(conversation=conversation).first()
    groups = (result.data.get("groups") or {}) if result else {}
    authored: dict[int | None, int] = {}
    for user_id in Statement.objects.filter(conversation=conversation, seed=False).values_list("author_id", flat=True):
        authored[user_id] = authored.get(user_id, 0) + 1
    votes: dict[int, dict[int, int]] = {}
    for participant_id, statement_id, value in Vote.objects.filter(participant__conversation=conversation).values_list(
        "participant_id", "statement_id", "value"
    ):
        votes.setdefault(participant_id, {})[statement_id] = value
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *statements])
    for person in Participant.objects.filter(conversation=conversation).order_by("number"):
        own = votes.get(person.pk, {})
        values = list(own.values())
        writer.writerow(
            [
                person.number,
                groups.get(str(person.number), ""),
                authored.get(person.user_id, 0) if person.user_id else 0,
                len(values),
                values.count(1),
                values.count(-1),
                *[own.get(s, "") for s in statements],
            ]
        )
    return buffer.getvalue()


# --- the platform's moderation (reports) -------------------------------------------------------


@transaction.atomic
def follow_moderation(*, statement: Statement, hidden: bool) -> Statement:
    """The platform's moderation hid a reported statement (or showed it again):
    hidden, a published statement is rejected (out of the voting and the map, and
    moderated out of the next analysis); shown again, a statement rejected that way
    is published again. Called by agora.moderation through the manifest's adapter
    (integrations.StatementReports), in the moderator's transaction."""
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    if hidden and locked.state == Statement.State.PUBLISHED:
        locked.state = Statement.State.REJECTED
    elif not hidden and locked.state == Statement.State.REJECTED:
        locked.state = Statement.State.PUBLISHED
    else:
        return locked
    locked.save(update_fields=["state"])
    request_recompute(locked.conversation)
    return locked
