"""What other components read from the evaluation of ideas (budgets take the
estimated costs of accepted ideas). Nothing else of this package is theirs to
import: ask here (the layers check, agora.devtools.layers, refuses the rest)."""

from decimal import Decimal

from agora.components.proposals.evaluation.selectors import estimated_costs as _estimated_costs


def estimated_costs(idea_ids) -> dict[int, Decimal]:
    """{idea id: estimated cost in euros} from the evaluation grids (ideas
    nobody costed are left out). One query."""
    return _estimated_costs(idea_ids)
