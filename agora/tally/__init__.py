"""Counting of participatory budgets: greedy and the Method of Equal Shares, pabulib files.

Pure Python, exact arithmetic, no Django models. See docs/counting.md.
"""

from .election import (
    Election, Project, Result, TallyError, cost_votes_draw_order, eligible, ranking_to_points, relabelled,
)
from .rules import greedy, mes

__all__ = ["Election", "Project", "Result", "TallyError", "cost_votes_draw_order", "eligible", "greedy", "mes",
           "ranking_to_points", "relabelled"]
