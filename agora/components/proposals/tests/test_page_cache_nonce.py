"""A page served from the page cache carries a fresh Content-Security-Policy
nonce, the one of its own header: a nonce reused between visitors would let
an attacker who read it once run script; a stale one would block the page's
own inline style."""

import re

from agora.components.proposals import views

from .factories import ProposalFactory

NONCE = re.compile(r"'nonce-([^']+)'")


def test_a_cached_page_gets_the_nonce_of_its_response(client, component, settings, monkeypatch):
    settings.AGORA_PAGE_CACHE_SECONDS = 300
    ProposalFactory(component=component)
    rendered = []
    original = views._index_page
    monkeypatch.setattr(views, "_index_page", lambda *args: rendered.append(1) or original(*args))
    client.get(component.get_absolute_url())  # a random-order seed, in a new session
    nonces = []
    for _visit in range(2):
        response = client.get(component.get_absolute_url())
        nonce = NONCE.search(response["Content-Security-Policy"]).group(1)
        assert f'<style nonce="{nonce}">' in response.content.decode()
        nonces.append(nonce)
    assert len(rendered) == 2  # the third visit came from the cache
    assert nonces[0] != nonces[1]
