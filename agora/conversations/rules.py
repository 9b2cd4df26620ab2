"""Permission rules of private conversations (registered when the app loads).

Reading is only for the conversation's current participants: no role, not
even a platform admin, reads someone else's conversation."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from agora.accounts.models import Membership
from agora.conversations.models import MessagingPreference, Participant, PersonBlock, max_participants
from agora.permissions import ALLOWED, can, deny, rule


@dataclass(frozen=True)
class Recipients:
    """Target of "conversations.start": the people written to, in an organization."""

    organization: object
    people: tuple


def _usable(user) -> bool:
    return bool(user.is_authenticated and user.is_active and not user.is_deleted)


def _blocks(blocker, blocked) -> bool:
    return PersonBlock.objects.filter(blocker=blocker, blocked=blocked).exists()


def _share_a_conversation(first, second, organization) -> bool:
    return Participant.objects.filter(
        user=second,
        conversation__organization=organization,
        conversation__participants__user=first,
    ).exists()


def refusal_to_write(user, person, organization):
    """Why `user` may not start a conversation with `person` (None when they may)."""
    if person.pk == user.pk:
        return deny(_("You cannot write to yourself."))
    if not _usable(person) or not Membership.objects.filter(user=person, organization=organization).exists():
        return deny(_("This person cannot receive messages here."))
    if _blocks(user, person):
        return deny(_("You blocked %(name)s: unblock them to write to them.") % {"name": person.public_name})
    if _blocks(person, user):
        return deny(_("%(name)s does not accept messages from you.") % {"name": person.public_name})
    accept_from = (
        MessagingPreference.objects.filter(user=person).values_list("accept_from", flat=True).first()
        or MessagingPreference.AcceptFrom.EVERYONE
    )
    if accept_from == MessagingPreference.AcceptFrom.NOBODY:
        return deny(_("%(name)s does not accept new conversations.") % {"name": person.public_name})
    if accept_from == MessagingPreference.AcceptFrom.KNOWN and not _share_a_conversation(user, person, organization):
        return deny(
            _("%(name)s only accepts messages from people they already have a conversation with.")
            % {"name": person.public_name}
        )
    return None


@rule("conversations.start")
def _start(user, recipients: Recipients):
    decision = can(user, "participate", recipients.organization)
    if not decision:
        return decision
    people = list(recipients.people)
    if not people:
        return deny(_("Choose at least one person."))
    if len({person.pk for person in people} | {user.pk}) > max_participants():
        return deny(_("A conversation has at most %(count)d participants.") % {"count": max_participants()})
    for person in people:
        refusal = refusal_to_write(user, person, recipients.organization)
        if refusal is not None:
            return refusal
    return ALLOWED


def _participant(user, conversation):
    if not user.is_authenticated:
        return None
    return Participant.objects.filter(conversation=conversation, user=user, left_at__isnull=True).first()


@rule("conversations.view")
def _view(user, conversation):
    if _participant(user, conversation) is None:
        return deny(_("This conversation does not exist."))
    return ALLOWED


@rule("conversations.reply")
def _reply(user, conversation):
    if _participant(user, conversation) is None:
        return deny(_("This conversation does not exist."))
    decision = can(user, "participate", conversation.organization)
    if not decision:
        return decision
    others = [
        participant.user
        for participant in Participant.objects.filter(conversation=conversation, left_at__isnull=True)
        .exclude(user=user)
        .select_related("user")
        if _usable(participant.user)
    ]
    if not others:
        return deny(_("Nobody else is left in this conversation."))
    for person in others:
        if _blocks(person, user):
            return deny(_("%(name)s does not accept messages from you.") % {"name": person.public_name})
    return ALLOWED


@rule("conversations.leave")
def _leave(user, conversation):
    return _view(user, conversation)


@rule("conversations.block")
def _block(user, person):
    """Any person with an account blocks (or unblocks) anyone else."""
    if not _usable(user):
        return deny(_("Log in to continue."))
    if person is None or person.pk == user.pk:
        return deny(_("You cannot block yourself."))
    return ALLOWED


@rule("conversations.preferences")
def _preferences(user, person):
    if not _usable(user) or person is None or person.pk != user.pk:
        return deny(_("You can only change your own preferences."))
    return ALLOWED
