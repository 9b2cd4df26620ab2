"""Every write of moderation: reports, hiding, unhiding, blocking, settings.
Each checks permission, runs in one transaction and writes the action log."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import visitor
from agora.accounts.models import Membership, User
from agora.actionlog.services import Notice, log_action, trace
from agora.core.models import Organization
from agora.moderation.limits import check_posting_rate
from agora.moderation.models import Moderation, ModerationSettings, Report
from agora.moderation.registry import ReportableAdapter, adapter_for, adapter_of
from agora.outbox.services import email_person, new_key
from agora.permissions import require
from agora.spaces.models import Role

MESSAGE_MAX_LENGTH = 2000


def _snapshot(obj: Model) -> dict:
    adapter = adapter_of(obj)
    author = adapter.author(obj)
    return {
        "organization": adapter.organization(obj),
        "space": adapter.space(obj),
        "author": author if author is not None and author.pk else None,
        "excerpt": str(adapter.excerpt(obj) or "")[:1000],
        "url": str(adapter.url(obj) or "")[:500],
    }


def _locked_row(obj: Model) -> Moderation:
    """The content's moderation row, created when missing, locked for the
    rest of the transaction (concurrent reports queue behind it)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    snapshot = _snapshot(obj)
    moderation, created = Moderation.objects.get_or_create(
        content_type=content_type, object_id=obj.pk, defaults=snapshot
    )
    moderation = Moderation.objects.select_for_update().get(pk=moderation.pk)
    if not created:  # keep what moderators read current
        for name in ("excerpt", "url", "author"):
            setattr(moderation, name, snapshot[name])
    return moderation


def _content(moderation: Moderation, **data: Any) -> dict:
    """The data of a moderation's log row: the moderated content, and `data`."""
    return {
        "content_type": f"{moderation.content_type.app_label}.{moderation.content_type.model}",
        "object_id": moderation.object_id,
        **data,
    }


def _hidden_changed(moderation: Moderation, hidden: bool) -> None:
    """Tell the content's adapter (ReportableAdapter.hidden_changed) what moderation decided."""
    model = moderation.content_type.model_class()
    adapter = adapter_for(model) if model is not None else None
    if adapter is None or type(adapter).hidden_changed is ReportableAdapter.hidden_changed:
        return
    content = model._default_manager.filter(pk=moderation.object_id).first()  # type: ignore[union-attr]
    if content is not None:
        adapter.hidden_changed(content, hidden)


def moderators_of(moderation: Moderation) -> list[User]:
    """Who hears about new reports: the space's moderators and admins, or the
    organization's admins when the content has no space or the space has none."""
    people = User.objects.none()
    if moderation.space_id is not None:
        people = User.objects.filter(
            roles__space_id=moderation.space_id, roles__name__in=[Role.Name.MODERATOR, Role.Name.SPACE_ADMIN]
        )
    if not people.exists():
        people = User.objects.filter(
            roles__organization_id=moderation.organization_id, roles__name=Role.Name.ORGANIZATION_ADMIN
        )
    return list(people.filter(is_active=True, deleted_at__isnull=True).distinct())


def _moderators_notice(moderation: Moderation, report: Report) -> Notice:
    """The moderators hear of a report (in-site + e-mail as each chose)."""
    return Notice(
        "moderation.new_report",
        to=moderators_of(moderation),
        url=reverse("moderation_admin:item", kwargs={"moderation_id": moderation.pk}),
        data={"reason": str(report.get_reason_display()), "excerpt": moderation.excerpt[:120]},
    )


def _author_notices(moderation: Moderation, event: str, actor: User | None = None) -> list[Notice]:
    """Tell the author what happened to their contribution (in-site and by e-mail,
    whatever their preferences: a decision about one's own words is never muted).
    Nothing when the content has no author, or when authors hid their own words.
    The moderator is not named: the decision is the organization's."""
    author = moderation.author
    if author is None or (actor is not None and actor.pk == author.pk):
        return []
    return [
        Notice(
            event, to=[author], actor=None, target=None, url=moderation.url, data={"excerpt": moderation.excerpt[:120]}
        )
    ]


@transaction.atomic
def report_content(*, actor: User, obj: Model, reason: str, details: str = "") -> Report:
    """A participant reports a piece of content (once). Content is hidden
    automatically when its reports since the last moderator decision reach
    the organization's threshold."""
    require(actor, "moderation.report", obj)
    if reason not in Report.Reason.values:
        raise ValidationError(_("Choose a reason."), code="reason")
    details = (details or "").strip()
    if len(details) > 1000:
        raise ValidationError(_("Write at most 1,000 characters."), code="details")
    check_posting_rate(actor, "report")
    moderation = _locked_row(obj)
    try:
        with transaction.atomic():
            report = Report.objects.create(moderation=moderation, reporter=actor, reason=reason, details=details)
    except IntegrityError:
        raise ValidationError(_("You have already reported this content."), code="already_reported") from None
    moderation.report_count += 1
    moderation.pending_count += 1
    threshold = (
        ModerationSettings.objects.filter(organization=moderation.organization)
        .values_list("hide_after_reports", flat=True)
        .first()
    )
    if threshold is None:
        threshold = ModerationSettings._meta.get_field("hide_after_reports").default
    hide_now = bool(threshold) and not moderation.is_hidden and moderation.pending_count >= threshold
    if hide_now:
        moderation.hidden_at = timezone.now()
        moderation.hidden_by = Moderation.HiddenBy.REPORTS
    moderation.save()
    trace(
        actor,
        "moderation.reported",
        moderation,
        organization=moderation.organization,
        space=moderation.space,
        data=_content(moderation, reason=reason),
        notify=[_moderators_notice(moderation, report)],
    )
    if hide_now:
        _hidden_changed(moderation, True)
        trace(
            None,
            "moderation.hidden_automatically",
            moderation,
            organization=moderation.organization,
            space=moderation.space,
            data=_content(moderation, reports=moderation.pending_count),
            notify=_author_notices(moderation, "moderation.content_hidden_by_reports"),
        )
    return report


@transaction.atomic
def hide(*, actor: User, moderation: Moderation) -> Moderation:
    require(actor, "moderation.decide", moderation)
    moderation = Moderation.objects.select_for_update().get(pk=moderation.pk)
    if moderation.is_hidden:
        raise ValidationError(_("This content is already hidden."), code="already_hidden")
    now = timezone.now()
    moderation.hidden_at = now
    moderation.hidden_by = Moderation.HiddenBy.MODERATOR
    moderation.reviewed_at, moderation.reviewed_by = now, actor
    moderation.pending_count = 0
    moderation.save()
    _hidden_changed(moderation, True)
    trace(
        actor,
        "moderation.hidden",
        moderation,
        organization=moderation.organization,
        space=moderation.space,
        data=_content(moderation),
        notify=_author_notices(moderation, "moderation.content_hidden", actor),
    )
    return moderation


@transaction.atomic
def hide_content(*, actor: User, obj: Model) -> Moderation:
    """A moderator hides content nobody reported (from the content's page)."""
    if adapter_for(obj) is None:
        raise ValidationError(_("This content cannot be moderated."))
    require(actor, "moderation.decide", Moderation(**_snapshot(obj)))
    moderation = _locked_row(obj)
    moderation.save()
    return hide(actor=actor, moderation=moderation)


@transaction.atomic
def unhide(*, actor: User, moderation: Moderation) -> Moderation:
    """The moderator's decision that the content may stay: shows hidden
    content again, or dismisses the reports of visible content. Reports
    after this decision count again towards automatic hiding."""
    require(actor, "moderation.decide", moderation)
    moderation = Moderation.objects.select_for_update().get(pk=moderation.pk)
    was_hidden = moderation.is_hidden
    if not was_hidden and not moderation.pending_count:
        raise ValidationError(_("This content is visible and has no report waiting."), code="nothing_to_do")
    moderation.hidden_at = None
    moderation.hidden_by = ""
    moderation.pending_count = 0
    moderation.reviewed_at, moderation.reviewed_by = timezone.now(), actor
    moderation.save()
    if was_hidden:
        _hidden_changed(moderation, False)
    trace(
        actor,
        "moderation.unhidden" if was_hidden else "moderation.reports_dismissed",
        moderation,
        organization=moderation.organization,
        space=moderation.space,
        data=_content(moderation),
        notify=_author_notices(moderation, "moderation.content_restored", actor) if was_hidden else (),
    )
    return moderation


def _email(membership: Membership, name: str, context: dict) -> None:
    """The e-mail telling the person of a block or unblock (plain text: what
    the moderator wrote goes through the templates' mail_text filter)."""
    email_person(
        key=new_key(f"moderation.{name}"),
        kind=f"moderation.{name}",
        organization=membership.organization,
        person=membership.user,
        subject_template=f"moderation/email/{name}_subject.txt",
        text_template=f"moderation/email/{name}_message.txt",
        context=context,
    )


def _membership_locked(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("user", "organization").get(pk=membership.pk)


@transaction.atomic
def block_participant(*, actor: User, membership: Membership, message: str) -> Membership:
    """Block a participant of the organization: the `participate` rule
    refuses them from now on. `message` (required) is e-mailed to them."""
    require(actor, "moderation.block", membership)
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Write the message the person will receive."), code="message")
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError(_("Write at most 2,000 characters."), code="message")
    membership = _membership_locked(membership)
    if membership.blocked_at:
        raise ValidationError(_("This person is already blocked."), code="already_blocked")
    membership.blocked_at = timezone.now()
    membership.save(update_fields=["blocked_at"])
    membership.user.__dict__.pop("_agora_terms", None)
    visitor.forget(membership.user)
    log_action(
        actor=actor,
        verb="moderation.participant_blocked",
        target=membership.user,
        organization=membership.organization,
        data={"message": message},
    )
    _email(membership, "blocked", {"message": message})  # an outbox row of this transaction
    return membership


@transaction.atomic
def unblock_participant(*, actor: User, membership: Membership) -> Membership:
    require(actor, "moderation.block", membership)
    membership = _membership_locked(membership)
    if not membership.blocked_at:
        raise ValidationError(_("This person is not blocked."), code="not_blocked")
    membership.blocked_at = None
    membership.save(update_fields=["blocked_at"])
    membership.user.__dict__.pop("_agora_terms", None)
    visitor.forget(membership.user)
    log_action(
        actor=actor,
        verb="moderation.participant_unblocked",
        target=membership.user,
        organization=membership.organization,
    )
    _email(membership, "unblocked", {})
    return membership


@transaction.atomic
def update_settings(*, actor: User, organization: Organization, hide_after_reports: int) -> ModerationSettings:
    require(actor, "moderation.organization", organization)
    if hide_after_reports is None or int(hide_after_reports) < 0 or int(hide_after_reports) > 1000:
        raise ValidationError(_("Enter a number between 0 and 1,000."), code="hide_after_reports")
    found, _created = ModerationSettings.objects.select_for_update().get_or_create(organization=organization)
    previous = found.hide_after_reports
    found.hide_after_reports = int(hide_after_reports)
    found.save()
    log_action(
        actor=actor,
        verb="moderation.settings_updated",
        target=found,
        organization=organization,
        data={"hide_after_reports": [previous, found.hide_after_reports]},
    )
    return found
