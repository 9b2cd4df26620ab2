"""Background tasks of notifications (django-tasks): fan-out and mail.

The immediate backend runs them inline (tests, demo); in production the
database backend stores them in the caller's transaction, so a rolled-back
action never notifies anyone."""

import logging

from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def fanout_task(payload: dict, extra_ids: list, exclude_ids: list, space_followers: bool,
                actor_followers: bool) -> int:
    from agora.notifications.delivery import deliver, recipients_of

    with transaction.atomic():
        recipient_ids = recipients_of(payload, extra_ids, exclude_ids, space_followers, actor_followers)
        return len(deliver(payload, recipient_ids))


@task()
def deliver_task(payload: dict, recipient_ids: list) -> int:
    from agora.notifications.delivery import deliver

    with transaction.atomic():
        return len(deliver(payload, recipient_ids))


@task()
def send_immediate_task(notification_ids: list) -> int:
    from agora.notifications.emails import send_immediate

    return send_immediate(notification_ids)


@task()
def send_digests_task(frequency: str) -> int:
    """Scheduled daily ("daily") and weekly ("weekly"), like `manage.py send_digests`."""
    from agora.notifications.emails import send_digests

    return send_digests(frequency)
