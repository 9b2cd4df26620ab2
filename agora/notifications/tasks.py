"""Background tasks of notifications (django-tasks): fan-out and mail.

The immediate backend runs them inline (tests, demo); in production the
database backend stores them in the caller's transaction, so a rolled-back
action never notifies anyone."""

from django.db import transaction
from django_tasks import task

from agora.notifications.delivery import deliver, recipients_of
from agora.notifications.emails import send_digests, send_immediate


def _deliver(payload: dict, recipient_ids) -> int:
    made, immediate = deliver(payload, recipient_ids)
    if immediate:
        send_immediate_task.enqueue(immediate)
    return len(made)


@task()
def fanout_task(payload: dict, extra_ids: list, exclude_ids: list, space_followers: bool, actor_followers: bool) -> int:
    with transaction.atomic():
        return _deliver(payload, recipients_of(payload, extra_ids, exclude_ids, space_followers, actor_followers))


@task()
def deliver_task(payload: dict, recipient_ids: list) -> int:
    with transaction.atomic():
        return _deliver(payload, recipient_ids)


@task()
def send_immediate_task(notification_ids: list) -> int:
    return send_immediate(notification_ids)


@task()
def send_digests_task(frequency: str) -> int:
    """Scheduled daily ("daily") and weekly ("weekly"), like `manage.py send_digests`."""
    return send_digests(frequency)
