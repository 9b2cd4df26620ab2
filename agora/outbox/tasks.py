"""The delivery task (django-tasks): send the given outbox rows."""

from django_tasks import task


@task()
def deliver_task(ids: list) -> int:
    from agora.outbox.delivery import deliver

    return deliver(ids)
