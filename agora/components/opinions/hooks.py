"""Hooks of the opinion maps' manifest: statistics and the demo seed."""

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from agora.components.opinions import seeds, selectors
from agora.components.opinions.apps import OPINION
from agora.components.opinions.models import Participant, Result, Statement, Vote
from agora.core.translations import translated
from agora.statistics import api as statistics


def stats(component):
    result = Result.objects.filter(conversation__component=component).first()
    return [
        (_("Statements"), Statement.objects.filter(conversation__component=component, state="published").count()),
        (_("Participants who voted"), Participant.objects.filter(conversation__component=component).count()),
        (_("Votes"), Vote.objects.filter(statement__conversation__component=component).count()),
        (_("Groups of opinion"), (result.data.get("k") or 0) if result else 0),
    ]


def search(component):
    """The question and its published statements, for a public opinion map."""
    if not component.is_public:
        return []
    conversation = selectors.conversation_for(component)
    if conversation is None:
        return []
    texts = [strip_tags(translated(conversation.description))] + [
        statement.text for statement in selectors.published(conversation)
    ]
    return [
        (translated(conversation.question) or str(component), " ".join(texts).strip(), component.get_absolute_url())
    ]


def seed(component):
    seeds.seed(component)


def open_data_statements(component):
    """The published statements of a public opinion map and the votes of each group
    (nobody's vote: counts and shares only). Polis' own format is in the back-office."""
    if not component.is_public:
        return
    conversation = selectors.conversation_for(component)
    if conversation is None:
        return
    found = selectors.opinion_map(conversation)
    rows = found.rows or [
        selectors.StatementRow(s, [], selectors.GroupRow()) for s in selectors.published(conversation)
    ]
    for row in rows:
        yield {
            "id": row.statement.pk,
            "text": row.statement.text,
            "seed": row.statement.seed,
            "agree": row.total.agree,
            "disagree": row.total.disagree,
            "pass": row.total.passed,
            "groups": found.k,
            "agree_by_group": [group.agree_pct for group in row.groups],
            "disagree_by_group": [group.disagree_pct for group in row.groups],
        }


def participation(component):
    """Joining the opinion map (a person's first vote), for the participation statistics."""
    joined = (
        Participant.objects.filter(conversation__component=component, user__isnull=False)
        .values_list("created_at", "user_id")
        .iterator(chunk_size=5000)
    )
    for created_at, user_id in joined:
        yield statistics.Event(OPINION, statistics.ONLINE, timezone.localdate(created_at), user_id)


def participant_ids(components):
    """Who voted on these opinion maps."""
    return Participant.objects.filter(conversation__component__in=components, user__isnull=False).values_list(
        "user_id", flat=True
    )


def personal_data(person):
    """The person's statements and votes on opinion maps ("download my data")."""
    yield (
        "statements",
        Statement.objects.filter(author=person).order_by("pk").values("conversation_id", "text", "state", "created_at"),
    )
    yield (
        "votes",
        Vote.objects.filter(participant__user=person)
        .order_by("pk")
        .values("statement_id", "statement__text", "value", "created_at", "updated_at"),
    )
