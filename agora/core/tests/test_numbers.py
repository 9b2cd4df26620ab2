import pytest

from agora.core.numbers import BIGINT_MAX, parse_id, parse_int


@pytest.mark.parametrize(
    "text, number", [("12", 12), (" 7 ", 7), ("-3", -3), ("+4", 4), ("0", 0), (str(BIGINT_MAX), BIGINT_MAX), (5, 5)]
)
def test_whole_numbers_are_read(text, number):
    assert parse_int(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "²",
        "٣",
        "３",
        "1e3",
        "1.5",
        "",
        " ",
        "abc",
        "9" * 20,
        "9" * 5000,
        str(BIGINT_MAX + 1),
        None,
        True,
        "1_000",
        "0x10",
    ],
)
def test_anything_else_is_none(text):
    assert parse_int(text) is None


def test_bounds_and_ids():
    assert parse_int("5", minimum=0, maximum=4) is None
    assert parse_int("-1", minimum=0) is None
    assert parse_id("0") is None and parse_id("-2") is None and parse_id("42") == 42


def test_decimals_are_dropped_only_when_asked():
    assert parse_int("1500.50") is None
    assert parse_int("1500.50", decimals=True) == 1500
    assert parse_int("1500,0", decimals=True) == 1500
    assert parse_int("1e400", decimals=True) is None
