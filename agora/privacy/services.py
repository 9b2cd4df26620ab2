"""Writes of a person's own data: "download my data" (asked by the person,
prepared by the worker, announced by e-mail, removed after 7 days), an
organization's retention choices, and the daily tick that applies them
(inactive accounts warned then deleted, verification records trimmed)."""

import logging
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks import task

from agora.accounts.models import Membership, User
from agora.accounts.services import delete_account
from agora.actionlog.services import log_action
from agora.core.files import delete_file_after_commit, private_storage
from agora.core.models import Organization
from agora.outbox.services import email_person
from agora.permissions import require
from agora.privacy import personal_data
from agora.privacy.models import InactivityWarning, PersonalDataExport, PrivacySettings
from agora.spaces.models import Role
from agora.verifications.models import Verification

logger = logging.getLogger(__name__)

KEPT_FOR = timedelta(days=7)  # a prepared zip may be downloaded this long
ASK_AGAIN_AFTER = timedelta(hours=24)  # one zip a day is enough
WARNINGS = (30, 7)  # days before the deletion of an inactive account
MIN_INACTIVE_DAYS = 60


# --- download my data ----------------------------------------------------------


def request_personal_data(*, actor: User, organization: Organization) -> PersonalDataExport:
    """The person asks for their data: the worker prepares the zip and e-mails them."""
    require(actor, "account.edit", actor)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one request at a time per person
        latest = PersonalDataExport.objects.filter(user=actor).first()
        if latest is not None and latest.status == PersonalDataExport.Status.PENDING:
            raise ValidationError(_("Your data is already being prepared: you will receive an e-mail."))
        if (
            latest is not None
            and latest.status == PersonalDataExport.Status.READY
            and latest.requested_at > timezone.now() - ASK_AGAIN_AFTER
        ):
            raise ValidationError(_("Your data was prepared less than a day ago: download it below."))
        export = PersonalDataExport.objects.create(user=actor, organization=organization)
        log_action(actor=actor, verb="privacy.data_requested", target=None, organization=organization)
        prepare_task.enqueue(export.pk)
    return export


def prepare(export: PersonalDataExport) -> PersonalDataExport:
    """Write the zip (agora.privacy.personal_data), store it privately and e-mail the person."""
    person, organization = export.user, export.organization
    storage = private_storage()
    language = organization.language_for(person)
    with tempfile.TemporaryDirectory(prefix="agora-personal-data-") as folder:
        path = Path(folder) / "data.zip"
        personal_data.write_zip(person, path, language=language)
        with open(path, "rb") as handle:
            name = storage.save(f"personal-data/{get_random_string(32).lower()}.zip", File(handle))
    with transaction.atomic():
        locked = PersonalDataExport.objects.select_for_update().get(pk=export.pk)
        if locked.status != PersonalDataExport.Status.PENDING:  # prepared twice (a task run again): keep the first
            delete_file_after_commit(storage, name)
            return locked
        now = timezone.now()
        locked.name, locked.size = name, storage.size(name)
        locked.status, locked.ready_at, locked.expires_at = PersonalDataExport.Status.READY, now, now + KEPT_FOR
        locked.save()
        email_person(
            key=f"privacy.data_ready:{locked.pk}",
            kind="privacy.data_ready",
            organization=organization,
            person=person,
            subject_template="privacy/email/data_ready_subject.txt",
            text_template="privacy/email/data_ready.txt",
            context={"url": organization.base_url + reverse("privacy:my_data"), "expires_at": locked.expires_at},
        )
    return locked


@task()
def prepare_task(export_id: int) -> None:
    """The worker's part of "download my data" (queued by `request_personal_data`)."""
    export = (
        PersonalDataExport.objects.select_related("user", "organization")
        .filter(pk=export_id, status=PersonalDataExport.Status.PENDING)
        .first()
    )
    if export is None:
        return
    try:
        prepare(export)
    except Exception:
        logger.exception("personal data export %s failed", export_id)
        PersonalDataExport.objects.filter(pk=export_id, status=PersonalDataExport.Status.PENDING).update(
            status=PersonalDataExport.Status.FAILED
        )
        raise


def mark_downloaded(export: PersonalDataExport) -> None:
    PersonalDataExport.objects.filter(pk=export.pk, downloaded_at__isnull=True).update(downloaded_at=timezone.now())


def remove_expired(now: datetime | None = None) -> int:
    """Delete the zips past their 7 days (and those whose preparation failed)."""
    now = now or timezone.now()
    storage = private_storage()
    count = 0
    expired = PersonalDataExport.objects.filter(
        Q(status=PersonalDataExport.Status.READY, expires_at__lte=now)
        | Q(status=PersonalDataExport.Status.FAILED, requested_at__lte=now - KEPT_FOR)
    )
    for export in expired:
        with transaction.atomic():
            if export.name:
                delete_file_after_commit(storage, export.name)
            PersonalDataExport.objects.filter(pk=export.pk).update(status=PersonalDataExport.Status.REMOVED, name="")
            count += 1
    return count


# --- an organization's choices ---------------------------------------------------


def save_settings(
    *, actor: User, organization: Organization, inactive_days: int, verification_retention_days: int
) -> PrivacySettings:
    require(actor, "privacy.manage", organization)
    if inactive_days and inactive_days < MIN_INACTIVE_DAYS:
        raise ValidationError(
            {"inactive_days": _("Enter 0 (never) or at least %(days)s days.") % {"days": MIN_INACTIVE_DAYS}}
        )
    with transaction.atomic():
        chosen, _created = PrivacySettings.objects.select_for_update().get_or_create(organization=organization)
        chosen.inactive_days, chosen.verification_retention_days = inactive_days, verification_retention_days
        chosen.save()
        log_action(
            actor=actor,
            verb="privacy.settings_saved",
            target=None,
            organization=organization,
            data={"inactive_days": inactive_days, "verification_retention_days": verification_retention_days},
        )
    return chosen


# --- the daily tick ---------------------------------------------------------------


def tick(now: datetime | None = None) -> dict[str, int]:
    """What `manage.py privacy_tick` does each day: remove expired zips, warn then
    delete inactive accounts, trim old verification records."""
    now = now or timezone.now()
    done = {"exports_removed": remove_expired(now), "warned": 0, "deleted": 0, "verifications_trimmed": 0}
    for chosen in PrivacySettings.objects.select_related("organization"):
        if chosen.inactive_days:
            warned, deleted = handle_inactive_accounts(chosen.organization, chosen.inactive_days, now)
            done["warned"] += warned
            done["deleted"] += deleted
        if chosen.verification_retention_days:
            done["verifications_trimmed"] += trim_verifications(
                chosen.organization, chosen.verification_retention_days, now
            )
    return done


def handle_inactive_accounts(organization: Organization, days: int, now: datetime) -> tuple[int, int]:
    """The organization's participants who have not logged in for `days` (since they
    joined, if never) are warned 30 days, then 7 days before their account is deleted,
    each warning once for a period of inactivity (a login starts a new one); the
    deletion comes at least 30 days after the first warning and 7 after the second.
    Staff (anyone holding a role) and platform admins are left alone."""
    warned = deleted = 0
    members = (
        Membership.objects.filter(
            organization=organization, user__is_active=True, user__deleted_at__isnull=True, user__is_staff=False
        )
        .exclude(user__is_superuser=True)
        .exclude(user_id__in=Role.objects.values("user_id"))
        .annotate(last_seen=Coalesce(F("user__last_login"), F("user__date_joined")))
        .filter(last_seen__lte=now - timedelta(days=days - WARNINGS[0]))
        .select_related("user")
        .order_by("pk")
    )
    for membership in members.iterator(chunk_size=500):
        user, last_seen = membership.user, membership.last_seen
        due = last_seen + timedelta(days=days)
        sent = {
            warning.days_before: warning
            for warning in InactivityWarning.objects.filter(user=user, organization=organization, last_seen=last_seen)
        }
        first, second = sent.get(WARNINGS[0]), sent.get(WARNINGS[1])
        if first is None:
            deletion = max(due, now + timedelta(days=WARNINGS[0]))
            warned += _warn(user, organization, WARNINGS[0], last_seen, deletion, now)
            continue
        deadline = max(due, first.sent_at + timedelta(days=WARNINGS[0]))
        if second is None:
            if now >= deadline - timedelta(days=WARNINGS[1]):
                deletion = max(deadline, now + timedelta(days=WARNINGS[1]))
                warned += _warn(user, organization, WARNINGS[1], last_seen, deletion, now)
        elif now >= max(deadline, second.sent_at + timedelta(days=WARNINGS[1])):
            with transaction.atomic():
                log_action(
                    actor=None,
                    verb="privacy.inactive_account_deleted",
                    target=None,
                    organization=organization,
                    data={"days": days},
                )
                delete_account(user=user, organization=organization)
            deleted += 1
    return warned, deleted


def _warn(
    user: User, organization: Organization, days_before: int, last_seen: datetime, deletion: datetime, now: datetime
) -> int:
    with transaction.atomic():
        _warning, created = InactivityWarning.objects.get_or_create(
            user=user,
            organization=organization,
            days_before=days_before,
            last_seen=last_seen,
            defaults={"sent_at": now},
        )
        if not created:
            return 0
        email_person(
            key=f"privacy.inactive:{organization.pk}:{user.pk}:{days_before}:{last_seen.isoformat()}",
            kind="privacy.inactive_warning",
            organization=organization,
            person=user,
            subject_template="privacy/email/inactive_subject.txt",
            text_template="privacy/email/inactive.txt",
            context={"deletion": deletion, "login_url": organization.base_url + reverse("account_login")},
        )
    return 1


def trim_verifications(organization: Organization, days: int, now: datetime) -> int:
    """Verification records decided more than `days` ago lose their documents, letters
    and codes; those not granted (refused, revoked) their birth date, postal code and
    district too. The salted identity key stays (one identity, one account)."""
    limit = now - timedelta(days=days)
    decided = Verification.objects.filter(organization=organization, decided_at__lte=limit)
    kept_while_granted = Q(status=Verification.Status.ACTIVE)
    to_trim = decided.filter(
        (~Q(document="") & Q(document__isnull=False))
        | ~Q(data={})
        | (~kept_while_granted & (Q(birth_date__isnull=False) | ~Q(postal_code="") | Q(scope__isnull=False)))
    )
    count = 0
    for verification in to_trim.iterator(chunk_size=200):
        with transaction.atomic():
            if verification.document:
                delete_file_after_commit(verification.document)
            changes: dict = {"document": "", "data": {}}
            if verification.status != Verification.Status.ACTIVE:
                changes.update(birth_date=None, postal_code="", scope=None)
            Verification.objects.filter(pk=verification.pk).update(**changes)
            count += 1
    if count:
        log_action(
            actor=None,
            verb="privacy.verifications_trimmed",
            target=None,
            organization=organization,
            data={"count": count, "days": days},
        )
    return count
