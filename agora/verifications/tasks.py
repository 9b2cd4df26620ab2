"""Background tasks of verifications (django-tasks)."""

from django_tasks import task

from agora.verifications.census import run_census_import


@task()
def import_census_task(upload_id: int) -> str:
    """Check and import a census file (agora.verifications.census)."""
    return run_census_import(upload_id)
