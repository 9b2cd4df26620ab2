"""The list's support blocks made in Python (support_blocks.py) are the
HTML of proposals/_support.html, whitespace aside, in every state and both
languages; and the list page shows them."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from agora import permissions
from agora.components.proposals.models import Proposal
from agora.components.proposals.support_blocks import SupportBlocks

from .conftest import configure, phase
from .factories import ProposalFactory


def _same(html: str) -> str:
    """Whitespace between tags is not meaning: runs of it count as one space,
    none next to a tag (and each CSRF token is masked anew)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="token"', html)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


REFUSED = permissions.deny("Log in first", "/accounts/login/", "Log in")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("mode", ["hidden", "shown", "enabled"])
@pytest.mark.parametrize("threshold", [0, 1000])
@pytest.mark.parametrize(
    "decision, supports",
    [
        (permissions.ALLOWED, {"limit": 0, "remaining": None}),
        (permissions.ALLOWED, {"limit": 5, "remaining": 0}),
        (permissions.ALLOWED, {"limit": 5, "remaining": 2}),
        (REFUSED, {"limit": 0, "remaining": None}),
        (permissions.deny("Closed"), {"limit": 0, "remaining": None}),
    ],
)
def test_support_blocks_equal_the_template(component, participant, language, mode, threshold, decision, supports):
    ideas = [
        ProposalFactory(component=component, title='Vélos & <b>"rues"</b>', supports_count=1234),
        ProposalFactory(component=component, title="Un banc", supports_count=1),
        ProposalFactory(component=component, title="Retirée", status=Proposal.Status.WITHDRAWN),
    ]
    request = RequestFactory().get(component.get_absolute_url() + "?page=2&q=a%20b&x=<i>")
    request.user = participant
    context = {
        "supports_mode": mode,
        "supports": supports,
        "support_decision": decision if mode == "enabled" else None,
        "threshold": threshold,
        "supported": {ideas[1].pk},
        "component": component,
        "request": request,
    }
    with translation.override(language):
        blocks = SupportBlocks(context)
        for idea in ideas:
            expected = render_to_string("proposals/_support.html", {**context, "proposal": idea}, request)
            assert _same(str(blocks(idea))) == _same(expected)


def test_the_list_shows_the_support_forms(client, component, participant):
    phase(component, supports="enabled")
    configure(component, support_threshold=10)
    ideas = [ProposalFactory(component=component, title=f"Idée {n}") for n in range(3)]
    client.force_login(participant)
    client.post(f"{component.get_absolute_url()}{ideas[0].pk}/support/")
    page = client.get(component.get_absolute_url()).content.decode()
    assert page.count('class="proposal-support"') == 3
    assert page.count("/support/") == 2 and page.count("/unsupport/") == 1
    assert page.count('name="csrfmiddlewaretoken"') >= 3
