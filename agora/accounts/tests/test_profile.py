"""Public profile, account settings and account deletion."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from agora.accounts.models import User
from agora.accounts.services import delete_account, update_profile
from agora.actionlog.models import ActionLog
from agora.actionlog.services import log_action
from agora.permissions import PermissionDenied
from agora.spaces.models import AssemblyMember, Space
from agora.testing import factories

RIGHT = "correct horse battery"


def profile_url(user):
    return reverse("accounts:profile", args=[user.nickname])


# --- public profile ---------------------------------------------------------------


def test_profile_shows_public_data_only(client, organization, participant, png):
    organization.profile_fields = ["postal_code"]
    organization.save()
    participant.about = "J'aime mon quartier."
    participant.postal_code = "45999"
    participant.avatar = SimpleUploadedFile("a.png", png(), content_type="image/png")
    participant.save()
    response = client.get(profile_url(participant))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert participant.public_name in html and f"@{participant.nickname}" in html
    assert "J&#x27;aime mon quartier." in html
    assert 'alt="' in html and participant.avatar.url in html
    assert participant.email not in html
    assert "45999" not in html


def test_profile_nickname_is_case_insensitive(client, organization, participant):
    response = client.get(reverse("accounts:profile", args=[participant.nickname.upper()]))
    assert response.status_code == 200
    assert participant.public_name in response.content.decode()


def test_profile_lists_public_contributions_of_this_organization(
    client, organization, other_organization, participant, process
):
    log_action(
        actor=participant,
        verb="proposal.create",
        target=process,
        organization=organization,
        space=process,
        visibility="public",
    )
    log_action(
        actor=participant,
        verb="proposal.update",
        target=participant,
        organization=organization,
        visibility="admin",
        data={},
    )
    other_space = factories.SpaceFactory(organization=other_organization, slug="b-space")
    ActionLog.objects.create(
        organization=other_organization,
        actor=participant,
        verb="proposal.create",
        target_repr="Idée secrète de B",
        space=other_space,
        visibility="public",
    )
    ActionLog.objects.filter(verb="proposal.update").update(target_repr="Admin only thing")
    html = client.get(profile_url(participant)).content.decode()
    assert str(process) in html
    assert "Admin only thing" not in html
    assert "Idée secrète de B" not in html


def test_profile_contributions_are_paginated(client, organization, participant):
    for number in range(25):
        ActionLog.objects.create(
            organization=organization,
            actor=participant,
            verb="comment.create",
            target_repr=f"Contribution {number:02d}",
            visibility="public",
        )
    first = client.get(profile_url(participant))
    assert len(first.context["contributions"].object_list) == 20
    assert "Contribution 24" in first.content.decode()
    second = client.get(profile_url(participant) + "?page=2").content.decode()
    assert "Contribution 00" in second and "Contribution 24" not in second
    assert client.get(profile_url(participant) + "?page=abc").status_code == 200


def test_profile_of_inactive_or_deleted_account_is_404(client, organization, participant):
    other = factories.UserFactory()
    other.is_active = False
    other.save()
    assert client.get(profile_url(other)).status_code == 404
    delete_account(user=participant)
    assert client.get(reverse("accounts:profile", args=[f"deleted-{participant.pk}"])).status_code == 404
    assert client.get(reverse("accounts:profile", args=["nobody-here"])).status_code == 404


# --- settings -------------------------------------------------------------------------


def settings_data(user, **overrides):
    data = {"name": user.name, "nickname": user.nickname, "about": "", "language": ""}
    data.update(overrides)
    return data


def test_settings_require_login(client, organization):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_settings_page(client, organization, participant):
    organization.profile_fields = ["gender"]
    organization.save()
    client.force_login(participant)
    html = client.get(reverse("accounts:settings")).content.decode()
    assert html.count("<h1") == 1
    assert reverse("account_change_password") in html and reverse("account_email") in html
    assert reverse("accounts:delete") in html
    assert 'name="gender"' in html
    assert "statistics" in html or "statistiques" in html


def test_update_settings(client, organization, participant, png):
    organization.profile_fields = ["age_bracket", "postal_code"]
    organization.save()
    client.force_login(participant)
    response = client.post(
        reverse("accounts:settings"),
        settings_data(
            participant,
            name="Nouveau Nom",
            nickname="nouveau",
            about="Bonjour",
            language="en",
            age_bracket="18_24",
            postal_code="45100",
            gender="woman",
            avatar=SimpleUploadedFile("me.png", png(), content_type="image/png"),
        ),
    )
    assert response.status_code == 302
    assert response.cookies["agora_language"].value == "en"
    user = User.objects.get(pk=participant.pk)
    assert (user.name, user.nickname, user.about, user.language) == ("Nouveau Nom", "nouveau", "Bonjour", "en")
    assert user.age_bracket == "18_24" and user.postal_code == "45100"
    assert user.gender == ""  # not asked by this organization
    assert user.avatar.name.startswith("avatars/")
    assert ActionLog.objects.filter(verb="account.updated", actor=user).exists()


def test_avatar_must_be_a_real_image(client, organization, participant):
    client.cookies["agora_language"] = "en"
    client.force_login(participant)
    fake = SimpleUploadedFile("photo.png", b"<?php echo 'hello'; ?>", content_type="image/png")
    response = client.post(reverse("accounts:settings"), settings_data(participant, name="Kept", avatar=fake))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This file is not a picture we can read" in html
    assert 'class="error-summary"' in html
    assert 'value="Kept"' in html
    assert not User.objects.get(pk=participant.pk).avatar


def test_avatar_size_limit(client, settings, organization, participant, png):
    settings.AGORA_MAX_IMAGE_BYTES = 50
    client.cookies["agora_language"] = "en"
    client.force_login(participant)
    big = SimpleUploadedFile("big.png", png(size=(200, 200), colour="blue") + b"\0" * 100, content_type="image/png")
    response = client.post(reverse("accounts:settings"), settings_data(participant, avatar=big))
    assert "This image is too large" in response.content.decode()


def test_nickname_taken_in_settings(client, organization, participant):
    factories.UserFactory(nickname="Pris")
    client.cookies["agora_language"] = "en"
    client.force_login(participant)
    response = client.post(reverse("accounts:settings"), settings_data(participant, nickname="pris"))
    assert response.status_code == 200
    assert "This nickname is already taken" in response.content.decode()
    # Changing only the case of one's own nickname is fine.
    ok = client.post(reverse("accounts:settings"), settings_data(participant, nickname=participant.nickname.upper()))
    assert ok.status_code == 302


def test_replacing_avatar_deletes_old_file(organization, participant, png, django_capture_on_commit_callbacks):
    first = SimpleUploadedFile("one.png", png(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        user = update_profile(
            actor=participant,
            user=participant,
            organization=organization,
            name="A",
            nickname=participant.nickname,
            avatar=first,
        )
    old_name = user.avatar.name
    storage = user.avatar.storage
    assert storage.exists(old_name)
    with django_capture_on_commit_callbacks(execute=True):
        user = update_profile(
            actor=participant,
            user=user,
            organization=organization,
            name="A",
            nickname=participant.nickname,
            avatar=SimpleUploadedFile("two.png", png(colour="blue"), content_type="image/png"),
        )
    assert not storage.exists(old_name)
    assert storage.exists(user.avatar.name)


def test_nobody_else_updates_a_profile(organization, participant, org_admin):
    with pytest.raises(PermissionDenied):
        update_profile(actor=org_admin, user=participant, organization=organization, name="Hacked", nickname="hacked")
    assert User.objects.get(pk=participant.pk).name != "Hacked"


# --- deletion -------------------------------------------------------------------------


def test_delete_requires_login(client, organization):
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_delete_page_explains_and_asks_password(client, organization, participant):
    client.force_login(participant)
    html = client.get(reverse("accounts:delete")).content.decode()
    assert html.count("<h1") == 1
    assert 'autocomplete="current-password"' in html
    wrong = client.post(reverse("accounts:delete"), {"password": "nope"})
    assert wrong.status_code == 200
    assert 'class="error-summary"' in wrong.content.decode()
    assert User.objects.get(pk=participant.pk).is_active


def test_delete_my_account(client, organization, participant, png, django_capture_on_commit_callbacks):
    organization.registration_mode = "open"
    participant.about = "About me"
    participant.postal_code = "45000"
    participant.avatar = SimpleUploadedFile("a.png", png(), content_type="image/png")
    participant.save()
    avatar_name, storage = participant.avatar.name, participant.avatar.storage
    email = participant.email
    assembly = factories.SpaceFactory(organization=organization, kind=Space.Kind.ASSEMBLY, slug="conseil")
    AssemblyMember.objects.create(space=assembly, user=participant)
    log_action(
        actor=participant, verb="comment.create", target=assembly, organization=organization, visibility="public"
    )
    other_client = client.__class__()
    other_client.force_login(participant)  # another browser

    client.force_login(participant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete"), {"password": RIGHT})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session

    user = User.objects.get(pk=participant.pk)
    assert user.email == f"deleted-{user.pk}@deleted.invalid"
    assert user.nickname == f"deleted-{user.pk}"
    assert user.name == "" and user.about == "" and user.postal_code == "" and not user.avatar
    assert not user.has_usable_password() and not user.is_active and user.deleted_at
    assert not storage.exists(avatar_name)
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Session.objects.filter(session_key=other_client.session.session_key).exists()
    assert ActionLog.objects.filter(verb="account.deleted", organization=organization, visibility="admin").exists()

    # Cannot log in any more, with the old e-mail and password.
    client.post("/accounts/login/", {"login": email, "password": RIGHT})
    assert "_auth_user_id" not in client.session
    assert other_client.get(reverse("accounts:settings")).status_code == 302

    # Contributions stay, under the deleted-participant label.
    member = AssemblyMember.objects.get(space=assembly)
    with translation.override("en"):
        assert member.display_name == "Deleted participant"
    with translation.override("fr"):
        assert member.display_name in ("Participant supprimé", "Deleted participant")
    row = ActionLog.objects.get(verb="comment.create")
    assert row.actor_id == user.pk
    with translation.override("en"):
        assert str(row.actor) == "Deleted participant"


def test_delete_erases_name_from_log_rows(organization, participant):
    name = participant.name
    log_action(actor=participant, verb="account.registered", target=participant, organization=organization)
    delete_account(user=participant, organization=organization)
    assert not ActionLog.objects.filter(target_repr__contains=name).exists()


def test_only_the_person_may_edit_their_account(organization, participant, org_admin):
    with pytest.raises(PermissionDenied):
        from agora.permissions import require

        require(org_admin, "account.edit", participant)
    assert User.objects.get(pk=participant.pk).is_active
