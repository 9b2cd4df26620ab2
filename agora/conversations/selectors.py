"""Reads of private conversations, always from the reader's side."""

from datetime import datetime
from datetime import timezone as dt_timezone

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from agora import visitor
from agora.accounts.models import User
from agora.conversations.models import Conversation, Message, Participant, PersonBlock
from agora.core.models import Organization

EPOCH = datetime(1970, 1, 1, tzinfo=dt_timezone.utc)


def _with_unread(conversations: QuerySet[Conversation], user: User) -> QuerySet[Conversation]:
    """Annotate `unread`: messages by others after the reader's last read."""
    last_read = Participant.objects.filter(conversation=OuterRef("pk"), user=user).values("last_read_at")[:1]
    newer = (
        Message.objects.filter(conversation=OuterRef("pk"), created_at__gt=OuterRef("my_last_read"))
        .exclude(author=user)
        .values("conversation")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return conversations.annotate(
        my_last_read=Coalesce(Subquery(last_read), Value(EPOCH)),
    ).annotate(unread=Coalesce(Subquery(newer), Value(0)))


def inbox(user: User, organization: Organization) -> QuerySet[Conversation]:
    """The person's current conversations, latest activity first, with
    `unread` (messages by others they have not read) and the participants."""
    current = Participant.objects.filter(conversation=OuterRef("pk"), user=user, left_at__isnull=True)
    conversations = Conversation.objects.filter(Exists(current), organization=organization)
    return (
        _with_unread(conversations, user)
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("user").order_by("joined_at", "id"))
        )
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )


def unread_count(user: User | AnonymousUser, organization: Organization) -> int:
    """Conversations with unread messages (for the menu): the visitor fact
    "conversations.unread" (agora.visitor)."""
    if not user.is_authenticated:
        return 0
    return visitor.read(user, organization, "conversations.unread")


def unread_columns(user: User, organization: Organization, vendor: str) -> tuple[list[str], list[int]]:
    """The conversations the person is in (not left) with a message by someone
    else after they last read it (the count of `inbox` rows with `unread`)."""
    return [
        f"(SELECT COUNT(*) FROM {visitor.table(Conversation)} c JOIN {visitor.table(Participant)} p "
        f"ON p.conversation_id = c.id AND p.user_id = %s AND p.left_at IS NULL WHERE c.organization_id = %s "
        f"AND EXISTS (SELECT 1 FROM {visitor.table(Message)} m WHERE m.conversation_id = c.id "
        f"AND (p.last_read_at IS NULL OR m.created_at > p.last_read_at) "
        f"AND (m.author_id IS NULL OR m.author_id <> %s)))"
    ], [user.pk, organization.pk, user.pk]


def conversation_for(user: User | AnonymousUser, organization: Organization, conversation_id: int) -> Conversation:
    """The conversation if `user` currently takes part in it; Http404 for
    anyone else, whatever their role (nothing is revealed)."""
    conversation = Conversation.objects.filter(pk=conversation_id, organization=organization).first()
    if (
        conversation is None
        or not user.is_authenticated
        or not Participant.objects.filter(conversation=conversation, user=user, left_at__isnull=True).exists()
    ):
        raise Http404
    return conversation


def messages_of(conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.select_related("author").order_by("created_at", "id")


def participants_of(conversation: Conversation) -> QuerySet[Participant]:
    return conversation.participants.select_related("user").order_by("joined_at", "id")


def blocked_people(user: User) -> QuerySet[PersonBlock]:
    return PersonBlock.objects.filter(blocker=user).select_related("blocked").order_by("-created_at")


def has_blocked(user: User | AnonymousUser, person: User) -> bool:
    return user.is_authenticated and PersonBlock.objects.filter(blocker=user, blocked=person).exists()
