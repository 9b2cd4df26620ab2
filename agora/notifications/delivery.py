"""Who receives a notification, and writing the rows (called by the tasks)."""

from django.contrib.contenttypes.models import ContentType

from agora.accounts.models import User
from agora.follows.models import Follow
from agora.notifications.events import get as get_event
from agora.notifications.models import Notification, Preference
from agora.permissions import can
from agora.spaces.models import Space

BATCH = 1000


def _followers(content_type, object_id) -> set[int]:
    return set(Follow.objects.filter(content_type=content_type, object_id=object_id).values_list("user_id", flat=True))


def recipients_of(payload: dict, extra_ids, exclude_ids, space_followers: bool, actor_followers: bool) -> set[int]:
    ids = set(extra_ids or ())
    if payload["target_type_id"] and payload["target_id"].isdigit():
        ids |= _followers(payload["target_type_id"], int(payload["target_id"]))
    if space_followers and payload["space_id"]:
        ids |= _followers(ContentType.objects.get_for_model(Space), payload["space_id"])
    if actor_followers and payload["actor_id"]:
        ids |= _followers(ContentType.objects.get_for_model(User), payload["actor_id"])
    return ids - set(exclude_ids or ())


def _may_see_space(recipient_ids: set[int], space_id) -> set[int]:
    """People who may see a non-public space (members and staff)."""
    space = Space.objects.select_related("organization").filter(pk=space_id).first()
    if space is None:
        return recipient_ids
    if space.is_public:
        return recipient_ids
    return {user.pk for user in User.objects.filter(pk__in=recipient_ids) if can(user, "space.view", space)}


def deliver(payload: dict, recipient_ids) -> tuple[list[int], list[int]]:
    """Create the notifications. Returns the ids of the notifications made and
    of those to e-mail at once (the task that called it queues those e-mails)."""
    ids = set(recipient_ids) - {payload["actor_id"]}
    if not ids:
        return [], []
    ids = set(User.objects.filter(pk__in=ids, is_active=True, deleted_at__isnull=True).values_list("pk", flat=True))
    if payload["space_id"] and ids:
        ids = _may_see_space(ids, payload["space_id"])
    event = payload["event"]
    # Events people may not mute (decisions about their own contributions) ignore a
    # stale or hand-made entry in muted_events.
    mutable = getattr(get_event(event), "mutable", True)
    personal_event = getattr(get_event(event), "personal", False)
    personal_ids = set(payload.get("personal_ids") or ())  # absent from tasks queued before it existed
    frequency, muted = {}, set()
    for user_id, email_frequency, muted_events in Preference.objects.filter(
        organization_id=payload["organization_id"], user_id__in=ids
    ).values_list("user_id", "email_frequency", "muted_events"):
        frequency[user_id] = email_frequency
        if mutable and event in (muted_events or ()):
            muted.add(user_id)
    ids -= muted
    rows = [
        Notification(
            recipient_id=user_id,
            organization_id=payload["organization_id"],
            space_id=payload["space_id"],
            event=event,
            actor_id=payload["actor_id"],
            target_type_id=payload["target_type_id"],
            target_id=payload["target_id"],
            target_repr=payload["target_repr"],
            url=payload["url"],
            data=payload["data"],
            email_pending=frequency.get(user_id, Preference.DEFAULT_FREQUENCY) != Preference.Frequency.NONE,
            personal=personal_event or user_id in personal_ids,
        )
        for user_id in sorted(ids)
    ]
    created = []
    for start in range(0, len(rows), BATCH):
        created.extend(Notification.objects.bulk_create(rows[start : start + BATCH]))
    # SQLite >= 3.35 and PostgreSQL return the ids of bulk-created rows.
    made = [row.pk for row in created]
    # At once: everything for people who chose so; what is about the person for everyone
    # who gets e-mails (replies, mentions, answers to their idea); the rest waits for the digest.
    immediate = [
        row.pk
        for row in created
        if row.pk
        and row.email_pending
        and (
            row.personal
            or frequency.get(row.recipient_id, Preference.DEFAULT_FREQUENCY) == Preference.Frequency.IMMEDIATE
        )
    ]
    return made, immediate
