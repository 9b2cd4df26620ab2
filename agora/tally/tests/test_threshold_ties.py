"""Issue 14, item 6: a minimum score (pabulib's min_project_score_threshold) and Agora's
published tie-breaking order (lowest cost, most votes, then a drawn order), counted by
pb_tally from a file exactly as pabutools counts the same file."""

import io
import json

from django.core.management import call_command
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from agora.tally import Election, Project, cost_votes_draw_order, greedy, mes, pabulib
from agora.testing.shared_data import pabulib_file

from .reference import reference_count
from .strategies import elections


def test_greedy_never_selects_below_the_minimum_score():
    election = Election(
        projects=[Project("1", 10), Project("2", 10), Project("3", 10)],
        budget=100,
        ballots=[{"1"}, {"1", "2"}],
        kind="approval",
    )
    assert greedy(election).selected == ["1", "2", "3"]  # pabutools' greedy fills with a project nobody chose
    assert greedy(election, min_score=1).selected == ["1", "2"]
    assert greedy(election, min_score=2).selected == ["1"]
    assert mes(election, "add1", min_score=1).selected == ["1", "2"]
    assert greedy(election, min_score=2).votes == {"1": 2, "2": 1, "3": 0}


def test_ties_follow_the_published_order_not_the_ids():
    # Equal votes: the cheaper first; equal cost and votes: the drawn order.
    election = Election(
        projects=[Project("1", 60), Project("2", 50), Project("3", 50), Project("4", 50)],
        budget=100,
        ballots=[{"1", "2", "3", "4"}],
        kind="approval",
    )
    assert greedy(election).selected == ["1"]  # smallest id first (pabutools' default)
    order = cost_votes_draw_order(election, ["4", "3", "2", "1"])
    assert order == ["4", "3", "2", "1"]
    assert greedy(election, tie_order=order).selected == ["4", "3"]
    assert cost_votes_draw_order(election, ["2", "4", "1", "3"]) == ["2", "4", "3", "1"]


def _file_with(election, threshold, draw, rule):
    meta = {"rule": rule, "min_project_score_threshold": str(threshold), "tie_breaking": pabulib.TIE_BREAKING}
    extra = {pid: {"draw": str(position)} for position, pid in enumerate(draw, start=1)}
    return pabulib.from_election(election, meta=meta, project_extra=extra)


RULES = st.sampled_from(
    [("greedy", "none", "greedy"), ("mes", "none", "equalshares"), ("mes", "add1", "equalshares/add1")]
)


@settings(max_examples=60, deadline=None)
@given(elections(min_ballots=1), RULES, st.integers(0, 4), st.randoms(use_true_random=False))
def test_pb_tally_counts_a_file_as_pabutools_with_its_threshold_and_tie_order(
    tmp_path_factory, election, rules, threshold, rnd
):
    rule, completion, file_rule = rules
    if election.kind == "points":  # pabutools cannot read an empty cumulative vote ("1;;")
        ballots = [ballot for ballot in election.ballots if ballot]
        assume(ballots)
        election = Election(projects=election.projects, budget=election.budget, ballots=ballots, kind="points")
    draw = [p.id for p in election.projects]
    rnd.shuffle(draw)
    path = tmp_path_factory.mktemp("pb") / "export.pb"
    pabulib.dump(_file_with(election, threshold, draw, file_rule), path)
    out = io.StringIO()
    call_command("pb_tally", str(path), "--format", "json", stdout=out)  # the file's own rule
    ours = json.loads(out.getvalue())["selected"]
    expected = reference_count(
        str(path), rule, completion, min_score=threshold, tie_order=cost_votes_draw_order(election, draw)
    )
    assert ours == expected
    votes = election.votes()
    assert all(votes[pid] >= max(threshold, 0) for pid in ours)


def test_a_real_file_is_counted_with_its_own_threshold():
    """Warszawa 2018, Bielany: 'eligible only with at least 10 % of the valid votes'
    (min_project_score_threshold 818)."""
    path = pabulib_file("Poland_Warszawa_2018_Bielany.pb")
    pb = pabulib.load(path)
    assert pb.min_score() == 818
    election = pb.to_election()
    out = io.StringIO()
    call_command("pb_tally", str(path), "--format", "json", stdout=out)
    ours = json.loads(out.getvalue())["selected"]
    assert ours == reference_count(str(path), "greedy", min_score=818)
    votes = election.votes()
    assert all(votes[pid] >= 818 for pid in ours)
    assert ours != greedy(election).selected  # the threshold changes the winners of this file
