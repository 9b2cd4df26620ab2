"""Writes of the open data: the licence (the organization's administrators), a
build asked from the back-office, and the build itself (the worker's nightly
task and `manage.py build_open_data`, no actor)."""

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks import task

from agora.accounts.models import User
from agora.actionlog.services import log_action
from agora.core.files import delete_file_after_commit, public_storage
from agora.core.models import Organization
from agora.opendata import selectors, writer
from agora.opendata.models import Licence, OpenDataFile, OpenDataSettings
from agora.permissions import require


def set_licence(*, actor: User, organization: Organization, licence: str) -> OpenDataSettings:
    require(actor, "opendata.manage", organization)
    if licence not in Licence.values:
        raise ValidationError(_("Choose one of the licences offered."), code="licence")
    with transaction.atomic():
        chosen, _created = OpenDataSettings.objects.select_for_update().get_or_create(
            organization=organization, defaults={"licence": licence}
        )
        if chosen.licence != licence:
            chosen.licence = licence
            chosen.save(update_fields=["licence", "updated_at"])
        log_action(
            actor=actor, verb="opendata.licence_set", target=None, organization=organization, data={"licence": licence}
        )
    return chosen


def request_build(*, actor: User, organization: Organization) -> None:
    """Queue a build for the worker (the page shows the files once it is done)."""
    require(actor, "opendata.manage", organization)
    with transaction.atomic():
        log_action(actor=actor, verb="opendata.build_requested", target=None, organization=organization)
        build_task.enqueue(organization.pk)


def build(organization: Organization) -> list[OpenDataFile]:
    """Build the organization's zips (agora.opendata.writer) in a temporary folder, store
    them in the default storage and point the organization's files at them; the former
    files, and those of components no longer public, are deleted once this commits."""
    licence = selectors.settings_of(organization).licence
    storage = public_storage()
    stamp = timezone.now().strftime("%Y%m%d%H%M%S") + "-" + get_random_string(8).lower()
    stored: list[tuple[writer.Archive, str, int]] = []
    with tempfile.TemporaryDirectory(prefix="agora-opendata-") as folder:
        archives = writer.write_archives(organization, Path(folder), licence=licence)
        try:
            for archive in archives:
                slug = "organization" if archive.component is None else f"component-{archive.component.pk}"
                with open(archive.path, "rb") as handle:
                    name = storage.save(f"opendata/{organization.pk}/{stamp}/{slug}.zip", File(handle))
                stored.append((archive, name, storage.size(name)))
        except BaseException:
            for _archive, name, _size in stored:
                storage.delete(name)
            raise
    now = timezone.now()
    with transaction.atomic():
        kept = []
        previous = {
            file.component_id: file
            for file in OpenDataFile.objects.select_for_update().filter(organization=organization)
        }
        for archive, name, size in stored:
            component_id = archive.component.pk if archive.component is not None else None
            file = previous.pop(component_id, None) or OpenDataFile(
                organization=organization, component=archive.component
            )
            if file.name:
                delete_file_after_commit(storage, file.name)
            file.name, file.size, file.rows, file.built_at = name, size, archive.rows, now
            file.save()
            kept.append(file)
        for gone in previous.values():  # a component no longer public, or deleted
            delete_file_after_commit(storage, gone.name)
            gone.delete()
    return kept


@task()
def build_task(organization_id: int) -> None:
    """The worker's build of one organization (queued each night by `manage.py
    build_open_data`, or from the back-office); defined next to what it runs."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is not None:
        build(organization)
