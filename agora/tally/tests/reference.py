"""pabutools as the reference: the calls that define Agora's rules (test-only)."""

from __future__ import annotations


def _sat_classes():
    from pabutools.election import Additive_Cardinal_Sat, Cost_Sat
    from pabutools.election.satisfaction.additivesatisfaction import AdditiveSatisfaction

    class Points_Times_Cost_Sat(AdditiveSatisfaction):
        """Points x cost: greedy's satisfaction / cost is then the points (the votes)."""

        def __init__(self, instance, profile, ballot):
            AdditiveSatisfaction.__init__(
                self, instance, profile, ballot, lambda i, p, b, proj, pre: b.get(proj, 0) * proj.cost
            )

    return Cost_Sat, Additive_Cardinal_Sat, Points_Times_Cost_Sat


def _scores(profile):
    """Each project's score as pabulib's min_project_score_threshold means it:
    approvals, points, or the rankings naming it."""
    from pabutools.election import AbstractCardinalProfile

    scores = {}
    for ballot in profile:
        multiplicity = profile.multiplicity(ballot) if hasattr(profile, "multiplicity") else 1
        if isinstance(profile, AbstractCardinalProfile):
            for project, points in ballot.items():
                scores[project.name] = scores.get(project.name, 0) + points * multiplicity
        else:
            for project in ballot:
                scores[project.name] = scores.get(project.name, 0) + multiplicity
    return scores


def reference_count(path: str, rule: str, completion: str = "none", *, min_score=0, tie_order=None) -> list[str]:
    """Selected project ids, in selection order, computed by pabutools.

    ``min_score``: the projects scoring less are taken out of the instance first
    (pabutools does not read min_project_score_threshold). ``tie_order``: project ids,
    first wins a tie (a pabutools TieBreakingRule; default: pabutools' lexicographic)."""
    from pabutools.election import AbstractCardinalProfile, parse_pabulib
    from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule, lexico_tie_breaking

    Cost_Sat, Additive_Cardinal_Sat, Points_Times_Cost_Sat = _sat_classes()
    instance, profile = parse_pabulib(path)
    if min_score:
        scores = _scores(profile)
        for project in [p for p in instance if scores.get(p.name, 0) < min_score]:
            instance.remove(project)
    tie = lexico_tie_breaking
    if tie_order is not None:
        position = {pid: n for n, pid in enumerate(tie_order)}
        tie = TieBreakingRule(lambda inst, prof, project: position[project.name])
    cardinal = isinstance(profile, AbstractCardinalProfile)
    greedy_sat = Points_Times_Cost_Sat if cardinal else Cost_Sat
    mes_sat = Additive_Cardinal_Sat if cardinal else Cost_Sat
    if rule == "greedy":
        out = greedy_utilitarian_welfare(instance, profile, sat_class=greedy_sat, tie_breaking=tie)
    elif completion == "none":
        out = method_of_equal_shares(instance, profile, sat_class=mes_sat, tie_breaking=tie)
    else:
        out = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [
                {"sat_class": mes_sat, "voter_budget_increment": 1, "tie_breaking": tie},
                {"sat_class": greedy_sat, "tie_breaking": tie},
            ],
        )
    return [p.name for p in out]
