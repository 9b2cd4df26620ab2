"""A name that ends with an abbreviation's period ends a sentence with one period:
"You are now acting for Odette L.", never "Odette L..", in both languages."""

import pytest
from django.utils.html import strip_tags


@pytest.mark.parametrize(
    "language, expected", [("en", "You are now acting for Odette L."), ("fr", "Vous agissez maintenant pour Odette L.")]
)
def test_the_acting_message_has_one_final_period(client, settings, agent, managed, language, expected):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(agent)
    page = client.post(f"/admin/desk/people/{managed.user_id}/act/", follow=True).content.decode()
    text = strip_tags(page)  # whatever the message's markup (an icon, a span ...)
    assert "Odette L.." not in text
    assert expected in text
