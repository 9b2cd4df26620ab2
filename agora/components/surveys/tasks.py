"""Exports of every answer written in the background worker (django-tasks),
with their progress: the file is written to a temporary file by chunks of
responses, then stored in the private storage."""

import logging
import os
import secrets
import tempfile

from django.core.files import File
from django.utils import timezone
from django_tasks import task

from agora.components.surveys import cleanup, exports
from agora.components.surveys.models import Export, Response
from agora.core.files import private_storage
from agora.outbox.services import email_person
from agora.questionnaires import selectors as questionnaire_selectors

logger = logging.getLogger(__name__)


@task()
def build_export(export_id: int) -> str:
    export = Export.objects.select_related("survey__questionnaire").filter(pk=export_id).first()
    if export is None or export.state != Export.State.PENDING:
        return "nothing to do"
    survey = export.survey
    total = Response.objects.filter(survey=survey).count()
    Export.objects.filter(pk=export_id).update(state=Export.State.RUNNING, rows_total=total)

    def progress(done):
        Export.objects.filter(pk=export_id).update(rows_done=done)

    questions = questionnaire_selectors.questions_of(survey.questionnaire)
    extension = f".{export.export_format}"
    folder = tempfile.mkdtemp(prefix="agora-survey-export-")
    path = os.path.join(folder, f"answers{extension}")
    try:
        if export.export_format == "xlsx":
            exports.xlsx_file(survey, questions, path, progress)
        else:
            chunks = (exports.csv_lines if export.export_format == "csv" else exports.json_chunks)(
                survey, questions, progress
            )
            with open(path, "w", encoding="utf-8", newline="") as text:
                for chunk in chunks:
                    text.write(chunk)
        with open(path, "rb") as handle:
            name = private_storage().save(f"surveys/exports/{secrets.token_hex(16)}{extension}", File(handle))
    except Exception:
        logger.exception("The export %s of survey %s failed", export_id, survey.pk)
        Export.objects.filter(pk=export_id).update(state=Export.State.FAILED, finished_at=timezone.now())
        return "failed"
    finally:
        if os.path.exists(path):
            os.remove(path)
        os.rmdir(folder)
    Export.objects.filter(pk=export_id).update(
        state=Export.State.DONE, file=name, rows_done=total, finished_at=timezone.now()
    )
    remove_old_exports.enqueue()
    return name


@task()
def remove_old_exports() -> int:
    """The exports older than AGORA_SURVEY_EXPORT_DAYS, queued after each export."""
    return cleanup.remove_old_exports()


@task()
def send_confirmation(response_id: int, *, changed: bool, reading: str, key: str) -> bool:
    """The confirmation e-mail of a response (or of a change of it), written
    by the worker into the outbox (agora.outbox): the respondent's request
    only queues this task, one row of its transaction, instead of rendering
    the e-mail and writing the outbox's row with its look-up and savepoints.
    `key` was drawn by the request: the task run twice writes one e-mail.
    Nothing when the response or its account is gone meanwhile."""
    response = (
        Response.objects.select_related("survey__component__space__organization", "respondent")
        .filter(pk=response_id, respondent__isnull=False)
        .first()
    )
    if response is None or response.respondent is None:
        return False
    component = response.survey.component
    organization = component.space.organization
    email_person(
        key=key,
        kind="surveys.confirmation",
        organization=organization,
        person=response.respondent,
        subject_template="surveys/email/confirmation_subject.txt",
        text_template="surveys/email/confirmation.txt",
        reading=reading,
        context={
            "survey": response.survey,
            "component": component,
            "changed": changed,
            "space": component.space,
            "editable": component.settings_of().editable,
            "url": organization.base_url + component.get_absolute_url(),
        },
    )
    return True
