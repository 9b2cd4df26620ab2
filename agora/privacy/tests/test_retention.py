"""Retention: inactive accounts warned 30 and 7 days before (each once), then
deleted through the accounts' erasure; verification records trimmed; the
back-office screen and who may use it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.privacy import services
from agora.privacy.models import InactivityWarning, PrivacySettings
from agora.spaces.models import Role
from agora.testing import factories
from agora.verifications.models import Verification

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(organization):
    return PrivacySettings.objects.create(organization=organization, inactive_days=365)


def _person(organization, days_ago, email):
    user = factories.UserFactory(email=email)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(days=days_ago))
    factories.member_of(user, organization)
    return User.objects.get(pk=user.pk)


def _sent_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_an_inactive_account_is_warned_twice_then_deleted(organization, policy):
    sleeper = _person(organization, 340, "dort@exemple.fr")
    active = _person(organization, 10, "actif@exemple.fr")
    now = timezone.now()
    assert services.tick(now)["warned"] == 1
    assert len(_sent_to("dort@exemple.fr")) == 1 and not _sent_to("actif@exemple.fr")
    assert services.tick(now + timedelta(days=1))["warned"] == 0  # never twice
    assert len(_sent_to("dort@exemple.fr")) == 1
    # 7 days before the deletion (the deadline: the last login + 365 days, and 30 days after the first warning).
    done = services.tick(now + timedelta(days=24))
    assert done["warned"] == 1 and done["deleted"] == 0
    assert len(_sent_to("dort@exemple.fr")) == 2
    assert services.tick(now + timedelta(days=26))["deleted"] == 0
    assert services.tick(now + timedelta(days=31))["deleted"] == 1
    sleeper.refresh_from_db()
    assert sleeper.is_deleted and sleeper.email != "dort@exemple.fr"
    assert not User.objects.get(pk=active.pk).is_deleted
    assert ActionLog.objects.filter(verb="privacy.inactive_account_deleted").count() == 1


def test_a_login_after_the_warning_keeps_the_account(organization, policy):
    sleeper = _person(organization, 340, "dort@exemple.fr")
    now = timezone.now()
    services.tick(now)
    User.objects.filter(pk=sleeper.pk).update(last_login=now + timedelta(days=2))
    for day in (24, 31, 60):
        assert services.tick(now + timedelta(days=day)) == {
            "exports_removed": 0,
            "warned": 0,
            "deleted": 0,
            "verifications_trimmed": 0,
        }
    assert not User.objects.get(pk=sleeper.pk).is_deleted


def test_off_by_default_and_staff_are_never_deleted(organization, process):
    sleeper = _person(organization, 2000, "dort@exemple.fr")
    services.tick(timezone.now())
    assert not InactivityWarning.objects.exists() and not _sent_to("dort@exemple.fr")
    PrivacySettings.objects.create(organization=organization, inactive_days=365)
    Role.objects.create(user=sleeper, organization=organization, space=process, name=Role.Name.MODERATOR)
    for day in (0, 24, 31, 60):
        services.tick(timezone.now() + timedelta(days=day))
    assert not User.objects.get(pk=sleeper.pk).is_deleted and not _sent_to("dort@exemple.fr")


def test_old_verification_records_are_trimmed(organization, participant, settings):
    PrivacySettings.objects.create(organization=organization, verification_retention_days=180)
    long_ago = timezone.now() - timedelta(days=200)
    granted = Verification.objects.create(
        organization=organization,
        user=participant,
        method="document",
        status=Verification.Status.ACTIVE,
        birth_date="1980-05-01",
        postal_code="45000",
        data={"letter": "12 rue Jaurès"},
        decided_at=long_ago,
    )
    granted.document.save("scan.pdf", ContentFile(b"%PDF-1.4 scan"))
    refused = Verification.objects.create(
        organization=organization,
        user=factories.UserFactory(),
        method="postal_letter",
        status=Verification.Status.REJECTED,
        birth_date="1990-01-01",
        postal_code="45100",
        data={"code": "ABC"},
        decided_at=long_ago,
    )
    recent = Verification.objects.create(
        organization=organization,
        user=factories.UserFactory(),
        method="postal_letter",
        status=Verification.Status.REJECTED,
        postal_code="45100",
        data={"code": "XYZ"},
        decided_at=timezone.now() - timedelta(days=10),
    )
    assert services.tick()["verifications_trimmed"] == 2
    granted.refresh_from_db()
    refused.refresh_from_db()
    recent.refresh_from_db()
    assert (granted.document.name, granted.data, str(granted.birth_date), granted.postal_code) == (
        "",
        {},
        "1980-05-01",
        "45000",
    )
    assert (refused.data, refused.birth_date, refused.postal_code) == ({}, None, "")
    assert recent.data == {"code": "XYZ"}
    assert services.tick()["verifications_trimmed"] == 0


def test_an_administrator_sets_the_periods(client, organization, org_admin):
    client.force_login(org_admin)
    url = reverse("privacy_admin:index")
    assert client.get(url).status_code == 200
    assert client.post(url, {"inactive_days": 30, "verification_retention_days": 0}).status_code == 400
    assert not PrivacySettings.objects.exists()
    assert client.post(url, {"inactive_days": 730, "verification_retention_days": 365}).status_code == 302
    chosen = PrivacySettings.objects.get(organization=organization)
    assert (chosen.inactive_days, chosen.verification_retention_days) == (730, 365)
    assert ActionLog.objects.filter(verb="privacy.settings_saved", actor=org_admin).exists()


@pytest.mark.parametrize("who", ["anonymous", "participant", "space_admin"])
def test_others_may_not_set_the_periods(client, organization, process, participant, who):
    if who == "participant":
        client.force_login(participant)
    elif who == "space_admin":
        admin = factories.UserFactory()
        factories.member_of(admin, organization)
        Role.objects.create(user=admin, organization=organization, space=process, name=Role.Name.SPACE_ADMIN)
        client.force_login(admin)
    response = client.post(reverse("privacy_admin:index"), {"inactive_days": 730, "verification_retention_days": 1})
    if who == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 403
    assert not PrivacySettings.objects.exists()
