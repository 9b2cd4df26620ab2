"""French and English as people write them on the ideas pages: plurals through
ngettext ("0 soutien", "1 soutien sur les 20 nécessaires"), thousands with a
narrow no-break space, and "All" agreeing with the filter's noun."""

import re

import pytest

from agora.testing import factories

from .conftest import configure, phase
from .factories import ProposalFactory

NNBSP = "\u202f"


@pytest.fixture
def french(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def _text(html):
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))  # \s would eat the no-break spaces


@pytest.mark.parametrize(
    "supports, card, threshold",
    [
        (0, "0 soutien 0 commentaire", "0 soutien sur les 20 nécessaires"),
        (1, "1 soutien 0 commentaire", "1 soutien sur les 20 nécessaires"),
        (2, "2 soutiens 0 commentaire", "2 soutiens sur les 20 nécessaires"),
        (1500, f"1{NNBSP}500 soutiens 0 commentaire", f"1{NNBSP}500 soutiens sur les 20 nécessaires"),
    ],
)
def test_french_support_counts_agree_with_their_number(french, component, supports, card, threshold):
    configure(component, support_threshold=20)
    phase(component, supports="enabled")
    idea = ProposalFactory(component=component, supports_count=supports)
    text = _text(french.get(component.get_absolute_url()).content.decode())
    assert card in text and threshold in text
    text = _text(french.get(idea.get_absolute_url()).content.decode())
    assert threshold in text


@pytest.mark.parametrize("supports, expected", [(1, "1 support"), (0, "0 supports"), (1500, "1,500 supports")])
def test_english_support_counts(client, component, supports, expected):
    phase(component, supports="enabled")
    ProposalFactory(component=component, supports_count=supports)
    assert expected in _text(client.get(component.get_absolute_url()).content.decode())


def test_all_agrees_with_the_filter_s_noun_in_french(french, component, organization):
    factories.CategoryFactory(organization=organization)
    html = french.get(component.get_absolute_url()).content.decode()
    category = re.search(r'<select name="category"[^>]*>\s*<option value=""[^>]*>([^<]+)</option>', html)
    state = re.search(r'<select name="state"[^>]*>\s*<option value=""[^>]*>([^<]+)</option>', html)
    assert category and category.group(1) == "Toutes"
    assert state and state.group(1) == "Tous"
