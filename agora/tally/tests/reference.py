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


def reference_count(path: str, rule: str, completion: str = "none") -> list[str]:
    """Selected project ids, in selection order, computed by pabutools."""
    from pabutools.election import AbstractCardinalProfile, parse_pabulib
    from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares

    Cost_Sat, Additive_Cardinal_Sat, Points_Times_Cost_Sat = _sat_classes()
    instance, profile = parse_pabulib(path)
    cardinal = isinstance(profile, AbstractCardinalProfile)
    greedy_sat = Points_Times_Cost_Sat if cardinal else Cost_Sat
    mes_sat = Additive_Cardinal_Sat if cardinal else Cost_Sat
    if rule == "greedy":
        out = greedy_utilitarian_welfare(instance, profile, sat_class=greedy_sat)
    elif completion == "none":
        out = method_of_equal_shares(instance, profile, sat_class=mes_sat)
    else:
        out = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": mes_sat, "voter_budget_increment": 1}, {"sat_class": greedy_sat}],
        )
    return [p.name for p in out]
