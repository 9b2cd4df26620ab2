"""How a parent's progress follows from its children's: the plain mean,
rounded half up to two decimals. Kept apart so the services and the tests
use the very same function."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def clamp(value) -> Decimal:
    value = Decimal(str(value if value is not None else 0))
    return min(Decimal(100), max(Decimal(0), value)).quantize(CENT, rounding=ROUND_HALF_UP)


def parent_progress(children_progress) -> Decimal | None:
    """The progress of a result whose children have these progresses, or
    None when it has no children (a leaf keeps its own)."""
    values = [Decimal(str(value)) for value in children_progress]
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)
