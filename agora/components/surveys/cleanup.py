"""Old files of every answer (Export rows written by surveys.tasks.build_export)
are removed after AGORA_SURVEY_EXPORT_DAYS days: they hold every answer of a
survey, and a file downloaded long ago has no reason to stay in the private
storage. Run by the worker after each export (surveys.tasks.remove_old_exports)
and by `manage.py remove_old_survey_exports` (a daily cron job)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agora.components.surveys.models import Export
from agora.core.files import delete_file_after_commit


def export_days() -> int:
    return max(1, settings.AGORA_SURVEY_EXPORT_DAYS)


def remove_old_exports(*, days: int | None = None) -> int:
    """Delete the exports requested more than `days` days ago (their rows, and
    their files once that commits); returns how many. Safe to run twice or
    from two servers at once (rows are locked, skipped when another run holds them)."""
    cutoff = timezone.now() - timedelta(days=days if days is not None else export_days())
    with transaction.atomic():
        old = list(Export.objects.select_for_update(skip_locked=True).filter(created_at__lt=cutoff))
        for export in old:
            delete_file_after_commit(export.file)
        Export.objects.filter(pk__in=[export.pk for export in old]).delete()
    return len(old)
