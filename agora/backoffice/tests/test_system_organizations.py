"""/system/organizations/: platform admins create organizations (host,
languages, first admin invited) and edit them; nobody else may."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from agora.accounts.models import Invitation, User
from agora.actionlog.models import ActionLog
from agora.core import services
from agora.core.models import Organization
from agora.permissions import PermissionDenied
from agora.spaces.models import Role
from agora.testing import factories

from .menu import menu_hrefs

LIST, NEW = "/system/organizations/", "/system/organizations/new/"


@pytest.fixture
def platform_admin(organization):
    user = factories.UserFactory(is_superuser=True, is_staff=True)
    factories.member_of(user, organization)
    return user


@pytest.fixture
def system_client(client, platform_admin):
    client.force_login(platform_admin)
    return client


def new_data(**changes):
    data = {
        "name": "Communauté de communes du Val",
        "host": "participation.val.example",
        "available_languages": ["fr", "en"],
        "default_language": "fr",
        "first_admin_email": "Elu@Val.example",
    }
    data.update(changes)
    return data


def test_platform_admin_creates_an_organization_and_invites_its_first_admin(system_client, platform_admin):
    assert system_client.get(NEW).status_code == 200
    response = system_client.post(NEW, new_data())
    created = Organization.objects.get(host="participation.val.example")
    assert response.status_code == 302 and response["Location"] == f"/system/organizations/{created.pk}/"
    assert created.name == "Communauté de communes du Val" and created.languages == ["fr", "en"]
    invitation = Invitation.objects.get(organization=created)
    assert invitation.email == "elu@val.example" and invitation.role == "org_admin"
    assert invitation.invited_by == platform_admin
    [message] = mail.outbox
    assert message.to == ["elu@val.example"] and invitation.token in message.body
    assert "participation.val.example" in message.body and "/admin/" in message.body
    log = ActionLog.objects.get(verb="organization.create", organization=created)
    assert log.actor == platform_admin and log.data["host"] == "participation.val.example"
    assert ActionLog.objects.filter(verb="invitation.created", organization=created).exists()
    listing = system_client.get(LIST).content.decode()
    assert "participation.val.example" in listing and "Communauté de communes du Val" in listing


def test_a_duplicate_host_is_a_clear_form_error(system_client, organization, other_organization):
    other_organization.secondary_hosts = ["alias.example.org"]
    other_organization.save()
    for taken in ("testserver", "OTHER.example.org", "alias.example.org"):
        response = system_client.post(NEW, new_data(host=taken))
        assert response.status_code == 200
        html = response.content.decode()
        assert "déjà utilisé" in html and 'href="#id_host"' in html, taken
    assert Organization.objects.count() == 2 and not Invitation.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"host": "https://ville.example/"}, "host"),
        ({"host": "ville.example:8000"}, "host"),
        ({"host": "-ville.example"}, "host"),
        ({"available_languages": ["fr"], "default_language": "en"}, "default_language"),
        ({"available_languages": ["it"]}, "available_languages"),
        ({"first_admin_email": "not an address"}, "first_admin_email"),
        ({"name": " "}, "name"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(system_client, changes, field):
    response = system_client.post(NEW, new_data(**changes))
    assert response.status_code == 200
    assert f'href="#id_{field}' in response.content.decode()
    assert not Organization.objects.filter(name__startswith="Communauté").exists()


def test_the_service_checks_the_host_itself(platform_admin, organization):
    with pytest.raises(ValidationError) as refused:
        services.create_organization(
            actor=platform_admin,
            name="X",
            host="TestServer",
            default_language="fr",
            available_languages=["fr"],
            first_admin_email="a@b.example",
        )
    assert "host" in refused.value.message_dict


def test_platform_admin_edits_host_and_languages_and_invites_another_admin(
    system_client, platform_admin, other_organization
):
    url = f"/system/organizations/{other_organization.pk}/"
    assert system_client.get(url).status_code == 200
    response = system_client.post(
        url, {"name": "Autre Ville", "host": "new.example.org", "available_languages": ["fr"], "default_language": "fr"}
    )
    assert response.status_code == 302
    other_organization.refresh_from_db()
    assert other_organization.host == "new.example.org" and other_organization.languages == ["fr"]
    log = ActionLog.objects.get(verb="organization.system_update", organization=other_organization)
    assert log.actor == platform_admin and "host" in log.data["fields"]
    duplicate = system_client.post(
        url, {"name": "Autre Ville", "host": "testserver", "available_languages": ["fr"], "default_language": "fr"}
    )
    assert duplicate.status_code == 200 and "déjà utilisé" in duplicate.content.decode()
    response = system_client.post(url, {"email": "second@val.example"})
    assert response.status_code == 302
    assert Invitation.objects.get(organization=other_organization).role == "org_admin"
    assert mail.outbox[-1].to == ["second@val.example"]


def test_accepting_the_invitation_makes_the_person_an_admin_of_that_organization(client, platform_admin, organization):
    created, invitation = services.create_organization(
        actor=platform_admin,
        name="Val",
        host="val.example",
        default_language="fr",
        available_languages=["fr"],
        first_admin_email="elu@val.example",
    )
    factories.TermsVersionFactory(organization=created, version=1)
    signup = f"/accounts/signup/?invitation={invitation.token}"
    assert re.search(r"https?://val\.example[:/]", mail.outbox[0].body)
    response = client.post(
        signup,
        {
            "name": "Élue du Val",
            "username": "elue-val",
            "email": "elu@val.example",
            "password1": "un mot de passe solide 42",
            "password2": "un mot de passe solide 42",
            "accept_terms": "on",
            "invitation": invitation.token,
        },
        HTTP_HOST="val.example",
    )
    assert response.status_code == 302
    person = User.objects.get(email="elu@val.example")
    assert Role.objects.filter(user=person, organization=created, name="org_admin", space=None).exists()
    assert not Role.objects.filter(user=person).exclude(organization=created).exists()
    grant = ActionLog.objects.get(verb="role.grant", organization=created)
    assert grant.actor == platform_admin and grant.data["role"] == "org_admin"
    client.force_login(person)
    assert client.get("/admin/organization/", HTTP_HOST="val.example").status_code == 200


def test_an_existing_account_accepting_the_invitation_becomes_admin_too(platform_admin, participant, organization):
    from agora.accounts.services import accept_invitation

    created, invitation = services.create_organization(
        actor=platform_admin,
        name="Val",
        host="val.example",
        default_language="fr",
        available_languages=["fr"],
        first_admin_email=participant.email,
    )
    accept_invitation(user=participant, invitation=invitation)
    assert Role.objects.filter(user=participant, organization=created, name="org_admin").exists()


@pytest.mark.parametrize("who", ["org_admin", "participant"])
def test_organization_admins_and_participants_are_refused(client, request, organization, other_organization, who):
    person = request.getfixturevalue(who)
    client.force_login(person)
    for url in (LIST, NEW, f"/system/organizations/{other_organization.pk}/"):
        assert client.get(url).status_code == 403, url
    assert client.post(NEW, new_data()).status_code == 403
    response = client.post(
        f"/system/organizations/{other_organization.pk}/",
        {"name": "Prise", "host": "taken.example", "available_languages": ["fr"], "default_language": "fr"},
    )
    assert response.status_code == 403
    assert not Organization.objects.filter(host__in=["participation.val.example", "taken.example"]).exists()
    assert not mail.outbox
    with pytest.raises(PermissionDenied):
        services.create_organization(actor=person, **{k: v for k, v in new_data().items()})
    with pytest.raises(PermissionDenied):
        services.update_organization_system(
            actor=person,
            organization=other_organization,
            name="Prise",
            host="taken.example",
            default_language="fr",
            available_languages=["fr"],
        )
    assert reverse("system:organizations") not in menu_hrefs(client.get("/admin/").content.decode())


def test_anonymous_visitors_are_sent_to_log_in(client, organization):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_menu_offers_the_screen_to_platform_admins(system_client):
    assert 'href="/system/organizations/"' in system_client.get("/admin/").content.decode()


def test_the_command_creates_the_first_organization(db, platform_admin):
    call_command("create_organization", name="Ville", host="ville.example", admin_email="maire@ville.example")
    created = Organization.objects.get(host="ville.example")
    assert Invitation.objects.get(organization=created).role == "org_admin"
    with pytest.raises(CommandError):
        call_command("create_organization", name="Ville", host="ville.example", admin_email="maire@ville.example")
