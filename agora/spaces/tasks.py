"""Background tasks of the spaces (django-tasks)."""

from django_tasks import task

from agora.spaces.services import sync_active_phases


@task()
def sync_phases_task() -> int:
    """Daily: switch every process to the phase whose dates contain today."""
    return len(sync_active_phases())
