"""Agora's winners equal pabutools' on a sample of the real pabulib instances.

bench/pabulib_check.py checks every instance; this sample runs in every test run.
"""

import pytest

from agora.tally import greedy, mes, pabulib
from agora.testing.shared_data import pabulib_file

from .reference import reference_count

# Small instances: every rule, including add1 (pabutools needs about a second each).
ALL_RULES = [
    "Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb",  # approval
    "Netherlands_Assen_2024.pb",  # approval, the city used equal shares / add1
    "US_Stanford_Dataset_PB_Greensboro_District_4_2016_vote_approvals.pb",  # approval
    "Worldwide_Mechanical_Turk_Utilities_7.pb",  # cumulative (points)
    "Switzerland_Zurich_D10.pb",  # cumulative (points)
    "Switzerland_Zurich_S5R.pb",  # ordinal (ranking)
    "Worldwide_Mechanical_Turk_Ranking_value_7.pb",  # ordinal (ranking)
]
# Medium instances: greedy and equal shares without completion.
GREEDY_AND_MES = [
    "Poland_Swiecie_2023.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "France_Toulouse_2019.pb",
    "Poland_Krakow_2018_Swoszowice.pb",
    "US_Stanford_Dataset_PB_Rochester_NY_2019_vote_rankings.pb",
    "Hungary_Budapest_2023_VIII_Jozsefvaros.pb",
]

CASES = [(f, "greedy", "none") for f in ALL_RULES + GREEDY_AND_MES]
CASES += [(f, "mes", "none") for f in ALL_RULES + GREEDY_AND_MES]
CASES += [(f, "mes", "add1") for f in ALL_RULES]


@pytest.mark.parametrize(("name", "rule", "completion"), CASES)
def test_same_winners_as_pabutools(name, rule, completion):
    path = pabulib_file(name)
    election = pabulib.load(path).to_election()
    ours = greedy(election) if rule == "greedy" else mes(election, completion)
    assert ours.selected == reference_count(str(path), rule, completion)
    assert ours.total_cost <= election.budget
