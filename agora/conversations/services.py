"""Every write of private conversations. Message text never goes to the
action log (which staff read): only that something happened."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import visitor
from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.actionlog.services import trace
from agora.conversations.models import (
    MESSAGE_MAX_LENGTH,
    Conversation,
    Message,
    MessagingPreference,
    Participant,
    PersonBlock,
)
from agora.conversations.rules import Recipients
from agora.core.models import Organization
from agora.moderation.limits import check_posting_rate
from agora.notifications.services import notify
from agora.permissions import require

PRIVATE = ActionLog.Visibility.PRIVATE  # what the action log says of private conversations


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a message."), code="body")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(_("Write at most %(count)d characters.") % {"count": MESSAGE_MAX_LENGTH}, code="body")
    return body


def _notify(message: Message) -> None:
    """The other current participants, through agora.notifications: who
    wrote and where to read, never the text."""
    conversation = message.conversation
    recipients = conversation.participants.filter(left_at__isnull=True)
    if message.author_id is not None:
        recipients = recipients.exclude(user_id=message.author_id)
    notify(
        event="conversations.new_message",
        recipients=list(recipients.values_list("user_id", flat=True)),
        actor=message.author,
        target=conversation,
        organization=conversation.organization,
        url=conversation.get_absolute_url(),
    )


def _existing_pair(organization: Organization, first: User, second: User) -> Conversation | None:
    """The one-to-one conversation both still take part in, if any."""
    return (
        Conversation.objects.filter(organization=organization)
        .annotate(
            size=Count("participants", distinct=True),
            both=Count(
                "participants",
                filter=Q(participants__user__in=[first, second], participants__left_at__isnull=True),
                distinct=True,
            ),
        )
        .filter(size=2, both=2)
        .first()
    )


def _add_message(actor: User, conversation: Conversation, body: str) -> Message:
    check_posting_rate(actor, "message")
    message = Message.objects.create(conversation=conversation, author=actor, body=body)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    conversation.last_message_at = message.created_at
    Participant.objects.filter(conversation=conversation, user=actor).update(last_read_at=message.created_at)
    _notify(message)
    return message


@transaction.atomic
def start_conversation(
    *, actor: User, organization: Organization, recipients: Iterable[User], body: str
) -> Conversation:
    """Write to one person or a small group. Writing to one person you
    already have a one-to-one conversation with continues that one."""
    people = list({person.pk: person for person in recipients}.values())
    require(actor, "conversations.start", Recipients(organization, tuple(people)))
    body = _clean_body(body)
    conversation = _existing_pair(organization, actor, people[0]) if len(people) == 1 else None
    if conversation is None:
        check_posting_rate(actor, "conversation")
        conversation = Conversation.objects.create(organization=organization, started_by=actor)
        Participant.objects.bulk_create(
            [Participant(conversation=conversation, user=person) for person in [actor, *people]]
        )
        trace(actor, "conversations.started", conversation, organization=organization, visibility=PRIVATE)
    else:
        # Continuing the pair's conversation is a reply: logged like one (send_message), the row locked likewise.
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        trace(actor, "conversations.replied", conversation, organization=organization, visibility=PRIVATE)
    _add_message(actor, conversation, body)
    return conversation


@transaction.atomic
def send_message(*, actor: User, conversation: Conversation, body: str) -> Message:
    require(actor, "conversations.reply", conversation)
    body = _clean_body(body)
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    message = _add_message(actor, conversation, body)
    trace(actor, "conversations.replied", conversation, organization=conversation.organization, visibility=PRIVATE)
    return message


@transaction.atomic
def leave_conversation(*, actor: User, conversation: Conversation) -> None:
    """The person no longer sees the conversation nor receives its messages;
    the others keep reading what they wrote."""
    require(actor, "conversations.leave", conversation)
    Participant.objects.filter(conversation=conversation, user=actor, left_at__isnull=True).update(
        left_at=timezone.now()
    )
    trace(actor, "conversations.left", conversation, organization=conversation.organization, visibility=PRIVATE)


def mark_read(*, actor: User, conversation: Conversation) -> None:
    """Reading is not a change worth logging (the page that reads it shows the
    menu's count of unread conversations after: agora.visitor)."""
    Participant.objects.filter(conversation=conversation, user=actor, left_at__isnull=True).update(
        last_read_at=timezone.now()
    )
    visitor.forget(actor)


@transaction.atomic
def block_person(*, actor: User, person: User, organization: Organization) -> PersonBlock:
    """`person` can no longer start or continue a conversation with `actor`.
    The log does not say whom (staff need not know)."""
    require(actor, "conversations.block", person)
    block, created = PersonBlock.objects.get_or_create(blocker=actor, blocked=person)
    if not created:
        raise ValidationError(_("You already blocked this person."), code="already_blocked")
    trace(actor, "conversations.person_blocked", None, organization=organization, visibility=PRIVATE)
    return block


@transaction.atomic
def unblock_person(*, actor: User, person: User, organization: Organization) -> None:
    require(actor, "conversations.block", person)
    deleted, _rows = PersonBlock.objects.filter(blocker=actor, blocked=person).delete()
    if not deleted:
        raise ValidationError(_("You have not blocked this person."), code="not_blocked")
    trace(actor, "conversations.person_unblocked", None, organization=organization, visibility=PRIVATE)


@transaction.atomic
def update_preferences(*, actor: User, accept_from: str, organization: Organization) -> MessagingPreference:
    require(actor, "conversations.preferences", actor)
    if accept_from not in MessagingPreference.AcceptFrom.values:
        raise ValidationError(_("Choose who can write to you."), code="accept_from")
    preference, _created = MessagingPreference.objects.update_or_create(
        user=actor, defaults={"accept_from": accept_from}
    )
    trace(actor, "conversations.preferences_updated", None, organization=organization, visibility=PRIVATE)
    return preference
