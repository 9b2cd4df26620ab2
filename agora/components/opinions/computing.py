"""The analysis of a conversation from its stored votes, and its stored result: run
by the worker's task (tasks.recompute_task), the demo seed and the tests, never by a
page."""

import time

from django.db.models import Count
from django.utils import timezone

from agora.components.opinions import analysis
from agora.components.opinions.models import Conversation, Participant, Result, Statement, Vote


def clear_request(conversation_id: int) -> None:
    """The task has started: votes cast from now on ask for the next computation."""
    Conversation.objects.filter(pk=conversation_id).update(recompute_requested_at=None)


def vote_matrix(conversation: Conversation) -> tuple[analysis.VoteMatrix, set[int]]:
    """The matrix of every vote (participants in their numbers' order, statements in
    their ids' order) and the statements moderated out (rejected)."""
    statements = list(
        Statement.objects.filter(conversation=conversation)
        .exclude(state=Statement.State.PENDING)
        .order_by("pk")
        .values_list("pk", "state")
    )
    participants = list(
        Participant.objects.filter(conversation=conversation).order_by("number").values_list("pk", flat=True)
    )
    rows = Vote.objects.filter(participant__conversation=conversation).values_list(
        "participant_id", "statement_id", "value"
    )
    matrix = analysis.VoteMatrix.from_arrays(participants, [pk for pk, _state in statements], rows.iterator(20000))
    rejected = {pk for pk, state in statements if state == Statement.State.REJECTED}
    return matrix, rejected


def compute(conversation: Conversation, *, replay: bool | None = None) -> Result:
    """One analysis of the conversation, stored (called by the worker's task, the
    import and the demo seed; never by a page). `replay`: True replays the history
    (analysis.analyse_replayed), False runs one update, None (the default) replays
    only when there is no former state to start from."""
    matrix, rejected = vote_matrix(conversation)
    previous = Result.objects.filter(conversation=conversation).values_list("state", flat=True).first()
    started = time.perf_counter()
    if replay or (replay is None and not previous):
        found = analysis.analyse_replayed(matrix, moderated_out=rejected)
    else:
        found = analysis.analyse(matrix, moderated_out=rejected, previous=previous)
    seconds = time.perf_counter() - started
    data = found.as_dict()
    # the map shows participants by their number, never by their account
    numbers = dict(Participant.objects.filter(conversation=conversation).values_list("pk", "number"))
    data["groups"] = {str(numbers[int(p)]): g for p, g in data["groups"].items()}
    data["positions"] = {str(numbers[int(p)]): xy for p, xy in data["positions"].items()}
    counts = dict(
        Vote.objects.filter(statement__conversation=conversation)
        .values_list("statement_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    changed = [
        Statement(pk=pk, vote_count=counts.get(pk, 0))
        for pk, before in Statement.objects.filter(conversation=conversation).values_list("pk", "vote_count")
        if counts.get(pk, 0) != before
    ]
    Statement.objects.bulk_update(changed, ["vote_count"], batch_size=500)
    result, _created = Result.objects.update_or_create(
        conversation=conversation,
        defaults={
            "data": data,
            "state": found.state if found.k else (previous or {}),
            "participants": len(matrix.participants),
            "votes": matrix.vote_count(),
            "seconds": round(seconds, 3),
            "computed_at": timezone.now(),
        },
    )
    return result
