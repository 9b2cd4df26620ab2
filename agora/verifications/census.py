"""The census: uploading a file that replaces the census or adds to it.

1. `census_uploads.upload_census` (the request): the columns are checked at
   once, the file waits in private storage and a `CensusUpload` row records it. The form's
   token makes the same form sent twice one upload. Adding starts at once;
   replacing waits for the officer's confirmation (`confirm_census_upload`),
   which shows how many people the census holds and how many lines the file
   has.
2. `run_census_import` (a django-tasks background task): every line is
   checked, the progress written on the row as it goes (the page polls it);
   a file with a wrong line changes nothing and lists the lines to correct;
   otherwise the census is replaced or completed in one transaction. The file
   is deleted in either case. Only a salted fingerprint of the names and date
   of birth is kept, with what eligibility needs.

A status moves forward by conditional updates (waiting → queued → checking →
writing → done), so a second confirmation or a task run twice does nothing.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.actionlog.services import log_action
from agora.core.csvfiles import CsvImportError, open_reader
from agora.core.files import delete_file_after_commit
from agora.permissions import require
from agora.taxonomy.models import Scope
from agora.verifications.identity import person_key, salt_of
from agora.verifications.models import CensusEntry, CensusUpload, EnabledMethod, OrganizationSalt

CENSUS_FIELDS = ("last_name", "first_name", "birth_date", "postal_code", "district")
REQUIRED_CENSUS_FIELDS = ("last_name", "first_name", "birth_date")
PROGRESS_EVERY = 500  # lines between two progress writes
MAX_LISTED_ERRORS = 500


class CensusImportError(CsvImportError):
    """The census file was refused; `errors` lists (line number, reason)."""


def census_columns(organization) -> dict:
    enabled = EnabledMethod.objects.filter(organization=organization, method="census").first()
    columns = {name: name for name in CENSUS_FIELDS}
    columns.update({k: v for k, v in ((enabled.options if enabled else {}).get("columns") or {}).items() if v})
    return columns


def parse_date(text: str):
    text = (text or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _census_rows(data, columns):
    reader, header = open_reader(data, CensusImportError)
    wanted = {columns[name].lower(): name for name in CENSUS_FIELDS}
    missing = [columns[name] for name in REQUIRED_CENSUS_FIELDS if columns[name].lower() not in header]
    if missing:
        raise CensusImportError([(1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})])
    reader.fieldnames = [wanted.get(name, f"_ignored_{position}") for position, name in enumerate(header)]
    for row in reader:
        yield (
            reader.line_num,
            {key: (value or "").strip() for key, value in row.items() if key and not key.startswith("_ignored_")},
        )


def read_census(organization, data, *, progress=None) -> list[CensusEntry]:
    """The entries of a census file, every line checked; raises
    CensusImportError with every line to correct. `progress(lines)` is told
    how far it got every PROGRESS_EVERY lines."""
    columns = census_columns(organization)
    salt = salt_of(organization)
    scopes = dict(Scope.objects.filter(organization=organization).values_list("code", "pk"))
    errors: list = []
    entries: list = []
    seen: dict = {}
    count = 0
    for line, row in _census_rows(data, columns):
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
        if not any(row.values()):
            continue
        problems = []
        if not row.get("last_name"):
            problems.append(_("the last name is empty"))
        if not row.get("first_name"):
            problems.append(_("the first name is empty"))
        birth_date = parse_date(row.get("birth_date", ""))
        if birth_date is None:
            problems.append(_("the date of birth is not a date (YYYY-MM-DD or DD/MM/YYYY)"))
        postal_code = row.get("postal_code", "").replace(" ", "")
        if len(postal_code) > 10:
            problems.append(_("the postal code is longer than 10 characters"))
        district = row.get("district", "")
        if district and district not in scopes:
            problems.append(_("unknown district code “%(code)s” (create the scope first)") % {"code": district})
        if not problems:
            key = person_key(
                organization, last_name=row["last_name"], first_name=row["first_name"], birth_date=birth_date, salt=salt
            )
            if key in seen:
                problems.append(_("the same person is already on line %(line)s") % {"line": seen[key]})
            else:
                seen[key] = line
                entries.append(
                    CensusEntry(
                        organization=organization,
                        key=key,
                        birth_date=birth_date,
                        postal_code=postal_code,
                        scope_id=scopes.get(district),
                    )
                )
        if problems:
            errors.append((line, "; ".join(problems)))
    if progress is not None:
        progress(count)
    if not entries and not errors:
        errors.append((1, _("The file has no row.")))
    if errors:
        raise CensusImportError(errors)
    return entries


def write_census(*, actor, organization, entries, mode, upload=None) -> tuple[int, int]:
    """Replace the census with `entries`, or add them (people already in it
    get the file's date of birth, postal code and district). One transaction;
    census writes of an organization queue behind each other. Returns
    (people before, people added)."""
    with transaction.atomic():
        OrganizationSalt.objects.select_for_update().filter(organization=organization).first()
        census = CensusEntry.objects.filter(organization=organization)
        before = census.count()
        if mode == CensusUpload.Mode.REPLACE:
            census.delete()
            CensusEntry.objects.bulk_create(entries, batch_size=2000)
            added = len(entries)
        else:
            CensusEntry.objects.bulk_create(
                entries,
                batch_size=2000,
                update_conflicts=True,
                unique_fields=["organization", "key"],
                update_fields=["birth_date", "postal_code", "scope"],
            )
            added = census.count() - before
        if upload is None:
            upload = CensusUpload.objects.create(
                organization=organization,
                uploaded_by=actor,
                mode=mode,
                status=CensusUpload.Status.DONE,
                lines=len(entries),
                processed=len(entries),
                finished_at=timezone.now(),
            )
        CensusUpload.objects.filter(pk=upload.pk).update(
            status=CensusUpload.Status.DONE,
            rows=len(entries),
            added=added,
            census_before=before,
            finished_at=timezone.now(),
        )
        verb = "verification.census_imported" if mode == CensusUpload.Mode.REPLACE else "verification.census_added"
        log_action(
            actor=actor,
            verb=verb,
            target=upload,
            organization=organization,
            data={"rows": len(entries), "added": added, "before": before, "mode": mode},
        )
    return before, added


def import_census_csv(*, actor, organization, data: bytes | str, mode=CensusUpload.Mode.REPLACE) -> int:
    """At once, without a background task (commands, tests): the number of
    people imported."""
    require(actor, "verifications.manage", organization)
    entries = read_census(organization, data)
    write_census(actor=actor, organization=organization, entries=entries, mode=mode)
    return len(entries)


# --- the background import (the uploads that start it: census_uploads.py) ---------------------


def run_census_import(upload_id: int) -> str:
    """The background task's work. Returns the final status."""
    claimed = CensusUpload.objects.filter(pk=upload_id, status=CensusUpload.Status.QUEUED).update(
        status=CensusUpload.Status.CHECKING, processed=0
    )
    upload = CensusUpload.objects.select_related("organization", "uploaded_by").filter(pk=upload_id).first()
    if not claimed or upload is None:
        return upload.status if upload else "missing"  # another run has it, or it was cancelled
    organization = upload.organization
    try:
        with upload.file.open("rb") as stored:
            data = stored.read()
    except (OSError, ValueError):
        return _fail(upload, [(0, _("The file could not be read back: upload it again."))])

    def progress(lines):
        CensusUpload.objects.filter(pk=upload.pk).update(processed=min(lines, upload.lines))

    try:
        entries = read_census(organization, data, progress=progress)
    except CensusImportError as error:
        return _fail(upload, error.errors)
    CensusUpload.objects.filter(pk=upload.pk).update(status=CensusUpload.Status.WRITING)
    with transaction.atomic():
        write_census(
            actor=upload.uploaded_by, organization=organization, entries=entries, mode=upload.mode, upload=upload
        )
        CensusUpload.objects.filter(pk=upload.pk).update(file="", processed=upload.lines)
        delete_file_after_commit(upload.file)
    return CensusUpload.Status.DONE


def _fail(upload, errors) -> str:
    with transaction.atomic():
        CensusUpload.objects.filter(pk=upload.pk).update(
            status=CensusUpload.Status.FAILED,
            finished_at=timezone.now(),
            file="",
            errors=[[line, str(reason)] for line, reason in list(errors)[:MAX_LISTED_ERRORS]],
        )
        if upload.file:
            delete_file_after_commit(upload.file)
    return CensusUpload.Status.FAILED
