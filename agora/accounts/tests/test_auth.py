"""Login, logout, password reset, confirmation resend: no enumeration,
rate limits, Argon2."""

import pytest
from django.core import mail
from django.urls import reverse

from agora import settings as production_settings
from agora.accounts.models import User
from agora.testing import factories

LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"
RIGHT = "correct horse battery"


@pytest.fixture
def english(client):
    client.cookies["agora_language"] = "en"
    return client


def login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_login_page_is_accessible(client, organization):
    html = client.get(LOGIN).content.decode()
    assert html.count("<h1") == 1
    assert '<label for="id_login">' in html and '<label for="id_password">' in html
    assert 'autocomplete="email"' in html and 'autocomplete="current-password"' in html
    assert reverse("account_reset_password") in html


def test_login_and_logout(client, organization, participant):
    response = login(client, participant.email, RIGHT)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(participant.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_login_error_has_a_summary(english, organization, participant):
    response = login(english, participant.email, "wrong password")
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'role="alert"' in html
    assert 'value="%s"' % participant.email in html  # what was typed is kept


def test_login_errors_do_not_reveal_accounts(client, organization, participant):
    known = login(client, participant.email, "wrong password")
    unknown = login(client, "nobody@example.org", "wrong password")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_password_reset_does_not_reveal_accounts(english, organization, participant):
    known = english.post(RESET, {"email": participant.email})
    unknown = english.post(RESET, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("account_reset_password_done")
    page = english.get(known.url).content.decode()
    assert "If the address you gave matches an account" in page
    # Each address receives a mail, so an onlooker learns nothing.
    assert [m.to for m in mail.outbox] == [[participant.email], ["nobody@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "no account uses this address" in mail.outbox[1].body


def test_allauth_emails_take_the_persons_language_else_the_pages(english, organization, participant):
    """One rule for every e-mail (agora.outbox.services.email_language)."""
    participant.language = "fr"
    participant.save(update_fields=["language"])
    english.post(RESET, {"email": participant.email})
    english.post(RESET, {"email": "nobody@example.org"})
    assert "probablement vous, a demandé à réinitialiser" in mail.outbox[0].body
    assert "no account uses this address" in mail.outbox[1].body


def test_password_reset_link_lets_the_person_choose_a_new_password(client, organization, participant):
    client.post(RESET, {"email": participant.email})
    import re

    path = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(path, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else path
    new_password = "another strong password 7"
    done = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    assert User.objects.get(pk=participant.pk).check_password(new_password)


def test_confirmation_resend_through_login_does_not_reveal_accounts(client, organization):
    person = factories.UserFactory(verified=False)
    # Right password of an unconfirmed account: the link is sent again.
    response = login(client, person.email, RIGHT)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert mail.outbox[-1].to == [person.email]
    assert "/accounts/confirm-email/" in mail.outbox[-1].body
    # Wrong password: the same error as for an address nobody uses.
    client.logout()
    wrong = login(client, person.email, "not the password")
    unknown = login(client, "nobody@example.org", "not the password")
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_resend_from_email_management(client, organization):
    person = factories.UserFactory(verified=False)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    client.force_login(person)
    page = client.get(reverse("account_email"))
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1
    response = client.post(reverse("account_email"), {"email": person.email, "action_send": ""})
    assert response.status_code == 302
    assert mail.outbox[-1].to == [person.email]


def test_login_failures_are_rate_limited(client, settings, organization, participant):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
    for _attempt in range(5):
        response = login(client, participant.email, "wrong password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    sixth = login(client, participant.email, RIGHT)
    assert sixth.status_code == 200
    assert "_auth_user_id" not in client.session
    errors = " ".join(sixth.context["form"].non_field_errors())
    assert errors  # "Too many failed login attempts", in the page's language
    # Another address is not blocked by these failures.
    other = factories.UserFactory()
    assert login(client, other.email, RIGHT).status_code == 302


def test_rate_limit_message(english, settings, organization, participant):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
    for _attempt in range(5):
        login(english, participant.email, "wrong password")
    assert "Too many failed login attempts" in login(english, participant.email, RIGHT).content.decode()


def test_passwords_are_hashed_with_argon2(settings, db):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    user = User.objects.create_user("argon@example.org", "a long password 123", nickname="argon")
    assert user.password.startswith("argon2")
    assert user.check_password("a long password 123")


def test_inactive_account_cannot_log_in(client, organization, participant):
    participant.is_active = False
    participant.save()
    response = login(client, participant.email, RIGHT)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and response["Location"] == reverse("account_inactive")


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_anonymous_allauth_pages_use_the_site_layout(client, organization, url_name):
    for language in ("fr", "en"):
        client.cookies["agora_language"] = language
        response = client.get(reverse(url_name))
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert 'class="skip-link"' in html
        assert f'<html lang="{language}" dir="ltr">' in html


@pytest.mark.parametrize("url_name", ["account_logout", "account_change_password", "account_email"])
def test_logged_in_allauth_pages_use_the_site_layout(client, organization, participant, url_name):
    client.force_login(participant)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'class="skip-link"' in html


def test_password_change_fields(client, organization, participant):
    client.force_login(participant)
    html = client.get(reverse("account_change_password")).content.decode()
    assert 'autocomplete="current-password"' in html
    assert html.count('autocomplete="new-password"') == 2
    response = client.post(
        reverse("account_change_password"), {"oldpassword": "wrong", "password1": "x", "password2": "y"}
    )
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'aria-describedby="id_oldpassword_error"' in page or "id_oldpassword_error" in page


def test_invalid_confirmation_link_explains(english, organization):
    response = english.get("/accounts/confirm-email/not-a-real-key/")
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "This confirmation link has expired or is invalid." in html


def test_bad_password_reset_link_explains(english, organization, participant):
    response = english.get("/accounts/password/reset/key/1-bad-token/", follow=True)
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "This link no longer works" in html
