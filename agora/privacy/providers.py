"""The person's data kept by the apps below the components (the components give
theirs through their manifests' `personal_data` hooks): each provider is
callable(person) -> iterable of (file name, rows)."""

from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db.models import Q

from agora.accounts.models import ConsentRecord, Membership
from agora.comments.models import Comment, CommentVote
from agora.conversations.models import Conversation, Message, Participant
from agora.desk.models import DeskAgent, ManagedParticipant
from agora.follows.models import Follow
from agora.moderation.models import Report
from agora.newsletters.models import Recipient
from agora.notifications.models import Notification
from agora.spaces.models import Role
from agora.verifications.models import Verification

Files = Iterable[tuple[str, Iterable[Any]]]  # rows: dicts, or a `.values()` queryset


def account(person: Any) -> Files:
    """The account, the profile, e-mail addresses, sign-in methods (never a secret),
    memberships, consents and roles."""
    yield (
        "account",
        [
            {
                "id": person.pk,
                "email": person.email,
                "nickname": person.nickname,
                "name": person.name,
                "language": person.language,
                "date_joined": person.date_joined,
                "last_login": person.last_login,
            }
        ],
    )
    yield (
        "profile",
        [
            {
                "about": person.about,
                "age_bracket": person.age_bracket,
                "gender": person.gender,
                "postal_code": person.postal_code,
                "socio_professional_category": person.socio_professional_category,
                "avatar": bool(person.avatar),
            }
        ],
    )
    yield "email_addresses", EmailAddress.objects.filter(user=person).values("email", "verified", "primary")
    yield "second_factors", Authenticator.objects.filter(user=person).values("type", "created_at", "last_used_at")
    yield (
        "identity_providers",
        SocialAccount.objects.filter(user=person).values("provider", "date_joined", "last_login"),
    )
    yield (
        "memberships",
        Membership.objects.filter(user=person).values(
            "organization__name",
            "organization__host",
            "joined_at",
            "accepted_terms_version",
            "accepted_terms_at",
            "newsletter_consent_at",
            "blocked_at",
        ),
    )
    yield (
        "consents",
        ConsentRecord.objects.filter(user=person)
        .order_by("at", "pk")
        .values("organization__name", "kind", "version", "given", "at"),
    )
    yield "roles", Role.objects.filter(user=person).values("organization__name", "space__slug", "name", "created_at")


def participation(person: Any) -> Files:
    """Comments and their votes, follows, notifications, conversations, reports and
    the verifications' kept data (never the salted identity key)."""
    yield (
        "comments",
        Comment.objects.filter(author=person)
        .order_by("pk")
        .values(
            "id",
            "organization__name",
            "space__slug",
            "component_id",
            "content_type__model",
            "object_id",
            "parent_id",
            "body",
            "alignment",
            "official",
            "created_at",
            "edited_at",
            "deleted_at",
        ),
    )
    yield (
        "comment_votes",
        CommentVote.objects.filter(user=person).order_by("pk").values("comment_id", "value", "created_at"),
    )
    yield (
        "follows",
        Follow.objects.filter(user=person).order_by("pk").values("content_type__model", "object_id", "created_at"),
    )
    yield (
        "notifications",
        Notification.objects.filter(recipient=person)
        .order_by("pk")
        .values("organization__name", "event", "target_repr", "url", "created_at", "read_at", "emailed_at"),
    )
    conversations = Participant.objects.filter(user=person).values_list("conversation_id", flat=True)
    yield "conversations", _conversations(person, conversations)
    yield (
        "messages_sent",
        Message.objects.filter(author=person).order_by("pk").values("conversation_id", "body", "created_at"),
    )
    yield "reports", Report.objects.filter(reporter=person).order_by("pk").values("reason", "details", "created_at")
    yield (
        "verifications",
        Verification.objects.filter(user=person)
        .order_by("pk")
        .values(
            "organization__name",
            "method",
            "status",
            "birth_date",
            "postal_code",
            "scope__code",
            "data",
            "document",
            "reason",
            "created_at",
            "decided_at",
        ),
    )


def newsletters(person: Any) -> Files:
    """The newsletter consent per organization (its current state and the dates it was
    given or withdrawn) and every newsletter sent to the person: its subject, whether it
    was handed to the mail server (or skipped, unsubscribed meanwhile) and when it left."""
    memberships = (
        Membership.objects.filter(user=person).order_by("pk").values("organization__name", "newsletter_consent_at")
    )
    history = (
        ConsentRecord.objects.filter(user=person, kind=ConsentRecord.Kind.NEWSLETTER)
        .order_by("at", "pk")
        .values("organization__name", "given", "at")
    )
    yield (
        "consent",
        [
            *(
                {
                    "organization": row["organization__name"],
                    "event": "current",
                    "given": row["newsletter_consent_at"] is not None,
                    "at": row["newsletter_consent_at"],
                }
                for row in memberships
            ),
            *(
                {
                    "organization": row["organization__name"],
                    "event": "given" if row["given"] else "withdrawn",
                    "given": row["given"],
                    "at": row["at"],
                }
                for row in history
            ),
        ],
    )
    yield (
        "received",
        Recipient.objects.filter(user=person)
        .order_by("pk")
        .values(
            "newsletter_id",
            "newsletter__organization__name",
            "newsletter__subject",
            "state",
            "queued_at",
            "email__state",
            "email__sent_at",
        ),
    )


def desk(person: Any) -> Files:
    """The public desk's records linked to the person: the account an agent opened for
    them at the desk (when and in which organization, not who), and the desk agent's
    role they hold. What they took part in at the desk or on paper is in each
    component's files, with its channel ("desk", "paper"); what they entered for
    other people as an agent is those people's data, never here."""
    yield (
        "account_opened_at_desk",
        ManagedParticipant.objects.filter(user=person).order_by("pk").values("organization__name", "created_at"),
    )
    yield "desk_agent", DeskAgent.objects.filter(user=person).order_by("pk").values("organization__name", "created_at")


def _conversations(person: Any, ids: Any) -> Iterable[dict]:
    """The conversations the person takes part in, with the others' public names."""
    for conversation in Conversation.objects.filter(pk__in=ids).order_by("pk"):
        others = Participant.objects.filter(Q(conversation=conversation) & ~Q(user=person)).select_related("user")
        mine = Participant.objects.filter(conversation=conversation, user=person).first()
        yield {
            "id": conversation.pk,
            "with": ", ".join(other.user.public_name for other in others),
            "joined_at": mine.joined_at if mine else None,
            "left_at": mine.left_at if mine else None,
        }
