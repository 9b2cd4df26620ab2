"""The analysis alone (numpy, no database)."""

import io

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from agora.components.opinions import analysis


def three_camps(participants_per_camp=40, statements=30, seed=3, noise=0.15, seen=0.8):
    """Three camps with opposite views on blocks of statements, some noise, some
    statements not seen."""
    rng = np.random.default_rng(seed)
    patterns = [(1, -1, -1), (-1, 1, -1), (-1, -1, 1), (1, 1, -1), (1, -1, 1), (-1, 1, 1)]
    camp_views = np.array([(1, 1, 1)] * 5 + [patterns[s % 6] for s in range(statements - 5)]).T
    # five statements everyone agrees with, then each camp differs from the others
    votes, truth = [], {}
    for camp in range(3):
        for n in range(participants_per_camp):
            pid = n * 3 + camp  # the camps join together
            truth[pid] = camp
            for s in range(statements):
                if rng.random() > seen:
                    continue
                vote = camp_views[camp, s]
                roll = rng.random()
                if roll < noise:
                    vote = -vote
                elif roll < noise * 1.5:
                    vote = 0
                votes.append((pid, s, int(vote)))
    return votes, truth


def test_three_camps_are_found():
    votes, truth = three_camps()
    result = analysis.analyse_replayed(analysis.VoteMatrix.from_votes(votes))
    assert result.k == 3
    people = sorted(result.groups)
    assert adjusted_rand_score([truth[p] for p in people], [result.groups[p] for p in people]) > 0.95
    assert sorted(result.group_sizes) == [40, 40, 40]


def test_reproducible_whatever_the_order_of_the_votes():
    votes, _truth = three_camps(seed=5)
    first = analysis.analyse_replayed(analysis.VoteMatrix.from_votes(votes))
    second = analysis.analyse_replayed(analysis.VoteMatrix.from_votes(list(reversed(votes))))
    assert first.groups == second.groups
    assert np.array_equal(first.positions, second.positions)
    assert first.as_dict() == second.as_dict()


def test_participants_with_fewer_than_seven_votes_are_not_placed():
    votes, _truth = three_camps()
    votes += [(9999, s, 1) for s in range(6)]
    result = analysis.analyse(analysis.VoteMatrix.from_votes(votes))
    assert 9999 not in result.groups
    assert len(result.groups) == 120
    votes += [(9999, 6, 1)]
    assert 9999 in analysis.analyse(analysis.VoteMatrix.from_votes(votes)).groups


def test_projection_is_scaled_by_the_share_of_statements_voted():
    values = np.array([[1.0, np.nan, np.nan, np.nan], [1.0, 1.0, 1.0, 1.0]])
    center = np.zeros(4)
    comps = np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0]])
    positions = analysis.project(values, center, comps)
    assert positions[0, 0] == pytest.approx(2.0)  # sqrt(4 / 1)
    assert positions[1, 0] == pytest.approx(1.0)


def test_pca_finds_the_main_axis():
    rng = np.random.default_rng(0)
    data = np.outer(rng.normal(size=200), [3, 3, 0, 0]) + rng.normal(scale=0.1, size=(200, 4))
    _center, comps = analysis.pca(data)
    assert abs(comps[0] @ np.array([1, 1, 0, 0]) / np.sqrt(2)) == pytest.approx(1, abs=1e-3)
    assert abs(comps[0] @ comps[1]) < 1e-6


def test_representative_and_consensus_statements():
    votes, truth = three_camps(noise=0.05)
    result = analysis.analyse_replayed(analysis.VoteMatrix.from_votes(votes))
    consensus = {entry["statement"] for entry in result.consensus["agree"]}
    assert consensus and consensus <= {0, 1, 2, 3, 4}
    for group, statements in enumerate(result.representative):
        assert 1 <= len(statements) <= 5
        members = [p for p, g in result.groups.items() if g == group]
        camp = truth[members[0]]
        for entry in statements:
            # a representative statement of a camp is one it votes on unlike the others
            assert entry["statement"] >= 5
            assert entry["repful_for"] in {"agree", "disagree"}
            assert entry["p_success"] > 0.5
        assert all(truth[m] == camp for m in members)
    top = max(result.group_consensus, key=result.group_consensus.get)
    assert top in {0, 1, 2, 3, 4}


def test_moderated_out_statements_are_never_representative():
    votes, _truth = three_camps(noise=0.05)
    result = analysis.analyse(analysis.VoteMatrix.from_votes(votes), moderated_out=set(range(30)))
    assert all(group == [] for group in result.representative)
    assert result.consensus == {"agree": [], "disagree": []}


def test_the_number_of_groups_changes_only_after_several_wins():
    votes, _truth = three_camps()
    matrix = analysis.VoteMatrix.from_votes(votes)
    state = {"smoother": {"last_k": 2, "last_k_count": 9, "smoothed_k": 2}}
    updates = []
    for _ in range(analysis.GROUP_K_BUFFER):
        result = analysis.analyse(matrix, previous=state)
        state = result.state
        updates.append(result.k)
    assert updates == [2, 2, 2, 3]


def test_empty_and_tiny_conversations():
    assert analysis.analyse(analysis.VoteMatrix.from_votes([])).k == 0
    one = analysis.analyse(analysis.VoteMatrix.from_votes([(1, 1, 1), (1, 2, -1)]))
    assert one.k == 0 and one.groups == {}


def test_polis_open_data_round_trip():
    text = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n0,0,1,3,1,1,1,-1,0\n1,,0,1,0,1,,-1,\n"
    matrix, groups = analysis.read_participants_votes(io.StringIO(text))
    assert matrix.participants == [0, 1] and matrix.statements == [0, 1, 2]
    assert groups == {0: "0", 1: ""}
    assert matrix.values[0].tolist() == [1, -1, 0]
    assert np.isnan(matrix.values[1, 0]) and matrix.values[1, 1] == -1
    comments = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,2,0,0,0,-1,Hi\n1,x,3,0,0,0,1,Yo\n"
    assert analysis.read_moderated_out(io.StringIO(comments)) == {2}
