"""Uploading a census file (the request side of agora.verifications.census):
the columns are checked at once, the file waits in private storage and a
`CensusUpload` row records it. Adding starts the background import at once;
replacing waits for the officer's confirmation. The import itself
(`census.run_census_import`, run by `tasks.import_census_task`) is in
census.py, which this module, not the task's, imports."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.core.csvfiles import open_reader
from agora.core.files import delete_file_after_commit
from agora.permissions import require
from agora.verifications.census import REQUIRED_CENSUS_FIELDS, CensusImportError, census_columns
from agora.verifications.models import CensusEntry, CensusUpload
from agora.verifications.tasks import import_census_task

STALE_AFTER = timedelta(hours=1)  # a replacement nobody confirmed is dropped (and its file deleted)


def _count_lines(data: bytes) -> int:
    """Lines of people in the file (the header and empty lines aside), for the progress bar."""
    return max(0, sum(1 for line in data.splitlines() if line.strip()) - 1)


def upload_census(*, actor, organization, file, mode: str, token: str) -> CensusUpload:
    """Keep the file and start (adding) or ask to confirm (replacing). The
    same token twice returns the first upload and does nothing else."""
    require(actor, "verifications.manage", organization)
    if mode not in CensusUpload.Mode.values:
        raise ValidationError(_("Choose whether the file replaces the census or adds to it."), code="mode")
    token = (token or "").strip()[:64]
    if token:
        existing = CensusUpload.objects.filter(organization=organization, token=token).first()
        if existing is not None:
            return existing
    data = file.read()
    # The columns at once: the officer fixes the settings or the file without waiting.
    try:
        reader, header = open_reader(data, CensusImportError)
    except CensusImportError as error:
        raise ValidationError([reason for _line, reason in error.errors], code="file")
    columns = census_columns(organization)
    missing = [columns[name] for name in REQUIRED_CENSUS_FIELDS if columns[name].lower() not in header]
    if missing:
        raise ValidationError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}, code="columns")
    lines = _count_lines(data if isinstance(data, bytes) else data.encode())
    if lines == 0:
        raise ValidationError(_("The file has no row."), code="empty")
    file.seek(0)
    try:
        with transaction.atomic():
            upload = CensusUpload(
                organization=organization,
                uploaded_by=actor,
                mode=mode,
                token=token,
                status=CensusUpload.Status.WAITING,
                lines=lines,
                census_before=CensusEntry.objects.filter(organization=organization).count(),
            )
            upload.file.save("census.csv", file, save=False)
            upload.save()
            if mode == CensusUpload.Mode.ADD:
                _queue(upload)
    except IntegrityError:
        # The same form, sent twice at the same moment: the first one won.
        if upload.file:
            delete_file_after_commit(upload.file)
        return CensusUpload.objects.get(organization=organization, token=token)
    return upload


def _queue(upload) -> bool:
    """waiting → queued, and the task enqueued in the same transaction: only once."""
    moved = CensusUpload.objects.filter(pk=upload.pk, status=CensusUpload.Status.WAITING).update(
        status=CensusUpload.Status.QUEUED
    )
    if moved:
        import_census_task.enqueue(upload.pk)
    return bool(moved)


def confirm_census_upload(*, actor, upload) -> bool:
    """The officer confirms a replacement. A second confirmation does nothing."""
    require(actor, "verifications.manage", upload.organization)
    with transaction.atomic():
        return _queue(upload)


def cancel_census_upload(*, actor, upload) -> bool:
    require(actor, "verifications.manage", upload.organization)
    with transaction.atomic():
        moved = CensusUpload.objects.filter(pk=upload.pk, status=CensusUpload.Status.WAITING).update(
            status=CensusUpload.Status.CANCELLED, finished_at=timezone.now(), file=""
        )
        if moved and upload.file:
            delete_file_after_commit(upload.file)
    return bool(moved)


def drop_stale_uploads(organization) -> int:
    """Replacements nobody confirmed within STALE_AFTER: cancelled, their file deleted."""
    dropped = 0
    stale = CensusUpload.objects.filter(
        organization=organization, status=CensusUpload.Status.WAITING, created_at__lt=timezone.now() - STALE_AFTER
    )
    for upload in stale:
        with transaction.atomic():
            if CensusUpload.objects.filter(pk=upload.pk, status=CensusUpload.Status.WAITING).update(
                status=CensusUpload.Status.CANCELLED, finished_at=timezone.now(), file=""
            ):
                if upload.file:
                    delete_file_after_commit(upload.file)
                dropped += 1
    return dropped
