"""Hypothesis strategies of the counting tests."""

from hypothesis import strategies as st

from agora.tally import Election, Project

# Project ids whose string order differs from their numeric order ("10" < "9"): ties
# are broken on ids as strings, as pabutools does.
IDS = [str(i) for i in range(1, 9)] + ["a", "b10"]


@st.composite
def elections(draw, kinds=("approval", "points", "ranking"), min_ballots=0):
    """Small elections: up to 8 projects with round costs, up to 25 ballots, so that
    equal costs and equal supporters (exact ties) are frequent."""
    kind = draw(st.sampled_from(kinds))
    n_projects = draw(st.integers(1, 8))
    ids = draw(st.permutations(IDS))[:n_projects]
    projects = [Project(id=pid, cost=draw(st.integers(1, 60)) * 10) for pid in ids]
    budget = draw(st.integers(0, 400)) * 10
    ballots = []
    for _ in range(draw(st.integers(min_ballots, 25))):
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=n_projects))
        if kind == "approval":
            ballots.append(set(chosen))
        elif kind == "ranking":
            ballots.append(chosen)
        else:
            ballots.append({pid: draw(st.integers(1, 5)) for pid in chosen})
    return Election(projects=projects, budget=budget, ballots=ballots, kind=kind)
