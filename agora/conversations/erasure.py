"""What private conversations erase when a person deletes their account:
they leave every conversation, and their messaging settings and blocks go.
Their messages stay for the other participants, signed "Deleted
participant" (a conversation is also the others' record)."""

from django.db.models import Q
from django.utils import timezone

from agora.conversations.models import MessagingPreference, Participant, PersonBlock


def erase_account(user) -> None:
    Participant.objects.filter(user=user, left_at__isnull=True).update(left_at=timezone.now())
    MessagingPreference.objects.filter(user=user).delete()
    PersonBlock.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
