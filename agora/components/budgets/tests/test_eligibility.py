"""Issue 14, item 6: a project nobody voted for is never funded, a minimum of votes
is a budget setting, and ties follow a rule published before the vote (lowest cost,
most votes, then an order drawn when the vote opens); exports and imports carry both."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agora.actionlog.models import ActionLog
from agora.components.budgets import counting, services
from agora.components.budgets.models import Budget
from agora.components.budgets.tests.conftest import close_votes
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.tally import pabulib


@pytest.fixture
def wide_budget(component):
    # Approval, up to 5 projects, an envelope that funds everything: only eligibility limits.
    budget = BudgetFactory(component=component, envelope=1_000_000, min_projects=1, max_projects=5)
    return budget, [ProjectFactory(budget=budget, cost=cost) for cost in (50_000, 30_000, 20_000, 10_000)]


def _vote(budget, projects, people, pattern):
    for person, picks in zip(people, pattern):
        services.cast_ballot(actor=person, budget=budget, choices={projects[i].pk: 1 for i in picks})


def test_a_project_without_a_vote_is_never_funded(wide_budget, voters):
    budget, projects = wide_budget
    _vote(budget, projects, voters(3), [(0,), (0, 1), (1,)])
    result = counting.count(Budget.objects.get(pk=budget.pk))
    # 0 and 1 tie at 2 votes: the cheaper (1) first; 2 and 3 had no vote, though they fit.
    assert result["selected"] == [str(projects[1].pk), str(projects[0].pk)]
    assert result["min_score"] == 1 and set(result["below_min_score"]) == {str(projects[2].pk), str(projects[3].pk)}


def test_a_minimum_of_votes_absolute_or_as_a_share_of_the_ballots(wide_budget, voters):
    budget, projects = wide_budget
    _vote(budget, projects, voters(10), [(0,)] * 6 + [(1,)] * 3 + [(2,)])
    Budget.objects.filter(pk=budget.pk).update(min_votes=3)
    assert counting.count(Budget.objects.get(pk=budget.pk))["selected"] == [str(projects[0].pk), str(projects[1].pk)]
    Budget.objects.filter(pk=budget.pk).update(min_votes=1, min_votes_percent=40)  # 40 % of 10 ballots: 4 votes
    result = counting.count(Budget.objects.get(pk=budget.pk))
    assert result["selected"] == [str(projects[0].pk)] and result["min_score"] == 4


def test_the_minimum_is_locked_once_voting_started_and_never_below_one(space_admin, wide_budget, voters):
    from django.core.exceptions import ValidationError

    budget, projects = wide_budget
    budget.min_votes = 0
    with pytest.raises(ValidationError):
        services.save_budget(actor=space_admin, budget=budget)
    _vote(budget, projects, voters(1), [(0,)])
    budget = Budget.objects.get(pk=budget.pk)
    budget.min_votes = 5
    with pytest.raises(ValidationError):
        services.save_budget(actor=space_admin, budget=budget)


def _second_implementation(seed: bytes, ids: list[int]) -> list[int]:
    """The procedure of docs/sortition.md ("Tie-breaking orders"), written again from its words."""
    import hashlib

    pool, counter, space = [str(pk) for pk in sorted(ids)], 0, 1 << 256
    for i in range(len(pool) - 1):
        bound = len(pool) - i
        while True:
            digest = hashlib.sha256(seed + b"agora-tie-order" + counter.to_bytes(8, "big")).digest()
            counter += 1
            value = int.from_bytes(digest, "big")
            if value < space - space % bound:
                break
        j = i + value % bound
        pool[i], pool[j] = pool[j], pool[i]
    return [int(pk) for pk in pool]


def test_the_tie_order_follows_the_documented_procedure():
    ids = [12, 3, 40, 7, 25, 8]
    for seed in (bytes(32), bytes(range(32)), b"\xff" * 32):
        drawn = services.tie_order_of(seed, ids)
        assert drawn == _second_implementation(seed, ids) and sorted(drawn) == sorted(ids)
    assert len({tuple(services.tie_order_of(bytes([n]) * 32, ids)) for n in range(20)}) > 10  # the seed decides


def test_ties_follow_the_order_drawn_when_the_vote_opened_and_published_on_the_page(
    client, component, participant, voters
):
    budget = BudgetFactory(component=component, envelope=100_000, min_projects=1, max_projects=5)
    # Four projects of the same cost, each with one vote: only the draw decides, and two fit.
    projects = [ProjectFactory(budget=budget, cost=50_000) for _ in range(4)]
    client.force_login(participant)
    page = client.get(budget.get_absolute_url()).content.decode()
    budget.refresh_from_db()
    assert budget.tie_drawn_at is not None and sorted(budget.tie_draw) == sorted(p.pk for p in projects)
    # Published before the vote, on the budget page, in the drawn order.
    listed = page[page.index('class="budget-tie-draw"') :]
    positions = [listed.index(str(p)) for p in sorted(projects, key=lambda p: budget.tie_draw.index(p.pk))]
    assert positions == sorted(positions)
    assert ActionLog.objects.filter(verb="budgets.tie_order_drawn", visibility="public").count() == 1
    # Anyone re-derives the order from the published seed (the sortitions' SHA-256 stream).
    seed = ActionLog.objects.get(verb="budgets.tie_order_drawn").data["seed"]
    assert services.tie_order_of(bytes.fromhex(seed), [p.pk for p in reversed(projects)]) == budget.tie_draw
    # A second visit does not draw again.
    drawn = list(budget.tie_draw)
    client.get(budget.get_absolute_url())
    budget.refresh_from_db()
    assert budget.tie_draw == drawn
    _vote(budget, projects, voters(4), [(0,), (1,), (2,), (3,)])
    result = counting.count(budget)
    assert result["selected"] == [str(pk) for pk in drawn[:2]]


def test_ties_go_to_the_cheaper_project_before_the_draw(component, voters):
    budget = BudgetFactory(component=component, envelope=60_000, min_projects=1, max_projects=5)
    dear, cheap = ProjectFactory(budget=budget, cost=50_000), ProjectFactory(budget=budget, cost=40_000)
    Budget.objects.filter(pk=budget.pk).update(tie_draw=[dear.pk, cheap.pk])
    _vote(budget, [dear, cheap], voters(2), [(0,), (1,)])
    assert counting.count(Budget.objects.get(pk=budget.pk))["selected"] == [str(cheap.pk)]


def test_export_and_import_carry_the_threshold_and_the_draw(space_admin, component, wide_budget, voters):
    budget, projects = wide_budget
    Budget.objects.filter(pk=budget.pk).update(min_votes=2)
    _vote(budget, projects, voters(5), [(0, 1), (0, 2), (1, 3), (0, 3), (2,)])
    close_votes(component)
    budget = services.publish_results(actor=space_admin, budget=Budget.objects.get(pk=budget.pk))
    text = pabulib.dumps(counting.to_pabulib(budget))
    pb = pabulib.loads(text)
    assert pb.meta["min_project_score_threshold"] == "2"
    assert [row["draw"] for row in sorted(pb.projects, key=lambda row: int(row["draw"]))] == ["1", "2", "3", "4"]
    assert pabulib.recount(pb).selected == budget.result["selected"]
    imported = services.import_pabulib(
        actor=space_admin, component=component, upload=SimpleUploadedFile("export.pb", text.encode())
    )
    assert imported.min_votes == 2
    imported.refresh_from_db()
    by_external = {p.external_id: p.pk for p in imported.projects.all()}
    assert imported.tie_draw == [by_external[str(pk)] for pk in budget.tie_draw]
    recount = counting.count(imported)
    assert [imported.projects.get(pk=int(pk)).external_id for pk in recount["selected"]] == budget.result["selected"]


def test_an_imported_file_without_a_threshold_is_recounted_as_pabutools_would(space_admin, component):
    text = (
        "META\nkey;value\ndescription;Past\nbudget;100\nvote_type;approval\nrule;greedy\n"
        "PROJECTS\nproject_id;cost;name\n1;60;A\n2;30;B\nVOTES\nvoter_id;vote\nv1;1\n"
    )
    imported = services.import_pabulib(
        actor=space_admin, component=component, upload=SimpleUploadedFile("past.pb", text.encode())
    )
    assert imported.min_votes == 0
    by_external = {p.external_id: str(p.pk) for p in imported.projects.all()}
    # The file's rule has no threshold: B (no vote) fills the rest, as pb_tally and pabutools say.
    assert counting.count(imported)["selected"] == [by_external["1"], by_external["2"]]
    assert pabulib.recount(pabulib.loads(text)).selected == ["1", "2"]
