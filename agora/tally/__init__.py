"""Counting of participatory budgets: greedy and the Method of Equal Shares, pabulib files.

Pure Python, exact arithmetic, no Django models. See docs/counting.md.
"""

from .election import Election, Project, Result, TallyError, ranking_to_points
from .rules import greedy, mes

__all__ = ["Election", "Project", "Result", "TallyError", "greedy", "mes", "ranking_to_points"]
