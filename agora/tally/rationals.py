"""The exact rationals of the counting rules, shared by the exact classes
(rules.py) and the array version (mes_fast.py).

gmpy2's rationals (C, pabutools' own arithmetic) are the same numbers as
Python's Fraction, 10-15x faster; Fraction stays the fallback so that the
library counts without the C extension (test_fast_paths checks both agree).
The rules read these names from this module at call time, so a test can swap
the type for every rule at once."""

from fractions import Fraction

try:
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover - pure Python fallback, identical results
    Q = Fraction

QZERO = Q(0)
QONE = Q(1)
