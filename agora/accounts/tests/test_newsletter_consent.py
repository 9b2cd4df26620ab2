"""The newsletter's consent: separate from notifications, never given by
default, recorded with its date, withdrawn at once."""

import pytest
from django.urls import reverse

from agora.accounts import services
from agora.accounts.models import Membership, User
from agora.actionlog.models import ActionLog
from agora.permissions import PermissionDenied
from agora.testing import factories

from .test_signup import SIGNUP, signup_data


def _membership(user, organization):
    return Membership.objects.get(user=user, organization=organization)


def test_signup_without_ticking_gives_no_consent(client, organization):
    page = client.get(SIGNUP).content.decode()
    assert 'name="newsletter"' in page
    assert "checked" not in page.split('name="newsletter"')[1].split(">")[0]
    assert client.post(SIGNUP, signup_data()).status_code == 302
    user = User.objects.get(email="camille@example.org")
    assert _membership(user, organization).newsletter_consent_at is None


def test_signup_with_the_box_ticked_records_the_date(client, organization):
    assert client.post(SIGNUP, signup_data(newsletter="on")).status_code == 302
    user = User.objects.get(email="camille@example.org")
    assert _membership(user, organization).newsletter_consent_at is not None


def test_settings_give_and_withdraw_consent(client, organization, participant):
    client.force_login(participant)
    data = {"name": participant.name, "nickname": participant.nickname, "about": "", "language": ""}
    assert client.post(reverse("accounts:settings"), {**data, "newsletter": "on"}).status_code == 302
    given = _membership(participant, organization).newsletter_consent_at
    assert given is not None
    page = client.get(reverse("accounts:settings")).content.decode()
    checkbox = page.split('name="newsletter"')[1].split(">")[0]
    assert "checked" in checkbox
    # Saving again keeps the first date.
    assert client.post(reverse("accounts:settings"), {**data, "newsletter": "on"}).status_code == 302
    assert _membership(participant, organization).newsletter_consent_at == given
    assert client.post(reverse("accounts:settings"), data).status_code == 302
    assert _membership(participant, organization).newsletter_consent_at is None
    verbs = list(ActionLog.objects.filter(actor=participant).values_list("verb", flat=True))
    assert "account.newsletter_accepted" in verbs and "account.newsletter_withdrawn" in verbs


def test_nobody_else_sets_a_persons_consent(organization, participant):
    other = factories.UserFactory()
    factories.member_of(other, organization)
    with pytest.raises(PermissionDenied):
        services.set_newsletter_consent(actor=other, user=participant, organization=organization, consent=True)
    assert _membership(participant, organization).newsletter_consent_at is None


def test_consent_is_per_organization(organization, other_organization, participant):
    factories.member_of(participant, other_organization)
    services.set_newsletter_consent(actor=participant, user=participant, organization=organization, consent=True)
    assert _membership(participant, organization).newsletter_consent_at is not None
    assert _membership(participant, other_organization).newsletter_consent_at is None


def test_withdrawing_by_link(organization, participant):
    services.set_newsletter_consent(actor=participant, user=participant, organization=organization, consent=True)
    assert services.withdraw_newsletter_consent(user_id=participant.pk, organization=organization) is True
    assert _membership(participant, organization).newsletter_consent_at is None
    assert services.withdraw_newsletter_consent(user_id=participant.pk, organization=organization) is False
