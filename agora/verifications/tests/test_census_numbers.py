"""Counts of people are written as French and English write them: "40 007 personnes"
(a narrow no-break space between thousands), "1 personne", "40,007 people"."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation


def _done(rows):
    return SimpleNamespace(
        pk=1, mode="replace", status="done", is_running=False, rows=rows, added=0, get_status_display=lambda: ""
    )


@pytest.mark.parametrize(
    "language, rows, expected",
    [
        ("fr", 40007, "Le recensement a été remplacé\u00a0: 40\u202f007 personnes."),
        ("fr", 1, "Le recensement a été remplacé\u00a0: 1 personne."),
        ("en", 40007, "The census has been replaced: 40,007 people."),
        ("en", 1, "The census has been replaced: 1 person."),
    ],
)
def test_the_census_counts_its_people(language, rows, expected):
    with translation.override(language):
        html = render_to_string("verifications/admin/_census_progress.html", {"upload": _done(rows)})
    assert expected in html
