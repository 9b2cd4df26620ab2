"""Writes of the desk: agents, managed participants, acting for them, claims."""

import secrets
import uuid
from datetime import date

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import visitor
from agora.accounts.models import ConsentRecord, Membership, User
from agora.accounts.selectors import people_of
from agora.accounts.services import record_consent
from agora.actionlog.services import log_action
from agora.core.middleware import AgoraRequest
from agora.core.models import Organization
from agora.desk.middleware import SESSION_KEY
from agora.desk.models import MANAGED_EMAIL_DOMAIN, DeskAgent, ManagedParticipant
from agora.permissions import require
from agora.taxonomy.models import Scope
from agora.verifications import services as verification_services
from agora.verifications.identity import person_key
from agora.verifications.models import Identity, Verification


def grant_agent(*, actor: User, organization: Organization, user: User) -> DeskAgent:
    require(actor, "desk.manage_agents", organization)
    if not people_of(organization).filter(pk=user.pk).exists():
        raise ValidationError(_("No member or staff of this organization has this e-mail address."), code="outsider")
    with transaction.atomic():
        agent, created = DeskAgent.objects.get_or_create(
            organization=organization, user=user, defaults={"granted_by": actor}
        )
        if created:
            log_action(
                actor=actor, verb="desk.agent_granted", target=agent, organization=organization, data={"user": user.pk}
            )
    user.__dict__.pop("_agora_desk", None)
    visitor.forget(user)
    return agent


def revoke_agent(*, actor: User, agent: DeskAgent) -> None:
    require(actor, "desk.manage_agents", agent.organization)
    with transaction.atomic():
        log_action(
            actor=actor,
            verb="desk.agent_revoked",
            target=agent,
            organization=agent.organization,
            data={"user": agent.user_id},
        )
        agent.delete()


def _unique_nickname() -> str:
    while True:
        nickname = f"desk-{secrets.token_hex(4)}"
        if not User.objects.filter(nickname__iexact=nickname).exists():
            return nickname


def create_managed_participant(
    *,
    actor: User,
    organization: Organization,
    public_name: str,
    last_name: str,
    first_name: str,
    birth_date: date,
    postal_code: str = "",
    scope: Scope | None = None,
    accepted_terms: bool,
) -> ManagedParticipant:
    """Someone without e-mail or computer, whose identity document the agent
    checked in person: an account with a placeholder address, the terms
    accepted in front of the agent, and an in-person verification. A person
    who already has a verified account cannot get a second one."""
    require(actor, "desk.use", organization)
    if not accepted_terms:
        raise ValidationError(_("Read the terms of use to the person; they must accept them."))
    key = person_key(organization, last_name=last_name, first_name=first_name, birth_date=birth_date)
    if Identity.objects.filter(organization=organization, key=key).exists():
        raise ValidationError(
            _(
                "This person already has a verified account here (online or at a desk): help "
                "them use it instead of creating another one."
            ),
            code="exists",
        )
    with transaction.atomic():
        user = User(
            email=f"desk-{uuid.uuid4().hex}@{MANAGED_EMAIL_DOMAIN}", nickname=_unique_nickname(), name=public_name
        )
        user.set_password(secrets.token_urlsafe(32))  # unknown to anyone until claimed (reset by e-mail)
        user.save()
        current = organization.terms_versions.values_list("version", flat=True).first() or 0
        Membership.objects.create(
            user=user, organization=organization, accepted_terms_version=current, accepted_terms_at=timezone.now()
        )
        record_consent(user, organization, ConsentRecord.Kind.TERMS, version=current)
        managed = ManagedParticipant.objects.create(organization=organization, user=user, created_by=actor)
        verification = verification_services.record_in_person(
            actor=actor,
            organization=organization,
            user=user,
            last_name=last_name,
            first_name=first_name,
            birth_date=birth_date,
            postal_code=postal_code,
            scope=scope,
        )
        if verification.status != Verification.Status.ACTIVE:  # a race with another desk
            raise ValidationError(_("This person already has a verified account here."), code="exists")
        log_action(actor=actor, verb="desk.participant_created", target=user, organization=organization)
    return managed


def start_acting(*, request: AgoraRequest, managed: ManagedParticipant) -> None:
    agent = request.user
    require(agent, "desk.use", managed.organization)
    if managed.is_claimed:
        raise ValidationError(_("This person has claimed their account: they now take part by themselves."))
    request.session[SESSION_KEY] = managed.user_id
    log_action(actor=agent, verb="desk.acting_started", target=managed.user, organization=managed.organization)


def stop_acting(*, request: AgoraRequest) -> None:
    person_id = request.session.pop(SESSION_KEY, None)
    if person_id:
        person = User.objects.filter(pk=person_id).first()
        log_action(actor=request.user, verb="desk.acting_stopped", target=person, organization=request.organization)


def start_claim(*, actor: User, request: AgoraRequest, managed: ManagedParticipant, email: str) -> None:
    """The person gives an e-mail address: allauth sends the confirmation
    link; once confirmed, the address becomes the account's login (allauth
    makes it primary) and the person sets a password with "forgot password"."""
    require(actor, "desk.use", managed.organization)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("This e-mail address is already used by an account."), code="taken")
    with transaction.atomic():
        EmailAddress.objects.filter(user=managed.user, verified=False).delete()
        log_action(actor=actor, verb="desk.claim_started", target=managed.user, organization=managed.organization)
    EmailAddress.objects.add_email(request, managed.user, email, confirm=True)
