"""Counting of participatory budgets: greedy and the Method of Equal Shares, pabulib files.

Pure Python, exact arithmetic, no Django models. See docs/counting.md.
"""

from .constraints import DecidedResult, Decisions, decided
from .election import (
    Election,
    Kind,
    Project,
    Result,
    TallyError,
    cost_votes_draw_order,
    eligible,
    ranking_to_points,
    relabelled,
    restricted,
)
from .rules import greedy, mes

__all__ = [
    "DecidedResult",
    "Decisions",
    "Election",
    "Kind",
    "Project",
    "Result",
    "TallyError",
    "cost_votes_draw_order",
    "decided",
    "eligible",
    "greedy",
    "mes",
    "ranking_to_points",
    "relabelled",
    "restricted",
]
