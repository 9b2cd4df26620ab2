"""The meetings' rounds in the background worker (django-tasks): the
reminder the day before and the organizers' reminder to write the minutes.
`manage.py meetings_round` (cron, every quarter of an hour) queues them;
each reminder is claimed by a conditional UPDATE, so a round run twice, or by
two workers at once, sends nothing twice."""

from django_tasks import task

from agora.components.meetings import services


@task()
def reminders_round() -> int:
    return services.send_reminders()


@task()
def closing_round() -> int:
    return services.remind_organizers()
