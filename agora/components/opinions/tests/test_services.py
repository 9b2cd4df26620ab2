import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from agora.components.opinions import computing, services
from agora.components.opinions.models import Participant, Result, Statement, Vote
from agora.components.opinions.tests.conftest import close_phase, other_participant
from agora.permissions import PermissionDenied


def test_a_vote_is_counted_once_and_can_be_changed(component, statements, participant):
    services.vote(actor=participant, component=component, statement_id=statements[0].pk, value=1)
    services.vote(actor=participant, component=component, statement_id=statements[0].pk, value=-1)
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]
    assert Participant.objects.get().number == 1


def test_a_new_vote_moves_the_statements_count_a_changed_one_does_not(component, statements, participant, organization):
    """The "fewest votes first" order follows the votes as they come (not only the last analysis)."""
    first = services.vote(actor=participant, component=component, statement_id=statements[0].pk, value=1)
    changed = services.vote(actor=participant, component=component, statement_id=statements[0].pk, value=0)
    assert first.pk == changed.pk == Vote.objects.get().pk and changed.value == 0
    services.vote(actor=other_participant(organization), component=component, statement_id=statements[0].pk, value=1)
    counts = dict(Statement.objects.values_list("pk", "vote_count"))
    assert counts == {statements[0].pk: 2, statements[1].pk: 0, statements[2].pk: 0}


def test_a_vote_reads_neither_the_analysis_nor_runs_it(
    client, component, statements, participant, django_capture_on_commit_callbacks
):
    """With the database worker (production), a vote queues the analysis once per
    window (run_after: the debounce) and never reads the stored analysis' document."""
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    computing.compute(services.conversation_of(component))
    queued = []

    class DeferringTask:
        """The database worker's side of the task: deferred (run_after), never run here."""

        def get_backend(self):
            return type("Backend", (), {"supports_defer": True})()

        def using(self, run_after):
            queued.append(run_after)
            return self

        def enqueue(self, pk):
            pass

    path = reverse("opinions:vote", kwargs=component.url_kwargs())
    client.force_login(participant)
    client.post(path, {"statement": statements[2].pk, "value": "1"})  # joins the map
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "recompute_task", DeferringTask())
        patch.setattr(computing, "compute", lambda *args, **kwargs: pytest.fail("computed in the request"))
        computing.clear_request(services.conversation_of(component).pk)
        for statement in statements[:2]:
            with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
                assert client.post(path, {"statement": statement.pk, "value": "-1"}).status_code == 302
            assert not [q for q in queries.captured_queries if "opinions_result" in q["sql"]]
            assert len(queries.captured_queries) <= 12
    assert len(queued) == 1 and queued[0] > timezone.now()


def test_votes_are_refused_when_the_phase_closes_them(component, statements, participant):
    close_phase(component, "votes_enabled")
    with pytest.raises(PermissionDenied):
        services.vote(actor=participant, component=component, statement_id=statements[0].pk, value=1)
    assert not Vote.objects.exists()


def test_anonymous_visitors_may_not_vote(component, statements):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.vote(actor=AnonymousUser(), component=component, statement_id=statements[0].pk, value=1)


def test_only_published_statements_and_known_values(component, statements, participant):
    statements[1].state = Statement.State.PENDING
    statements[1].save()
    with pytest.raises(ValidationError):
        services.vote(actor=participant, component=component, statement_id=statements[1].pk, value=1)
    with pytest.raises(ValidationError):
        services.vote(actor=participant, component=component, statement_id=statements[0].pk, value=2)


def test_statements_moderated_before_or_after(component, conversation, participant):
    after = services.propose_statement(actor=participant, component=component, text="  Plus de   bancs. ")
    assert after.state == Statement.State.PUBLISHED and after.text == "Plus de bancs."
    component.settings = {"moderation": "before"}
    component.save()
    before = services.propose_statement(actor=participant, component=component, text="Moins de bruit.")
    assert before.state == Statement.State.PENDING
    with pytest.raises(ValidationError):
        services.propose_statement(actor=participant, component=component, text="x" * 281)
    with pytest.raises(ValidationError):
        services.propose_statement(actor=participant, component=component, text="plus de BANCS.")


def test_proposing_is_refused_when_closed(component, conversation, participant):
    component.settings = {"participant_statements": False}
    component.save()
    with pytest.raises(PermissionDenied):
        services.propose_statement(actor=participant, component=component, text="Une idée")
    component.settings = {}
    component.save()
    close_phase(component, "statements_enabled")
    with pytest.raises(PermissionDenied):
        services.propose_statement(actor=participant, component=component, text="Une idée")


def test_only_managers_manage(component, statements, participant, org_admin):
    for call in (
        lambda: services.add_seed_statement(actor=participant, component=component, text="Non"),
        lambda: services.moderate_statement(actor=participant, statement=statements[0], publish=False),
        lambda: services.update_conversation(
            actor=participant, component=component, question={"fr": "Q"}, description={}
        ),
        lambda: services.import_polis(actor=participant, component=component, votes_file=[], comments_file=[]),
    ):
        with pytest.raises(PermissionDenied):
            call()
    rejected = services.moderate_statement(actor=org_admin, statement=statements[0], publish=False)
    assert rejected.state == Statement.State.REJECTED
    assert services.add_seed_statement(actor=org_admin, component=component, text="Oui").seed


def test_the_worker_computes_and_stores_the_groups(
    component, conversation, organization, django_capture_on_commit_callbacks
):
    """Votes ask the worker (immediate backend in tests) once per debounce window."""
    statements = [Statement.objects.create(conversation=conversation, text=f"S{n}", seed=True) for n in range(10)]
    people = [other_participant(organization) for _ in range(30)]
    for i, person in enumerate(people):
        for j, statement in enumerate(statements):
            value = 1 if (j < 5) == (i % 2 == 0) else -1
            with django_capture_on_commit_callbacks(execute=True):
                services.vote(actor=person, component=component, statement_id=statement.pk, value=value)
    result = Result.objects.get(conversation=conversation)
    assert result.votes == 300 and result.data["k"] == 2
    groups = result.data["groups"]
    numbers = dict(Participant.objects.values_list("user_id", "number"))
    assert len({groups[str(numbers[p.pk])] for p in people[::2]}) == 1
    assert groups[str(numbers[people[0].pk])] != groups[str(numbers[people[1].pk])]
    assert Statement.objects.get(pk=statements[0].pk).vote_count == 30


def test_debounce_queues_one_task(
    component, conversation, statements, participant, monkeypatch, django_capture_on_commit_callbacks
):
    """While a computation is asked for and not started, votes ask for nothing more."""
    computed = []
    monkeypatch.setattr(computing, "compute", lambda conversation, **kwargs: computed.append(conversation.pk))
    conversation.__class__.objects.filter(pk=conversation.pk).update(recompute_requested_at=timezone.now())
    for statement in statements:
        with django_capture_on_commit_callbacks(execute=True):
            services.vote(actor=participant, component=component, statement_id=statement.pk, value=1)
    assert computed == []
    conversation.__class__.objects.filter(pk=conversation.pk).update(recompute_requested_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.vote(actor=participant, component=component, statement_id=statements[0].pk, value=0)
    assert computed == [conversation.pk]
    # the task clears the mark when it starts: the next votes ask again
    assert conversation.__class__.objects.get(pk=conversation.pk).recompute_requested_at is None


def test_polis_round_trip(component, org_admin):
    comments = [
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n",
        "1,x,0,0,2,0,1,Premier\n",
        "1,x,1,0,0,1,-1,Rejeté\n",
        "1,x,2,0,1,1,1,Troisième\n",
    ]
    votes = [
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n",
        "0,0,0,3,2,1,1,-1,1\n",
        "1,,0,2,1,1,1,,-1\n",
    ]
    assert services.import_polis(actor=org_admin, component=component, votes_file=votes, comments_file=comments) == 5
    conversation = services.conversation_of(component)
    assert Statement.objects.filter(state=Statement.State.REJECTED).count() == 1
    exported = services.export_participants_votes_csv(conversation).splitlines()
    assert exported[0].startswith("participant,group-id,n-comments,n-votes,n-agree,n-disagree,")
    assert exported[1].split(",")[3:6] == ["3", "2", "1"]
    assert "Troisième" in services.export_comments_csv(conversation)
    with pytest.raises(ValidationError):  # not into a conversation that has votes
        services.import_polis(actor=org_admin, component=component, votes_file=votes, comments_file=comments)


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_keep_one_vote_per_person_and_statement(component, statements, participant):
    errors = []

    def cast(value):
        try:
            services.vote(actor=participant, component=component, statement_id=statements[0].pk, value=value)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(v,)) for v in (1, -1, 0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Vote.objects.filter(statement=statements[0]).count() == 1
    assert Participant.objects.count() == 1


def test_joining_a_map_is_one_act_of_participation(component, statements, participant):
    from agora.statistics.models import DailyCount

    for statement in statements:
        services.vote(actor=participant, component=component, statement_id=statement.pk, value=1)
    counts = DailyCount.objects.filter(component_id=component.pk, kind="opinion")
    assert sum(counts.values_list("count", flat=True)) == 1
    from agora.components.opinions.hooks import participant_ids, participation

    assert [event.person_id for event in participation(component)] == [participant.pk]
    assert list(participant_ids([component])) == [participant.pk]


def test_the_search_index_has_the_question_and_the_statements(component, statements):
    from agora.components.opinions.hooks import search

    [(title, text, url)] = search(component)
    assert "Quelle place pour la voiture" in title and "Proposition 2" in text
    assert url == component.get_absolute_url()
