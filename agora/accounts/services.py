"""Writes on accounts: registration, terms, invitations, profile, deletion.

Each function is one use case: it checks the permission, changes the data in
one transaction and writes the action log."""

import secrets
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import visitor
from agora.accounts import erasure, staff
from agora.accounts.models import ConsentRecord, Invitation, Membership, User, is_reserved_nickname
from agora.actionlog.models import ActionLog
from agora.actionlog.services import log_action
from agora.core.files import delete_file_after_commit
from agora.core.models import Organization
from agora.core.validators import validate_image
from agora.outbox.services import email_person, new_key
from agora.permissions import PermissionDenied, deny, forget_roles, require

PROFILE_FIELD_NAMES = ("age_bracket", "gender", "postal_code", "socio_professional_category")


def _current_terms_version(organization: Organization) -> int:
    return organization.terms_versions.values_list("version", flat=True).first() or 0


def _forget_terms_status(user: User) -> None:
    user.__dict__.pop("_agora_terms", None)
    visitor.forget(user)


def _clean_profile(organization: Organization, profile: dict | None) -> dict:
    """Only the optional fields the organization asks for."""
    asked = [name for name in organization.profile_fields if name in PROFILE_FIELD_NAMES]
    return {name: (profile or {}).get(name) or "" for name in asked}


# --- registration --------------------------------------------------------------


def record_consent(user: User, organization: Organization, kind: str, *, version: int = 0, given: bool = True) -> None:
    """Add a consent to the person's record (agora.accounts.models.ConsentRecord), in the
    transaction of the change of the membership it records."""
    ConsentRecord.objects.create(user=user, organization=organization, kind=kind, version=version, given=given)


def complete_signup(
    *,
    user: User,
    organization: Organization,
    profile: dict | None = None,
    invitation: Invitation | None = None,
    newsletter: bool = False,
) -> Membership:
    """What happens after allauth created the account on `organization`'s site:
    optional profile answers, the membership with the current terms accepted
    (the signup form made the person tick the box), the invitation used, and
    the newsletter's consent when the person ticked its own box (never by default)."""
    with transaction.atomic():
        values = _clean_profile(organization, profile)
        if values:
            for name, value in values.items():
                setattr(user, name, value)
            user.save(update_fields=list(values))
        if invitation is not None:
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if invitation.organization_id != organization.pk or not invitation.is_pending:
                raise ValidationError(_("This invitation is no longer valid."))
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
            _grant_invited_role(user, invitation)
        membership, _created = Membership.objects.update_or_create(
            user=user,
            organization=organization,
            defaults={
                "accepted_terms_version": _current_terms_version(organization),
                "accepted_terms_at": timezone.now(),
                **({"newsletter_consent_at": timezone.now()} if newsletter else {}),
            },
        )
        record_consent(user, organization, ConsentRecord.Kind.TERMS, version=membership.accepted_terms_version)
        if newsletter:
            record_consent(user, organization, ConsentRecord.Kind.NEWSLETTER)
        log_action(
            actor=user,
            verb="account.registered",
            target=user,
            organization=organization,
            data={"invitation": invitation.pk if invitation else None},
        )
    _forget_terms_status(user)
    return membership


def accept_terms(*, user: User, organization: Organization) -> Membership:
    """The person accepts the organization's current terms (and becomes one
    of its participants if they registered on another organization)."""
    require(user, "organization.join", organization)
    with transaction.atomic():
        version = _current_terms_version(organization)
        membership, _created = Membership.objects.select_for_update().get_or_create(
            user=user, organization=organization
        )
        membership.accepted_terms_version = version
        membership.accepted_terms_at = timezone.now()
        membership.save(update_fields=["accepted_terms_version", "accepted_terms_at"])
        record_consent(user, organization, ConsentRecord.Kind.TERMS, version=version)
        log_action(actor=user, verb="terms.accepted", target=user, organization=organization, data={"version": version})
    _forget_terms_status(user)
    return membership


# --- invitations ---------------------------------------------------------------


def invitation_signup_path(invitation: Invitation) -> str:
    return f"{reverse('account_signup')}?{urlencode({'invitation': invitation.token})}"


INVITATION_ROLES = ("", "org_admin")


def create_invitation(
    *, actor: User, organization: Organization, email: str, base_url: str | None = None, role: str = ""
) -> Invitation:
    """Invite someone to register in the organization; the e-mail carries a
    personal link to the signup page. `base_url` ("https://host/") defaults
    to the organization's host name. With `role` "org_admin" the person
    becomes an administrator of the organization on accepting."""
    require(actor, "participants.manage", organization)
    if role not in INVITATION_ROLES:
        raise ValueError(f"An invitation cannot give the role {role!r}")
    email = (email or "").strip().lower()
    validate_email(email)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organization=organization, email=email, token=secrets.token_urlsafe(32), invited_by=actor, role=role
        )
        log_action(
            actor=actor,
            verb="invitation.created",
            target=invitation,
            organization=organization,
            data={"role": role} if role else None,
        )
        _send_invitation(invitation, base_url)
    return invitation


def _send_invitation(invitation: Invitation, base_url: str | None) -> None:
    organization = invitation.organization
    link = (base_url or organization.base_url).rstrip("/") + invitation_signup_path(invitation)
    email_person(
        key=f"accounts.invitation:{invitation.pk}",
        organization=organization,
        to=invitation.email,
        subject_template="accounts/email/invitation_subject.txt",
        text_template="accounts/email/invitation_message.txt",
        context={"invitation": invitation, "link": link},
    )


def _grant_invited_role(user: User, invitation: Invitation) -> None:
    """The role the invitation promised, granted in the caller's transaction
    and logged in the inviter's name (who chose to give it)."""
    if not invitation.role:
        return

    if staff.roles().grant(invitation.organization, user, invitation.role):
        log_action(
            actor=invitation.invited_by,
            verb="role.grant",
            target=user,
            organization=invitation.organization,
            data={"role": invitation.role, "invitation": invitation.pk},
        )
    forget_roles(user)


def accept_invitation(*, user: User, invitation: Invitation) -> Membership:
    """A person who already has an account (registered on another
    organization of the installation) follows an invitation link."""
    if not user.is_authenticated or user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending:
            raise ValidationError(_("This invitation has already been used."))
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        membership, _created = Membership.objects.get_or_create(user=user, organization=invitation.organization)
        log_action(actor=user, verb="invitation.accepted", target=invitation, organization=invitation.organization)
        _grant_invited_role(user, invitation)
    _forget_terms_status(user)
    return membership


# --- profile -------------------------------------------------------------------


def nickname_is_taken(nickname: str, *, exclude: User | None = None) -> bool:
    users = User.objects.filter(nickname__iexact=nickname)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


def update_profile(
    *,
    actor: User,
    user: User,
    organization: Organization,
    name: str,
    nickname: str,
    about: str = "",
    language: str = "",
    profile: dict | None = None,
    avatar: File | None = None,
    remove_avatar: bool = False,
) -> User:
    """Change what the person shows and tells about themselves. `avatar` is
    a new upload (checked by content); `remove_avatar` drops the current one."""
    require(actor, "account.edit", user)
    if is_reserved_nickname(nickname) and nickname.lower() != user.nickname.lower():
        raise ValidationError({"nickname": _("This nickname cannot be used; choose another one.")})
    if nickname_is_taken(nickname, exclude=user):
        raise ValidationError({"nickname": _("This nickname is already taken; choose another one.")})
    if avatar is not None:
        validate_image(avatar)
    if language and language not in organization.languages:
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        old_avatar = locked.avatar.name if locked.avatar else ""
        locked.name = name.strip()
        locked.nickname = nickname.strip()
        locked.about = about.strip()
        locked.language = language
        for field_name, value in _clean_profile(organization, profile).items():
            setattr(locked, field_name, value)
        if avatar is not None:
            locked.avatar = avatar
        elif remove_avatar:
            locked.avatar = ""
        locked.full_clean(exclude=["password", "email"], validate_unique=False)
        locked.save()
        if old_avatar and old_avatar != locked.avatar.name:
            delete_file_after_commit(locked.avatar.storage, old_avatar)
        log_action(actor=actor, verb="account.updated", target=locked, organization=organization)
    return locked


def set_newsletter_consent(*, actor: User, user: User, organization: Organization, consent: bool) -> Membership | None:
    """Give or withdraw one's consent to `organization`'s newsletter, recorded
    with its date (a consent kept keeps its first date). Withdrawing is
    immediate: a newsletter being sent skips the person from its next batch.
    Returns the membership, None for a person who is not a participant of the
    organization (nothing to withdraw)."""
    require(actor, "account.edit", user)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(user=user, organization=organization).first()
        if membership is None:
            if consent:
                raise ValidationError(_("Accept the organization's terms of use first."))
            return None
        if bool(membership.newsletter_consent_at) == consent:
            return membership
        membership.newsletter_consent_at = timezone.now() if consent else None
        membership.save(update_fields=["newsletter_consent_at"])
        record_consent(user, organization, ConsentRecord.Kind.NEWSLETTER, given=consent)
        log_action(
            actor=actor,
            verb="account.newsletter_accepted" if consent else "account.newsletter_withdrawn",
            target=user,
            organization=organization,
        )
    return membership


def withdraw_newsletter_consent(*, user_id: int, organization: Organization) -> bool:
    """The one-click unsubscribe of a newsletter (a signed link, no login: the
    link is the proof). Returns whether a consent was withdrawn."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(user_id=user_id, organization=organization, newsletter_consent_at__isnull=False)
            .select_related("user")
            .first()
        )
        if membership is None:
            return False
        membership.newsletter_consent_at = None
        membership.save(update_fields=["newsletter_consent_at"])
        record_consent(membership.user, organization, ConsentRecord.Kind.NEWSLETTER, given=False)
        log_action(
            actor=membership.user,
            verb="account.newsletter_withdrawn",
            target=membership.user,
            organization=organization,
            data={"link": True},
        )
    return True


# --- deletion ------------------------------------------------------------------


def delete_account(*, user: User, organization: Organization | None = None) -> None:
    """Erase the person's personal data and close the account. The User row
    stays so that contributions remain, shown as "Deleted participant".
    The action is logged in every organization the person belonged to."""
    require(user, "account.edit", user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        delete_file_after_commit(locked.avatar)
        locked.name = ""
        locked.about = ""
        locked.avatar = ""
        for field_name in PROFILE_FIELD_NAMES:
            setattr(locked, field_name, "")
        locked.language = ""
        locked.email = f"deleted-{locked.pk}@deleted.invalid"
        locked.nickname = f"deleted-{locked.pk}"
        locked.set_unusable_password()
        locked.is_active = False
        locked.is_staff = False
        locked.is_superuser = False
        locked.deleted_at = timezone.now()
        locked.save()
        EmailAddress.objects.filter(user=locked).delete()
        # Log rows about the account kept the name it had then.
        ActionLog.objects.filter(target_type=ContentType.objects.get_for_model(User), target_id=str(locked.pk)).update(
            target_repr=str(locked)
        )
        Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True).delete()
        _delete_sessions(locked)
        # Verifications, desk records, roles, notifications, follows,
        # conversations, second factor and identity-provider claims: each
        # app erases what it keeps (agora.accounts.erasure).
        erasure.erase_everywhere(locked)
        organizations = {membership.organization for membership in locked.memberships.select_related("organization")}
        if organization is not None:
            organizations.add(organization)
        for each in organizations:
            log_action(
                actor=locked,
                verb="account.deleted",
                target=locked,
                organization=each,
                visibility=ActionLog.Visibility.ADMIN,
            )
    # Keep the caller's object in step with the database.
    for field_name in (
        "name",
        "about",
        "avatar",
        "language",
        "email",
        "nickname",
        "password",
        "is_active",
        "is_staff",
        "is_superuser",
        "deleted_at",
        *PROFILE_FIELD_NAMES,
    ):
        setattr(user, field_name, getattr(locked, field_name))


def _delete_sessions(user: User) -> None:
    """Close every session of the person. The unusable password already
    invalidates them (Django checks the session's password hash); deleting
    the rows also removes the data they hold."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    user_id = str(user.pk)
    stale = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        if session.get_decoded().get("_auth_user_id") == user_id:
            stale.append(session.pk)
    Session.objects.filter(pk__in=stale).delete()


def reset_second_factor(*, actor: User, organization: Organization, user: User) -> int:
    """An organization admin removes a staff member's two-factor authentication
    (lost phone and recovery codes): the person logs in with the password and sets
    it up again. Only for people whose staff roles are all in this organization (the
    second factor is the account's, for every organization: another organization's
    staff, or a platform admin, is reset by a platform admin in /system/). Never
    one's own (turned off from one's account page, after confirming it is you).
    Returns how many authenticators were removed; the person is told by e-mail."""
    require(actor, "participants.manage", organization)
    if user.pk == actor.pk:
        raise PermissionDenied(deny(_("Turn off your own two-factor authentication from your account page.")))
    roles = staff.roles().organizations_of(user)
    if roles != {organization.pk} or user.is_superuser:
        raise PermissionDenied(
            deny(
                _(
                    "Only the staff of this organization alone can be reset here; ask a platform "
                    "administrator for this person."
                )
            )
        )
    with transaction.atomic():
        removed, _by_type = Authenticator.objects.filter(user=user).delete()
        if not removed:
            raise ValidationError(_("This person has no two-factor authentication."))
        log_action(
            actor=actor,
            verb="accounts.second_factor_reset",
            target=user,
            organization=organization,
            visibility=ActionLog.Visibility.ADMIN,
        )
        _send_second_factor_reset(user, organization)  # an outbox row of this transaction
    return removed


def _send_second_factor_reset(user: User, organization: Organization) -> None:
    email_person(
        key=new_key("accounts.second_factor_reset"),
        organization=organization,
        person=user,
        subject_template="accounts/email/second_factor_reset_subject.txt",
        text_template="accounts/email/second_factor_reset_message.txt",
        context={"link": organization.base_url + reverse("mfa_index")},
    )
