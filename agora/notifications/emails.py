"""Notification e-mails: one at once, or a daily/weekly digest.

Every e-mail has a plain-text and an HTML part, an unsubscribe link that
works without logging in (signed token) and List-Unsubscribe headers
(RFC 2369 / RFC 8058 one-click). Digests are built in chunks of people with
a fixed number of queries per chunk, and only for people with something new.

E-mails are outbox rows (agora.outbox): the notifications are marked e-mailed
in the transaction that queues their e-mails, and each digest has the key
(frequency, person, organization, period), so a job killed midway and run
again sends nobody a second digest."""

from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy

from agora.accounts.models import User
from agora.core.models import Organization
from agora.notifications.links import unsubscribe_token
from agora.notifications.models import Notification, Preference
from agora.outbox.models import OutgoingEmail
from agora.outbox.services import deliverable, email_person, schedule_delivery

CHUNK = 500
DIGEST_LIMIT = 50  # notifications listed in one digest; the rest are counted


def base_url(organization) -> str:
    return organization.base_url


def _absolute(organization, url: str) -> str:
    if url.startswith("/"):
        return base_url(organization) + url
    if url.startswith(("http://", "https://")):
        return url
    return base_url(organization) + reverse("notifications:list")


_message = lazy(lambda notification: notification.message, str)


def queue_notifications(user, organization, notifications, *, key: str, frequency: str) -> int | None:
    """Queue the e-mail of `notifications` (one at once, or a digest) for the
    caller to deliver (`schedule_delivery`); the id of its outbox row."""
    root = base_url(organization)
    unsubscribe_url = root + reverse(
        "notifications:unsubscribe", kwargs={"token": unsubscribe_token(user.pk, organization.pk)}
    )
    # Each line is worded when the e-mail is rendered, in the recipient's language.
    items = [
        {"message": _message(n), "url": _absolute(organization, n.url), "created_at": n.created_at}
        for n in notifications[:DIGEST_LIMIT]
    ]
    context = {
        "items": items,
        "more": max(0, len(notifications) - DIGEST_LIMIT),
        "frequency": frequency,
        "is_digest": frequency in (Preference.Frequency.DAILY, Preference.Frequency.WEEKLY),
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": root + reverse("notifications:preferences"),
        "list_url": root + reverse("notifications:list"),
    }
    row = email_person(
        key=key,
        kind=key.split(":", 1)[0],
        organization=organization,
        person=user,
        subject_template="notifications/email/subject.txt",
        text_template="notifications/email/message.txt",
        html_template="notifications/email/message.html",
        context=context,
        deliver=False,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    return row.pk if row is not None else None


def _mailable(user) -> bool:
    return user.is_active and not user.is_deleted and deliverable(user.email)


def send_immediate(notification_ids) -> int:
    """Mail each pending notification to recipients who chose "at once", and
    the personal ones (a reply, a mention, the answer to one's idea) to
    everyone who gets e-mails. Returns the number of e-mails queued."""
    with transaction.atomic():
        notifications = list(
            Notification.objects.filter(pk__in=list(notification_ids), email_pending=True)
            .select_for_update(of=("self",), skip_locked=True)
            .select_related("recipient", "organization", "actor")
        )
        if not notifications:
            return 0
        immediate = set(
            Preference.objects.filter(
                email_frequency=Preference.Frequency.IMMEDIATE,
                user_id__in={n.recipient_id for n in notifications},
            ).values_list("user_id", "organization_id")
        )
        if Preference.DEFAULT_FREQUENCY == Preference.Frequency.IMMEDIATE:  # pragma: no cover (not the default)
            immediate |= {(n.recipient_id, n.organization_id) for n in notifications}
        queued, sent_ids = [], []
        for notification in notifications:
            if not notification.personal and (notification.recipient_id, notification.organization_id) not in immediate:
                continue
            if _mailable(notification.recipient):
                queued.append(
                    queue_notifications(
                        notification.recipient,
                        notification.organization,
                        [notification],
                        key=f"notifications.immediate:{notification.pk}",
                        frequency=Preference.Frequency.IMMEDIATE,
                    )
                )
            sent_ids.append(notification.pk)
        Notification.objects.filter(pk__in=sent_ids).update(email_pending=False, emailed_at=timezone.now())
        schedule_delivery([pk for pk in queued if pk])
    return len(queued)


def _pending_pairs() -> list[tuple[int, int]]:
    return list(
        Notification.objects.filter(email_pending=True)
        .order_by()
        .values_list("recipient_id", "organization_id")
        .distinct()
    )


def digest_period(frequency: str, now) -> str:
    """The period a digest covers: the day, or the ISO week."""
    day = timezone.localdate(now)
    return day.isoformat() if frequency == Preference.Frequency.DAILY else day.strftime("%G-W%V")


def digest_key(frequency: str, user_id: int, organization_id: int, period: str) -> str:
    return f"notifications.digest:{frequency}:{period}:{organization_id}:{user_id}"


def send_digests(frequency: str, *, now=None) -> int:
    """Queue the daily or weekly digest of everyone who chose it and has
    pending notifications. Returns the number of e-mails queued.

    Each chunk commits its e-mails and marks its notifications together; a
    person who already has this period's digest keeps the new notifications
    for the next one. Run twice, or again after being killed, nobody gets a
    second digest."""
    if frequency not in (Preference.Frequency.DAILY, Preference.Frequency.WEEKLY):
        raise ValueError("frequency must be daily or weekly")
    now = now or timezone.now()
    period = digest_period(frequency, now)
    pairs = _pending_pairs()
    if not pairs:
        return 0
    organizations = {o.pk: o for o in Organization.objects.filter(pk__in={org for _user, org in pairs})}
    sent = 0
    for start in range(0, len(pairs), CHUNK):
        sent += _send_digest_chunk(pairs[start : start + CHUNK], frequency, period, now, organizations, User)
    return sent


@transaction.atomic
def _send_digest_chunk(chunk, frequency, period, now, organizations, User) -> int:
    user_ids = {user_id for user_id, _org in chunk}
    chosen = dict(
        ((user_id, org_id), email_frequency)
        for user_id, org_id, email_frequency in Preference.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "organization_id", "email_frequency"
        )
    )
    selected = [pair for pair in chunk if chosen.get(pair, Preference.DEFAULT_FREQUENCY) == frequency]
    if not selected:
        return 0
    keys = {pair: digest_key(frequency, pair[0], pair[1], period) for pair in selected}
    already = set(OutgoingEmail.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    wanted = {pair for pair in selected if keys[pair] not in already}
    if not wanted:
        return 0
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in={user_id for user_id, _org in wanted}).only(
            "pk", "email", "language", "is_active", "deleted_at", "nickname", "name"
        )
    }
    grouped = defaultdict(list)
    for notification in (
        Notification.objects.filter(
            recipient_id__in=users.keys(),
            organization_id__in={org for _user, org in wanted},
            email_pending=True,
            created_at__lte=now,
        )
        .select_related("actor")
        .order_by("recipient_id", "-created_at", "-id")
    ):
        pair = (notification.recipient_id, notification.organization_id)
        if pair in wanted:
            grouped[pair].append(notification)
    queued: list = []
    done: list = []
    for (user_id, org_id), notifications in grouped.items():
        user = users.get(user_id)
        if user is not None and _mailable(user):
            organization = organizations[org_id]
            queued.append(
                queue_notifications(user, organization, notifications, key=keys[(user_id, org_id)], frequency=frequency)
            )
        done.extend(n.pk for n in notifications)
    for batch in range(0, len(done), 1000):
        Notification.objects.filter(pk__in=done[batch : batch + 1000]).update(email_pending=False, emailed_at=now)
    schedule_delivery([pk for pk in queued if pk])
    return len(queued)
