"""Solving the bot challenge of agora.moderation.challenges in tests, as the
browser's script does (the conftest makes challenges cheap)."""

import html
import json
import re

import altcha

_BLOCK = re.compile(r'data-altcha="([^"]+)"')


def solve(challenge: dict | str) -> str:
    """The payload the form sends for this challenge (a dict, or its JSON)."""
    data = json.loads(challenge) if isinstance(challenge, str) else challenge
    parsed = altcha.Challenge.from_dict(data)
    solution = altcha.solve_challenge(parsed, timeout=10)
    assert solution is not None, "the challenge could not be solved"
    return altcha.Payload(parsed, solution).to_base64()


def solve_page(page_html: str) -> str:
    """The payload for the challenge a page carries (AssertionError when it has none)."""
    found = _BLOCK.search(page_html)
    assert found, "the page carries no bot challenge"
    return solve(html.unescape(found.group(1)))
