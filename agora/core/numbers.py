"""Whole numbers typed by people: query strings, form posts, uploaded files.

`str.isdigit()` is true for "²" and "٣", which `int()` refuses or reads as
digits nobody meant; `int()` refuses more than 4,300 digits; and a number
the database cannot hold fails only when it is saved. Each of these was a
500. `parse_int` reads ASCII digits only, within the range of a 64-bit
column (or tighter bounds), and answers None for anything else; callers
turn None into a form error, a line of an import's error list, or a 400.

    parse_int("12")          -> 12
    parse_int("²"), parse_int("1e3"), parse_int("9" * 40)   -> None
    parse_int("1500.50", decimals=True)   -> 1500   (pabulib costs)
"""

import re

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
# The largest page number read from a query string (a larger one is refused): an offset never overflows SQL.
MAX_PAGE = 1_000_000
# Up to 19 digits (a 64-bit integer); [0-9] is ASCII only, unlike \d and isdigit().
_INTEGER = re.compile(r"\s*([+-]?[0-9]{1,19})\s*", re.ASCII)
_DECIMAL = re.compile(r"\s*([+-]?[0-9]{1,19})(?:[.,][0-9]{0,30})?\s*", re.ASCII)


def parse_int(
    value, *, minimum: int | None = BIGINT_MIN, maximum: int | None = BIGINT_MAX, decimals: bool = False
) -> int | None:
    """The whole number `value` writes (surrounding spaces ignored; with
    `decimals`, a decimal part is dropped), or None when it is not one or
    lies outside [minimum, maximum]."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        number = value
    else:
        match = (_DECIMAL if decimals else _INTEGER).fullmatch(str(value))
        if match is None:
            return None
        number = int(match.group(1))
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return number


def parse_id(value) -> int | None:
    """A database id (a positive 64-bit integer) from a query string or a post, or None."""
    return parse_int(value, minimum=1)
