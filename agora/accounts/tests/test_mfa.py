"""Two-factor authentication: setting it up, logging in with it, the secret
encrypted at rest, and the organizations that require it of their staff."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.urls import reverse

from agora.accounts.mfa import MFAAdapter
from agora.core import services as core_services
from agora.spaces.models import Role
from agora.testing import factories

PASSWORD = "correct horse battery"


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())  # (now, with the tolerated drift on each side)
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def log_in(client, user, **extra):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, **extra)


def activate(client, user) -> str:
    """Set up the authenticator app through the pages; returns the secret."""
    log_in(client, user)
    # Setting up a second factor asks for the password again first.
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("account_reauthenticate"))
    form = client.get(asked["Location"])
    assert form.status_code == 200 and 'name="password"' in form.content.decode()
    client.post(asked["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page
    secret = page.context["form"].secret
    html = page.content.decode()
    assert secret in html and 'src="data:image/svg+xml;base64,' in html
    wrong = client.post(
        reverse("mfa_activate_totp"), {"code": "000000" if current_code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert not Authenticator.objects.filter(user=user).exists()
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    return secret


def test_a_person_sets_up_an_authenticator_app_and_logs_in_with_it(client, participant):
    secret = activate(client, participant)
    stored = Authenticator.objects.get(user=participant, type=Authenticator.Type.TOTP)
    # The secret is encrypted in the database; the adapter reads it back.
    assert secret not in str(stored.data) and stored.data["secret"].startswith("fernet:")
    assert MFAAdapter().decrypt(stored.data["secret"]) == secret
    client.post(reverse("account_logout"))
    response = log_in(client, participant)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not logged in before the second factor
    wrong = client.post(reverse("mfa_authenticate"), {"code": "12345"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    code = current_code(secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(participant.pk)
    # The same code cannot serve twice (replay); another valid one can.
    client.post(reverse("account_logout"))
    log_in(client, participant)
    replay = client.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.status_code == 200 and replay.context["form"].errors
    counters = list(yield_hotp_counters_from_time())
    other = next(c for c in (format_hotp_value(hotp_value(secret, n)) for n in counters) if c != code)
    assert client.post(reverse("mfa_authenticate"), {"code": other}).status_code == 302


def test_the_account_page_links_to_two_factor_authentication(client, participant):
    client.force_login(participant)
    assert reverse("mfa_index") in client.get(reverse("accounts:settings")).content.decode()
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200 and reverse("mfa_activate_totp") in page.content.decode()


def test_the_app_shows_the_organization_s_name(client, participant, organization):
    log_in(client, participant)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert "issuer=Ville%20de%20Test" in page.context["totp_url"]


def test_secrets_survive_a_key_rotation_listed_in_fallbacks(settings):
    adapter = MFAAdapter()
    stored = adapter.encrypt("JBSWY3DPEHPK3PXP")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "x" * 40, [settings.SECRET_KEY]
    assert adapter.decrypt(stored) == "JBSWY3DPEHPK3PXP"
    settings.SECRET_KEY_FALLBACKS = []
    # Without the old key: never a fixed secret whose codes anyone could compute.
    first, second = adapter.decrypt(stored), adapter.decrypt(stored)
    assert first != second and "JBSWY3DPEHPK3PXP" not in (first, second)
    assert adapter.decrypt("PLAINSECRET") == "PLAINSECRET"  # stored before encryption existed


@pytest.fixture
def strict(organization):
    organization.staff_mfa_required = True
    organization.save()
    return organization


def admin_urls(process):
    component = factories.ComponentFactory(space=process, manifest_name="pages", name={"fr": "Pages"})
    return [
        reverse("backoffice:dashboard"),
        reverse("backoffice:organization"),
        reverse("moderation_admin:settings"),
        component.get_admin_url(),
        "/system/",
    ]


def test_staff_without_a_second_factor_are_sent_to_set_it_up(client, strict, org_admin, process):
    client.force_login(org_admin)
    for url in admin_urls(process):
        response = client.get(url)
        assert response.status_code == 403, url
        assert reverse("mfa_activate_totp") in response.content.decode(), url
        assert f'href="{reverse("backoffice:dashboard")}"' not in response.content.decode().split("<main", 1)[1], url
    # Their own account pages and the public site stay open.
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get("/").status_code == 200
    TOTP.activate(org_admin, "JBSWY3DPEHPK3PXP")
    assert client.get(reverse("backoffice:dashboard")).status_code == 200


def test_space_staff_are_held_too_and_participants_meet_the_usual_refusal(client, strict, process, participant):
    moderator = factories.RoleFactory(space=process, name=Role.Name.MODERATOR).user
    factories.member_of(moderator, strict)
    client.force_login(moderator)
    assert reverse("mfa_activate_totp") in client.get(reverse("backoffice:dashboard")).content.decode()
    client.force_login(participant)
    response = client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 403 and reverse("mfa_activate_totp") not in response.content.decode()


def test_without_the_requirement_staff_open_the_back_office_without_it(client, organization, org_admin):
    client.force_login(org_admin)
    assert client.get(reverse("backoffice:dashboard")).status_code == 200


def test_turning_the_requirement_on_needs_one_s_own_second_factor(client, organization, org_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        core_services.update_organization(
            actor=org_admin, organization=organization, values={"staff_mfa_required": True}
        )
    organization.refresh_from_db()
    assert not organization.staff_mfa_required
    TOTP.activate(org_admin, "JBSWY3DPEHPK3PXP")
    core_services.update_organization(actor=org_admin, organization=organization, values={"staff_mfa_required": True})
    organization.refresh_from_db()
    assert organization.staff_mfa_required


def test_only_organization_admins_change_the_requirement(organization, participant):
    from agora.permissions import PermissionDenied

    with pytest.raises(PermissionDenied):
        core_services.update_organization(
            actor=participant, organization=organization, values={"staff_mfa_required": True}
        )


def test_the_settings_form_shows_why_the_requirement_was_refused(client, organization, org_admin):
    client.force_login(org_admin)
    url = reverse("backoffice:organization")
    form = client.get(url).context["form"]
    payload = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    payload = {name: value for name, value in payload.items() if value not in (None, "") and name != "logo"}
    payload["staff_mfa_required"] = "on"
    response = client.post(url, payload)
    assert response.status_code == 200
    assert response.context["form"].errors.get("staff_mfa_required"), response.context["form"].errors
    organization.refresh_from_db()
    assert not organization.staff_mfa_required


def test_a_key_rotation_then_the_command_moves_every_secret_to_the_new_key(settings, participant):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from django.core.management import call_command

    TOTP.activate(participant, "JBSWY3DPEHPK3PXP")
    codes = RecoveryCodes.activate(participant)
    first_code = codes.get_unused_codes()[0]
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "y" * 40, [old_key]
    call_command("reencrypt_mfa_secrets", stdout=open("/dev/null", "w"))
    settings.SECRET_KEY_FALLBACKS = []  # the old key is gone: everything still reads
    totp = Authenticator.objects.get(user=participant, type=Authenticator.Type.TOTP)
    assert MFAAdapter().decrypt(totp.data["secret"]) == "JBSWY3DPEHPK3PXP"
    recovery = Authenticator.objects.get(user=participant, type=Authenticator.Type.RECOVERY_CODES).wrap()
    assert first_code in recovery.get_unused_codes()


def test_the_system_admin_login_goes_through_allauth(client, organization):
    response = client.get("/system/login/?next=/system/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    response = client.post("/system/login/", {"username": "x", "password": "y"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_turning_it_off_asks_for_the_password_or_a_code_again(client, participant):
    secret = activate(client, participant)
    client.post(reverse("account_logout"))
    log_in(client, participant)
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    asked = client.get(reverse("mfa_deactivate_totp"))
    assert asked.status_code == 302
    page = client.get(reverse("mfa_reauthenticate") + "?next=" + reverse("mfa_deactivate_totp"))
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    assert reverse("account_reauthenticate") in page.content.decode()  # the password as the alternative
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_deactivate_totp")).status_code == 200
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=participant, type=Authenticator.Type.TOTP).exists()


def staff_member(organization, name=Role.Name.SPACE_ADMIN):
    person = factories.UserFactory()
    factories.member_of(person, organization)
    factories.RoleFactory(user=person, space=factories.SpaceFactory(organization=organization), name=name)
    return person


def test_an_organization_admin_resets_a_staff_member_s_second_factor(
    client, organization, org_admin, django_capture_on_commit_callbacks
):
    from django.core import mail

    from agora.actionlog.models import ActionLog

    person = staff_member(organization)
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    client.force_login(org_admin)
    roles_page = client.get(reverse("backoffice:roles")).content.decode()
    url = reverse("backoffice:second_factor_reset", args=[person.pk])
    assert url in roles_page
    assert client.get(url).status_code == 200  # the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=person).exists()
    assert ActionLog.objects.filter(verb="accounts.second_factor_reset", actor=org_admin).count() == 1
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert reverse("mfa_index") in mail.outbox[0].body


def test_resetting_a_second_factor_is_refused_beyond_this_organization_s_staff(
    client, organization, other_organization, org_admin, participant
):
    from agora.accounts.services import reset_second_factor
    from agora.permissions import PermissionDenied

    person = staff_member(organization)
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    # A participant (no right), and the person themselves, are refused.
    with pytest.raises(PermissionDenied):
        reset_second_factor(actor=participant, organization=organization, user=person)
    TOTP.activate(org_admin, "JBSWY3DPEHPK3PXP")
    with pytest.raises(PermissionDenied):
        reset_second_factor(actor=org_admin, organization=organization, user=org_admin)
    # Staff of another organization too: their second factor protects that one as well.
    factories.RoleFactory(
        user=person, space=factories.SpaceFactory(organization=other_organization), name=Role.Name.MODERATOR
    )
    with pytest.raises(PermissionDenied):
        reset_second_factor(actor=org_admin, organization=organization, user=person)
    assert Authenticator.objects.filter(user=person).exists()
    # Someone who is not staff here is not found from this organization's screens.
    client.force_login(org_admin)
    outsider = factories.UserFactory()
    factories.member_of(outsider, organization)
    assert client.get(reverse("backoffice:second_factor_reset", args=[outsider.pk])).status_code == 404
    # A platform admin is left to the platform admins.
    boss = staff_member(organization)
    boss.is_superuser = True
    boss.save()
    TOTP.activate(boss, "JBSWY3DPEHPK3PXP")
    with pytest.raises(PermissionDenied):
        reset_second_factor(actor=org_admin, organization=organization, user=boss)


# --- staff powers outside the back-office wait for the second factor too --------------------


def test_staff_without_a_second_factor_do_not_preview_unpublished_spaces(client, strict):
    from agora import permissions

    draft = factories.SpaceFactory(organization=strict, published_at=None)
    space_admin = factories.RoleFactory(space=draft, name=Role.Name.SPACE_ADMIN).user
    factories.member_of(space_admin, strict)
    client.force_login(space_admin)
    assert client.get(draft.get_absolute_url()).status_code == 404  # as for anyone who may not preview it
    assert not permissions.can(space_admin, "space.preview", draft)
    assert draft not in _listed(strict, space_admin, draft)
    TOTP.activate(space_admin, "JBSWY3DPEHPK3PXP")
    permissions.forget_roles(space_admin)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert permissions.can(space_admin, "space.preview", draft)


def _listed(organization, user, space):
    from agora.spaces.selectors import listed_spaces

    return list(listed_spaces(organization, user, space.kind))


def test_staff_without_a_second_factor_get_no_staff_action_on_public_pages(client, strict, process):
    """The official answer (a staff power on every idea's page) and hiding
    content (moderation) wait for the second factor."""
    from agora.comments.models import Comment
    from agora.components.proposals.tests.factories import ProposalFactory, ProposalsComponentFactory
    from agora.moderation import services as moderation
    from agora.permissions import PermissionDenied, forget_roles

    idea = ProposalFactory(component=ProposalsComponentFactory(space=process))
    factories.member_of(idea.author, strict)
    staff = factories.RoleFactory(space=process, name=Role.Name.MODERATOR).user
    factories.member_of(staff, strict)
    post = reverse("comments:post", kwargs={"model_label": "proposals.proposal", "object_id": idea.pk})
    client.force_login(staff)

    page = client.get(idea.get_absolute_url()).content.decode()
    assert 'name="official"' not in page
    client.post(post, {"body": "Réponse sans second facteur", "official": "on"})
    assert Comment.objects.get(body="Réponse sans second facteur").official is False
    with pytest.raises(PermissionDenied):
        moderation.hide_content(actor=staff, obj=idea)

    TOTP.activate(staff, "JBSWY3DPEHPK3PXP")
    forget_roles(staff)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert 'name="official"' in page
    client.post(post, {"body": "Réponse avec second facteur", "official": "on"})
    assert Comment.objects.get(body="Réponse avec second facteur").official is True
    assert moderation.hide_content(actor=staff, obj=idea).is_hidden


def test_without_the_requirement_staff_powers_need_no_second_factor(client, organization):
    from agora import permissions

    draft = factories.SpaceFactory(organization=organization, published_at=None)
    space_admin = factories.RoleFactory(space=draft, name=Role.Name.SPACE_ADMIN).user
    factories.member_of(space_admin, organization)
    client.force_login(space_admin)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert permissions.can(space_admin, "space.preview", draft)


def test_desk_agents_wait_for_the_second_factor_too(client, strict, org_admin):
    from agora.desk.models import DeskAgent

    agent = factories.UserFactory()
    factories.member_of(agent, strict)
    DeskAgent.objects.create(organization=strict, user=agent, granted_by=org_admin)
    client.force_login(agent)
    response = client.get(reverse("desk:index"))
    assert response.status_code == 403 and reverse("mfa_activate_totp") in response.content.decode()
    TOTP.activate(agent, "JBSWY3DPEHPK3PXP")
    assert client.get(reverse("desk:index")).status_code == 200
