import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import translation

from agora.accounts.models import Invitation, Membership, User
from agora.accounts.services import create_invitation
from agora.accounts.tests.factories import InvitationFactory
from agora.actionlog.models import ActionLog
from agora.permissions import PermissionDenied, can
from agora.testing import factories

SIGNUP = "/accounts/signup/"
PASSWORD = "un mot de passe solide 42"


def signup_data(**overrides):
    data = {
        "name": "Camille Martin",
        "username": "camille",
        "email": "camille@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def confirmation_link(message) -> str:
    match = re.search(r"https?://testserver(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_full_signup_flow(client, organization):
    organization.profile_fields = ["postal_code", "age_bracket"]
    organization.save()

    page = client.get(SIGNUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert 'autocomplete="name"' in html and 'autocomplete="username"' in html
    assert 'autocomplete="email"' in html and 'autocomplete="new-password"' in html
    assert 'name="postal_code"' in html and 'name="age_bracket"' in html
    assert 'name="gender"' not in html  # not asked by this organization
    assert reverse("accounts:terms") in html

    response = client.post(SIGNUP, signup_data(postal_code="45000", age_bracket="25_34"))
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")

    user = User.objects.get(email="camille@example.org")
    assert user.name == "Camille Martin" and user.nickname == "camille"
    assert user.postal_code == "45000" and user.age_bracket == "25_34"
    membership = Membership.objects.get(user=user, organization=organization)
    assert membership.accepted_terms_version == 1
    assert not EmailAddress.objects.get(user=user).verified

    # Not verified yet: no participation, with the reason.
    decision = can(user, "participate", organization)
    assert not decision
    assert "e-mail" in decision.reason.lower()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille@example.org"]
    assert organization.name in message.subject
    link = confirmation_link(message)

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "camille@example.org" in confirm_page.content.decode()
    assert not EmailAddress.objects.get(user=user).verified  # GET does not confirm

    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)
    assert can(User.objects.get(pk=user.pk), "participate", organization)
    assert ActionLog.objects.filter(verb="account.registered", actor=user, organization=organization).exists()


def test_confirming_in_another_browser_logs_in_once(client, organization):
    """The link opened on a phone, or after closing the browser, logs the new account in;
    the same link used again (a mailbox read later, a log) logs nobody in."""
    from django.test import Client

    client.post(SIGNUP, signup_data())
    link = confirmation_link(mail.outbox[0])
    user = User.objects.get(email="camille@example.org")
    phone = Client()
    response = phone.post(link)
    assert response.status_code == 302
    assert phone.session["_auth_user_id"] == str(user.pk)
    assert phone.get("/").context["user"] == user
    user.refresh_from_db()
    assert user.last_login is not None and EmailAddress.objects.get(user=user).verified
    later = Client()
    later.post(link)
    assert "_auth_user_id" not in later.session


def test_confirming_an_added_address_logs_nobody_in(client, organization, participant):
    """An account that has been used already: confirming a new address proves the
    mailbox, not the person at the keyboard; they log in as usual."""
    from django.test import Client
    from django.utils import timezone

    participant.last_login = timezone.now()
    participant.save(update_fields=["last_login"])
    address = EmailAddress.objects.create(user=participant, email="new@example.org", verified=False)
    from allauth.account.models import EmailConfirmationHMAC

    other = Client()
    other.post(f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/")
    assert EmailAddress.objects.get(pk=address.pk).verified
    assert "_auth_user_id" not in other.session


def test_signup_in_english_sends_english_mail(client, organization):
    client.cookies["agora_language"] = "en"
    client.post(SIGNUP, signup_data())
    assert "Confirm your e-mail address" in mail.outbox[0].subject


def test_unverified_user_is_refused_participation(organization):
    user = factories.UserFactory(verified=False)
    factories.member_of(user, organization)
    with translation.override("en"):
        decision = can(user, "participate", organization)
    assert not decision
    assert decision.reason == "Confirm your e-mail address to take part."
    assert decision.fix_url == reverse("account_email")


def test_terms_must_be_accepted(client, organization):
    response = client.post(SIGNUP, signup_data(accept_terms=None))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert not User.objects.filter(email="camille@example.org").exists()
    # What was typed is kept.
    assert 'value="Camille Martin"' in html


@pytest.mark.parametrize("taken", ["camille", "CAMILLE", "Camille"])
def test_nickname_taken_case_insensitively(client, organization, taken):
    factories.UserFactory(nickname="camille", email="other@example.org")
    response = client.post(SIGNUP, signup_data(username=taken))
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.filter(nickname__iexact="camille").count() == 1


def test_nickname_taken_message_is_clear(client, organization):
    factories.UserFactory(nickname="camille", email="other@example.org")
    client.cookies["agora_language"] = "en"
    response = client.post(SIGNUP, signup_data(username="Camille"))
    assert "This nickname is already taken" in response.content.decode()


def test_nickname_must_follow_the_rules(client, organization):
    response = client.post(SIGNUP, signup_data(username="a b"))
    assert "username" in response.context["form"].errors


@pytest.mark.parametrize(
    "field, value", [("username", "deleted-12"), ("username", "Deleted-x"), ("email", "deleted-12@deleted.invalid")]
)
def test_names_kept_for_deleted_accounts_are_refused(client, organization, field, value):
    response = client.post(SIGNUP, signup_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.exists()


def test_existing_email_does_not_reveal_the_account(client, organization, participant):
    response = client.post(SIGNUP, signup_data(email=participant.email.upper()))
    # Same answer as for a new address; the owner receives a mail instead.
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact=participant.email).count() == 1
    assert mail.outbox[0].to == [participant.email]


def test_profile_fields_are_optional(client, organization):
    organization.profile_fields = ["gender", "socio_professional_category"]
    organization.save()
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="camille@example.org")
    assert user.gender == "" and user.socio_professional_category == ""


def test_profile_fields_not_asked_are_ignored(client, organization):
    client.post(SIGNUP, signup_data(postal_code="45000"))
    assert User.objects.get(email="camille@example.org").postal_code == ""


# --- registration modes ------------------------------------------------------------


def test_closed_registration_shows_a_friendly_page(client, organization):
    organization.registration_mode = "closed"
    organization.save()
    page = client.get(SIGNUP)
    assert page.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in page.templates]
    assert page.content.decode().count("<h1") == 1
    client.post(SIGNUP, signup_data())
    assert not User.objects.filter(email="camille@example.org").exists()


def test_invitation_mode_without_token_is_closed(client, organization):
    organization.registration_mode = "invitation"
    organization.save()
    for url in (SIGNUP, f"{SIGNUP}?invitation=wrong-token"):
        page = client.get(url)
        assert "account/signup_closed.html" in [t.name for t in page.templates]
    client.post(SIGNUP, signup_data(invitation="wrong-token"))
    assert not User.objects.filter(email="camille@example.org").exists()


def test_invitation_signup_prefills_and_locks_the_email(client, organization):
    organization.registration_mode = "invitation"
    organization.save()
    invitation = InvitationFactory(organization=organization, email="invited@example.org")
    url = f"{SIGNUP}?invitation={invitation.token}"
    page = client.get(url)
    html = page.content.decode()
    assert 'value="invited@example.org"' in html and "readonly" in html
    # A changed address in the request is ignored: the invitation's is used.
    response = client.post(url, signup_data(email="someone-else@example.org", invitation=invitation.token))
    assert response.status_code == 302
    user = User.objects.get(email="invited@example.org")
    assert not User.objects.filter(email="someone-else@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert Membership.objects.filter(user=user, organization=organization).exists()
    # The link came by e-mail to this address: it counts as confirmed.
    assert EmailAddress.objects.get(user=user).verified
    # Used once only.
    client.logout()
    again = client.get(url)
    assert "account/signup_closed.html" in [t.name for t in again.templates]


def test_invitation_of_another_organization_does_not_open_signup(client, organization, other_organization):
    organization.registration_mode = "invitation"
    organization.save()
    invitation = InvitationFactory(organization=other_organization)
    page = client.get(f"{SIGNUP}?invitation={invitation.token}")
    assert "account/signup_closed.html" in [t.name for t in page.templates]


def test_create_invitation_sends_a_link(organization, org_admin):
    invitation = create_invitation(
        actor=org_admin, organization=organization, email="New@Example.org", base_url="http://testserver/"
    )
    assert invitation.email == "new@example.org"
    assert invitation.invited_by == org_admin
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.org"]
    assert f"http://testserver/accounts/signup/?invitation={invitation.token}" in mail.outbox[0].body
    assert ActionLog.objects.filter(verb="invitation.created", organization=organization).exists()


def test_only_organization_admins_invite(organization, participant, other_organization):
    with pytest.raises(PermissionDenied):
        create_invitation(actor=participant, organization=organization, email="x@example.org")
    other_admin = factories.UserFactory()
    factories.RoleFactory(user=other_admin, organization=other_organization, space=None, name="org_admin")
    with pytest.raises(PermissionDenied):
        create_invitation(actor=other_admin, organization=organization, email="x@example.org")
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invitation_link_for_someone_already_registered(client, organization, other_organization):
    organization.registration_mode = "invitation"
    organization.save()
    person = factories.UserFactory(email="known@example.org")
    factories.member_of(person, other_organization)
    invitation = InvitationFactory(organization=organization, email="known@example.org")
    client.force_login(person)
    url = reverse("accounts:invitation", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.filter(user=person, organization=organization).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_invitation_link_refuses_another_account(client, organization):
    invitation = InvitationFactory(organization=organization, email="known@example.org")
    intruder = factories.UserFactory()
    client.force_login(intruder)
    client.post(reverse("accounts:invitation", args=[invitation.token]))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Membership.objects.filter(user=intruder, organization=organization).exists()


def test_invitation_link_anonymous_goes_to_signup(client, organization):
    invitation = InvitationFactory(organization=organization)
    response = client.get(reverse("accounts:invitation", args=[invitation.token]))
    assert response.status_code == 302
    assert response.url == f"{SIGNUP}?invitation={invitation.token}"
    assert client.get(reverse("accounts:invitation", args=["nope"])).status_code == 404


# --- createsuperuser -----------------------------------------------------------------


def test_createsuperuser_noninteractive(db, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long admin password 1")
    call_command("createsuperuser", interactive=False, email="root@example.org", nickname="root", verbosity=0)
    admin = User.objects.get(email="root@example.org")
    assert admin.is_superuser and admin.is_staff and admin.nickname == "root"
    assert admin.check_password("a long admin password 1")
    # The platform admin can log in through the site at once.
    assert EmailAddress.objects.get(user=admin).verified


def test_createsuperuser_asks_the_nickname(db):
    assert User.REQUIRED_FIELDS == ["nickname"]
    admin = User.objects.create_superuser("boss@example.org", "a long admin password 1", nickname="boss")
    assert admin.is_superuser and admin.nickname == "boss"
