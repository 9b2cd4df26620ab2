"""The shared escaping check must catch live payloads and accept escaped ones,
or every escaping test built on it proves nothing."""

import pytest
from django.utils.html import escape

from agora.testing.xss import PAYLOADS, assert_no_live_payload, live_markup

LIVE = [payload for payload in PAYLOADS if "xss-" in payload]


@pytest.mark.parametrize("payload", LIVE)
def test_a_payload_left_as_markup_is_caught(payload):
    assert live_markup(f"<p>{payload}</p>")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_escaped_payload_passes(payload):
    assert_no_live_payload(f'<p>{escape(payload)}</p><a href="/x?q={escape(payload)}">x</a>')


def test_json_data_that_could_close_its_script_is_caught():
    assert live_markup('<script type="application/json">{"a": "<b>"}</script>')


def test_an_evaluated_template_payload_is_caught():
    import datetime

    with pytest.raises(AssertionError):
        assert_no_live_payload(f"<p>14{datetime.date.today().year}</p>")


def test_a_payload_in_an_alt_text_is_text_but_in_a_source_is_caught():
    assert live_markup('<img src="/media/a.webp" alt="&lt;img src=x onerror=alert(&#x27;xss-2&#x27;)&gt;">') == []
    assert live_markup('<img src="xss-2" alt="photo">') == ["<img> from a payload"]
