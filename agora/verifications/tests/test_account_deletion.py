"""Deleting an account erases the personal data of every verification method
(and of every other app) from the database and the media storage; only the
salted identity keys stay, so the same person cannot verify a second account."""

import io
import re
from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from PIL import Image

from agora.accounts.services import delete_account
from agora.desk.models import DeskAgent, ManagedParticipant
from agora.follows.models import Follow
from agora.notifications.models import Notification
from agora.spaces.models import Role
from agora.testing import factories
from agora.verifications import services
from agora.verifications.models import CensusEntry, Identity, Verification
from agora.verifications.sms import LocmemBackend

# Everything personal the person gave, in the forms each method asks for.
TEXTS = [
    "Jeanne Zéphyrine",  # letter: name on the envelope
    "17 rue des Capucines",  # letter: street
    "Montargisville",  # letter: town
    "Durandalle",
    "Philiberte",  # identity document: names
    "1970-02-03",  # identity document: birth date (as typed)
    "0698765432",
    "+33698765432",
    "698765432",  # SMS number
    "Oidcfamille",
    "Oidcprenom",
    "1955-11-12",
    "9 impasse Oidc",  # OpenID Connect claims
    "Profilnom",
    "Je suis Profilnom",
    "45123",  # profile
]
DATES = [date(1970, 2, 3), date(1965, 7, 8), date(1955, 11, 12), date(1987, 5, 21)]

CENSUS = "nom;prenom;date_naissance;code_postal\nZébulon-Dupré;Éloïse;21/05/1987;45400\n"


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def person(organization, org_admin, enable):
    """One participant verified (or waiting) by every method, with a profile,
    an avatar, a second factor, desk records, roles, follows and notifications."""
    enable(
        "letter",
        "document",
        "sms",
        "census",
        "in_person",
        "oidc",
        census={
            "columns": {
                "last_name": "nom",
                "first_name": "prenom",
                "birth_date": "date_naissance",
                "postal_code": "code_postal",
            }
        },
        oidc={"provider_id": "city-idp"},
    )
    services.import_census_csv(actor=org_admin, organization=organization, data=CENSUS.encode())
    user = factories.UserFactory(
        name="Profilnom",
        about="Je suis Profilnom",
        postal_code="45123",
        avatar=SimpleUploadedFile("me.png", _png(), content_type="image/png"),
    )
    factories.member_of(user, organization)
    services.request_letter(
        user=user,
        organization=organization,
        full_name="Jeanne Zéphyrine",
        address="17 rue des Capucines",
        postal_code="45400",
        city="Montargisville",
    )
    services.submit_document(
        user=user,
        organization=organization,
        last_name="Durandalle",
        first_name="Philiberte",
        birth_date=date(1970, 2, 3),
        document=SimpleUploadedFile("id.png", _png()),
    )
    services.send_sms_code(user=user, organization=organization, phone="06 98 76 54 32")
    services.verify_by_census(
        user=user,
        organization=organization,
        last_name="Zébulon-Dupré",
        first_name="Éloïse",
        birth_date=date(1987, 5, 21),
    )
    services.record_in_person(
        actor=org_admin,
        organization=organization,
        user=user,
        last_name="Autre",
        first_name="Nom",
        birth_date=date(1965, 7, 8),
        postal_code="45400",
    )
    claims = {
        "sub": "abc",
        "family_name": "Oidcfamille",
        "given_name": "Oidcprenom",
        "birthdate": "1955-11-12",
        "address": {"street_address": "9 impasse Oidc", "postal_code": "45400"},
    }
    services.verify_by_oidc(user=user, organization=organization, claims=claims)
    SocialAccount.objects.create(user=user, provider="city-idp", uid="abc", extra_data={"userinfo": claims})
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    ManagedParticipant.objects.create(organization=organization, user=user, created_by=org_admin)
    DeskAgent.objects.create(organization=organization, user=user, granted_by=org_admin)
    space = factories.SpaceFactory(organization=organization)
    Role.objects.create(user=user, organization=organization, space=space, name=Role.Name.MODERATOR)
    Follow.objects.create(user=user, content_type_id=_content_type(space), object_id=space.pk)
    Notification.objects.create(
        recipient=user, organization=organization, event="comments.mention", target_repr="Profilnom mentioned"
    )
    return user


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def _personal_values_in_database(skip=(CensusEntry,)) -> list[str]:
    """Every stored value, of every model, that holds one of the person's values."""
    found = []
    for model in apps.get_models():
        if model in skip or model._meta.proxy:
            continue
        fields = [f for f in model._meta.concrete_fields]
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            for field, value in zip(fields, row):
                if value is None:
                    continue
                if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                    if value in DATES:
                        found.append(f"{model.__name__}.{field.name}={value}")
                    continue
                text = str(value).lower()
                found.extend(f"{model.__name__}.{field.name}: {marker}" for marker in TEXTS if marker.lower() in text)
    return found


def _media_files(settings) -> list[str]:
    """Files in the public media and in the private storage (identity scans)."""
    names = []
    for root in (settings.MEDIA_ROOT, settings.AGORA_PRIVATE_MEDIA_ROOT):
        if root.exists():
            names += [str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()]
    return sorted(names)


def test_deleting_an_account_erases_every_verification_method(
    client, organization, org_admin, person, settings, django_capture_on_commit_callbacks
):
    assert {v.method for v in Verification.objects.filter(user=person)} == {
        "letter",
        "document",
        "sms",
        "census",
        "in_person",
        "oidc",
    }
    assert _personal_values_in_database(), "the person's data is not there to begin with: the test proves nothing"
    assert any(name.startswith("verifications/") for name in _media_files(settings))
    assert any(name.startswith("avatars/") for name in _media_files(settings))
    client.force_login(org_admin)
    assert "17 rue des Capucines" in client.get("/admin/verifications/letters/").content.decode()
    assert "Capucines" in client.get("/admin/verifications/letters/export/").content.decode("utf-8-sig")
    keys = set(Identity.objects.filter(user=person).values_list("key", flat=True))
    assert len(keys) == 3  # census, in person, OpenID Connect

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=person, organization=organization)

    assert _personal_values_in_database() == []
    assert _media_files(settings) == []  # the ID scan and the avatar
    assert "Capucines" not in client.get("/admin/verifications/letters/").content.decode()
    assert "Capucines" not in client.get("/admin/verifications/letters/export/").content.decode("utf-8-sig")
    for verification in Verification.objects.filter(user=person):
        assert verification.data == {} and not verification.document and verification.birth_date is None
        assert verification.postal_code == "" and verification.status in ("active", "rejected")
    assert not SocialAccount.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert not ManagedParticipant.objects.filter(user=person).exists()
    assert not DeskAgent.objects.filter(user=person).exists() and not Role.objects.filter(user=person).exists()
    assert not Follow.objects.filter(user=person).exists()
    assert not Notification.objects.filter(recipient=person).exists()
    # Kept: the salted identity keys, so the same person cannot verify another account.
    assert set(Identity.objects.filter(user=person).values_list("key", flat=True)) == keys
    again = factories.UserFactory()
    factories.member_of(again, organization)
    second = services.verify_by_census(
        user=again,
        organization=organization,
        last_name="Zébulon-Dupré",
        first_name="Éloïse",
        birth_date=date(1987, 5, 21),
    )
    assert second.status == "conflict"


def test_sms_numbers_are_never_stored_in_clear(organization, enable):
    """The SMS method keeps a salted hash of the number while pending, never the number."""
    enable("sms")
    user = factories.UserFactory()
    factories.member_of(user, organization)
    services.send_sms_code(user=user, organization=organization, phone="06 98 76 54 32")
    assert LocmemBackend.outbox  # sent
    stored = [value for value in _personal_values_in_database() if re.search(r"698765432", value)]
    assert stored == []
