"""Every write of the proposals component: permission, transaction, limits
under row locks, counters, action log, e-mail.

Per-person limits (ideas, supports) are checked after locking the person's
ParticipantQuota row (SELECT ... FOR UPDATE): two parallel requests of the
same person queue on that row, so the second one counts what the first one
wrote. The threshold per idea is checked after locking the idea's row."""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.actionlog.services import trace
from agora.components.models import Component
from agora.components.proposals import integrations, rules, selectors
from agora.components.proposals.models import Attachment, ParticipantQuota, Proposal, Support
from agora.components.proposals.text import search_text
from agora.components.proposals.uploads import check_attachment
from agora.components.selectors import for_write
from agora.core import images
from agora.moderation.limits import check_posting_rate
from agora.outbox.services import email_person
from agora.permissions import PermissionDenied, can, deny, require
from agora.statistics import api as statistics
from agora.taxonomy.models import Category, Scope

# Files to attach: (file, title) or (file, title, picture description).
Uploads = Sequence[tuple[Any, ...]]


def _lock_quota(component: Component, user: User) -> ParticipantQuota:
    quota, _created = ParticipantQuota.objects.select_for_update().get_or_create(component=component, user=user)
    return quota


# --- fields ---------------------------------------------------------------------------------


def clean_fields(
    component: Component,
    *,
    title: str,
    body: str,
    category: Category | None = None,
    scope: Scope | None = None,
    address: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
) -> dict:
    """The idea's own fields checked against the component's settings;
    raises ValidationError({field: [messages]})."""
    errors = {}
    title, body, address = (title or "").strip(), (body or "").strip(), (address or "").strip()
    title_max = component.settings_of().title_max_length
    body_max, body_min = component.settings_of().body_max_length, component.settings_of().body_min_length
    if not title:
        errors["title"] = [_("Give your idea a title.")]
    elif len(title) > title_max:
        errors["title"] = [
            _("The title has %(count)s characters; the limit is %(limit)s.") % {"count": len(title), "limit": title_max}
        ]
    if not body:
        errors["body"] = [_("Describe your idea.")]
    elif len(body) > body_max:
        errors["body"] = [
            _("The description has %(count)s characters; the limit is %(limit)s.")
            % {"count": len(body), "limit": body_max}
        ]
    elif len(body) < body_min:
        errors["body"] = [_("The description needs at least %(limit)s characters.") % {"limit": body_min}]
    value: Any  # a category, a scope, then a coordinate
    for name, value, offered in (
        ("category", category, selectors.offered_categories),
        ("scope", scope, selectors.offered_scopes),
    ):
        mode = component.settings_of()[f"{name}_mode"]
        if mode == "off":
            value = None
        elif value is None and mode == "required":
            errors[name] = [_("Choose one of the options.")]
        elif value is not None and value.pk not in {item.pk for item in offered(component)}:
            errors[name] = [_("Choose one of the options.")]
        if name == "category":
            category = value
        else:
            scope = value
    geolocation = component.settings_of().geolocation_mode
    if geolocation == "off":
        address, latitude, longitude = "", None, None
    else:
        if (latitude is None) != (longitude is None):
            errors["latitude"] = [_("Give both the latitude and the longitude, or neither.")]
        for name, value, bound in (("latitude", latitude, 90), ("longitude", longitude, 180)):
            if value is not None and not (-bound <= Decimal(value) <= bound):
                errors[name] = [_("Enter a number between %(low)s and %(high)s.") % {"low": -bound, "high": bound}]
        if geolocation == "required" and not address:
            errors["address"] = [_("Give the address or place this idea is about.")]
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "body": body,
        "category": category,
        "scope": scope,
        "address": address,
        "latitude": latitude,
        "longitude": longitude,
    }


def clean_custom_values(component: Component, values: dict | None) -> dict:
    """Keeps only the component's custom fields; required ones must be answered."""
    values = values or {}
    cleaned, errors = {}, {}
    for field in selectors.custom_fields(component):
        value = values.get(field.key)
        if field.kind == field.Kind.CHECKBOX:
            value = bool(value)
        if value in (None, "") or (field.kind == field.Kind.CHECKBOX and field.required and not value):
            if field.required:
                errors[f"custom_{field.key}"] = [_("This field is required.")]
            continue
        if field.kind == field.Kind.CHOICE and value not in {c.get("value") for c in field.choices}:
            errors[f"custom_{field.key}"] = [_("Choose one of the options.")]
            continue
        if field.kind == field.Kind.NUMBER:
            try:
                value = float(value)
                value = int(value) if value.is_integer() else value
            except (TypeError, ValueError):
                errors[f"custom_{field.key}"] = [_("Enter a number.")]
                continue
        cleaned[field.key] = value if field.kind != field.Kind.TEXT else str(value).strip()[:2000]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _attach(proposal: Proposal, uploads: Uploads) -> None:
    """uploads: [(file, title)] or [(file, title, description)]. Checked by
    content against the settings; a picture needs its description (the text
    people who cannot see it read), is stored upright and without its
    metadata (the GPS position of a phone photo), and gets its variants."""
    component = proposal.component
    if not uploads:
        return
    if not component.settings_of().attachments_enabled:
        raise ValidationError({"attachments": [_("Attachments are not accepted here.")]})
    limit = component.settings_of().attachments_max_count
    if proposal.attachments.count() + len(uploads) > limit:
        raise ValidationError({"attachments": [_("At most %(limit)s attachments per idea.") % {"limit": limit}]})
    kinds = selectors.allowed_attachment_kinds(component)
    max_bytes = component.settings_of().attachment_max_mb * 1024 * 1024
    checked, errors = [], []
    for upload, title, *rest in uploads:
        description = (rest[0] if rest else "").strip()
        try:
            found = check_attachment(upload, allowed_kinds=kinds, max_bytes=max_bytes)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if found.kind == "image" and not description:
            errors.append(_("Describe the picture “%(name)s” for people who cannot see it.") % {"name": upload.name})
            continue
        checked.append((upload, title, description, found))
    if errors:
        raise ValidationError({"attachments": errors})
    for weight, (upload, title, description, found) in enumerate(checked, start=proposal.attachments.count()):
        stored = images.clean_image(upload) if found.kind == "image" else upload
        attachment = Attachment.objects.create(
            proposal=proposal,
            file=stored,
            title=(title or upload.name)[:200],
            kind=found.attachment_kind,
            content_type=found.content_type,
            size=stored.size,
            weight=weight,
            alt_text=description[:300],
        )
        if attachment.is_image:
            attachment.variants = images.make_variants(attachment.file.storage, attachment.file.name)
            attachment.save(update_fields=["variants"])


def _describe_pictures(proposal: Proposal, descriptions: dict[int, str] | None) -> None:
    """descriptions: {attachment id: text} for the idea's pictures; none may be empty."""
    if not descriptions:
        return
    errors = {}
    for attachment in proposal.attachments.filter(pk__in=list(descriptions), kind=Attachment.Kind.IMAGE):
        text = (descriptions.get(attachment.pk) or "").strip()[:300]
        if not text:
            errors[f"alt_{attachment.pk}"] = [_("Describe this picture for people who cannot see it.")]
        elif text != attachment.alt_text:
            attachment.alt_text = text
            attachment.save(update_fields=["alt_text"])
    if errors:
        raise ValidationError(errors)


def _remove_attachments(proposal: Proposal, ids: Iterable[int] | None) -> None:
    for attachment in proposal.attachments.filter(pk__in=list(ids or [])):
        attachment.delete()
        images.delete_image_after_commit(attachment.file.storage, attachment.file.name, attachment.variants)


def _apply(proposal: Proposal, fields: dict, custom_values: dict) -> None:
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.custom_values = custom_values
    proposal.search_text = search_text(proposal.title, proposal.body)


# --- filing ---------------------------------------------------------------------------------


@transaction.atomic
def create_draft(
    *,
    actor: User,
    component: Component,
    title: str,
    body: str,
    category: Category | None = None,
    scope: Scope | None = None,
    address: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    custom_values: dict | None = None,
    attachments: Uploads = (),
    official: bool = False,
    channel: str = Proposal.Channel.ONLINE,
) -> Proposal:
    """A draft only its author (or, for an official idea, the space's staff) sees.
    `channel`: "desk" when a desk agent files it for the person (agora.desk)."""
    if channel not in (Proposal.Channel.ONLINE, Proposal.Channel.DESK):
        raise ValidationError(_("An idea is filed online or at a desk."))
    component = for_write(component)  # whether ideas are open now, not when the page loaded
    require(actor, "proposals.create_official" if official else "proposals.create", component)
    fields = clean_fields(
        component,
        title=title,
        body=body,
        category=category,
        scope=scope,
        address=address,
        latitude=latitude,
        longitude=longitude,
    )
    custom = clean_custom_values(component, custom_values)
    proposal = Proposal(component=component, author=actor, official=official, channel=channel)
    _apply(proposal, fields, custom)
    proposal.save()
    _attach(proposal, attachments)
    trace(actor, "proposals.draft_created", proposal, component=proposal.component)
    return proposal


@transaction.atomic
def update_draft(
    *,
    actor: User,
    proposal: Proposal,
    title: str,
    body: str,
    category: Category | None = None,
    scope: Scope | None = None,
    address: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    custom_values: dict | None = None,
    attachments: Uploads = (),
    remove_attachments: Iterable[int] = (),
    picture_descriptions: dict[int, str] | None = None,
) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("component__space__organization")
        .get(pk=proposal.pk)
    )
    if not proposal.is_draft:
        raise PermissionDenied(deny(_("This idea is already published.")))
    require(actor, "proposals.edit", proposal)
    return _save_changes(actor, proposal, "proposals.draft_updated", locals())


def _save_changes(actor: User, proposal: Proposal, verb: str, given: dict[str, Any]) -> Proposal:
    component = proposal.component
    fields = clean_fields(
        component, **{k: given[k] for k in ("title", "body", "category", "scope", "address", "latitude", "longitude")}
    )
    custom = clean_custom_values(component, given["custom_values"])
    _apply(proposal, fields, custom)
    proposal.save()
    _remove_attachments(proposal, given["remove_attachments"])
    _describe_pictures(proposal, given["picture_descriptions"])
    _attach(proposal, given["attachments"])
    trace(actor, verb, proposal, component=proposal.component)
    return proposal


def _send_confirmation(proposal: Proposal, base_url: str | None) -> None:
    organization = proposal.component.space.organization
    if proposal.author is None:
        return
    link = (base_url or organization.base_url).rstrip("/") + proposal.get_absolute_url()
    email_person(
        key=f"proposals.published:{proposal.pk}",
        organization=organization,
        person=proposal.author,
        subject_template="proposals/email/published_subject.txt",
        text_template="proposals/email/published.txt",
        html_template="proposals/email/published.html",
        context={"proposal": proposal, "link": link},
    )


def publish(*, actor: User, proposal: Proposal, base_url: str | None = None) -> Proposal:
    """Publishes a draft, within the idea limit counted under the person's
    quota lock and the posting limit of ideas (PostingLimitReached), and
    e-mails the author a confirmation (an outbox row of the same transaction)."""
    with transaction.atomic():
        stored = Proposal.objects.select_related("component__space__organization").get(pk=proposal.pk)
        require(actor, "proposals.publish", stored)
        component = stored.component
        if not stored.official:
            quota = _lock_quota(component, actor)
            stored = (
                Proposal.objects.select_for_update(of=("self",))
                .select_related("component__space__organization")
                .get(pk=proposal.pk)
            )
            if not stored.is_draft:
                raise PermissionDenied(deny(_("This idea is already published.")))
            count = rules.published_proposals_count(actor, component, fresh=True)
            decision = rules._proposal_limit(actor, component, count=count)
            if not decision:
                raise PermissionDenied(decision)
            quota.proposals_count = count + 1
            quota.save(update_fields=["proposals_count"])
            # The posting limit of ideas (docs/moderation.md), counted at publication, the moment an
            # idea becomes public; a refusal (PostingLimitReached) rolls this whole publication back.
            check_posting_rate(actor, "idea")
        stored.status = Proposal.Status.PUBLISHED
        stored.published_at = timezone.now()
        if not stored.reference:
            organization = component.space.organization
            stored.reference = f"{organization.reference_prefix}-IDEA-{stored.pk}"
        stored.save(update_fields=["status", "published_at", "reference", "updated_at"])
        _send_confirmation(stored, base_url)  # an outbox row of this transaction
        trace(
            actor,
            "proposals.published",
            stored,
            component=stored.component,
            visibility=ActionLog.Visibility.PUBLIC,
            notify=[integrations.new_idea_notice(stored)],
        )
        statistics.record(kind=statistics.IDEA, component=stored.component, person=actor)
    return stored


@transaction.atomic
def edit(
    *,
    actor: User,
    proposal: Proposal,
    title: str,
    body: str,
    category: Category | None = None,
    scope: Scope | None = None,
    address: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    custom_values: dict | None = None,
    attachments: Uploads = (),
    remove_attachments: Iterable[int] = (),
    picture_descriptions: dict[int, str] | None = None,
) -> Proposal:
    """Changes a published idea within the edit window and only while nobody
    supported it; the idea's row is locked so that a support cannot slip in."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("component__space__organization")
        .get(pk=proposal.pk)
    )
    if proposal.is_draft:
        raise PermissionDenied(deny(_("This idea is not published yet.")))
    require(actor, "proposals.edit", proposal)
    return _save_changes(actor, proposal, "proposals.edited", locals())


@transaction.atomic
def withdraw(*, actor: User, proposal: Proposal) -> Proposal:
    """Withdrawn ideas stay visible under their own filter; nothing is deleted."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("component__space__organization")
        .get(pk=proposal.pk)
    )
    require(actor, "proposals.withdraw", proposal)
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.withdrawn_at = timezone.now()
    proposal.save(update_fields=["status", "withdrawn_at", "updated_at"])
    if proposal.author_id:
        ParticipantQuota.objects.filter(
            component=proposal.component, user_id=proposal.author_id, proposals_count__gt=0
        ).update(proposals_count=F("proposals_count") - 1)
    trace(actor, "proposals.withdrawn", proposal, component=proposal.component, visibility=ActionLog.Visibility.PUBLIC)
    return proposal


# --- supports -------------------------------------------------------------------------------


def _recount_if_minimum(component: Component, user: User, quota: ParticipantQuota, before: int) -> None:
    """With a minimum of supports, a person's supports count only once they
    reached it: switch them all on (or off) when crossing the minimum."""
    minimum = component.settings_of().supports_minimum
    if not minimum:
        return
    after = quota.supports_count
    if before < minimum <= after:
        ids = list(
            Support.objects.filter(component=component, user=user, counted=False).values_list("proposal_id", flat=True)
        )
        Support.objects.filter(component=component, user=user, proposal_id__in=ids).update(counted=True)
        Proposal.objects.filter(pk__in=ids).update(supports_count=F("supports_count") + 1)
    elif after < minimum <= before:
        ids = list(
            Support.objects.filter(component=component, user=user, counted=True).values_list("proposal_id", flat=True)
        )
        Support.objects.filter(component=component, user=user, proposal_id__in=ids).update(counted=False)
        Proposal.objects.filter(pk__in=ids, supports_count__gt=0).update(supports_count=F("supports_count") - 1)


def support(*, actor: User, proposal: Proposal) -> Support:
    with transaction.atomic():
        proposal = Proposal.objects.select_related("component__space__organization").get(pk=proposal.pk)
        decision = rules._supports_open(actor, proposal)
        if not decision:
            raise PermissionDenied(decision)
        component = proposal.component
        quota = _lock_quota(component, actor)
        # Locked after the quota (always in this order): the threshold and the
        # edit window read a stable count.
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("component__space__organization")
            .get(pk=proposal.pk)
        )
        if Support.objects.filter(proposal=proposal, user=actor).exists():
            raise PermissionDenied(deny(_("You already support this idea.")))
        given = Support.objects.filter(component=component, user=actor).count()
        decision = rules.support_limits(actor, proposal, given=given, proposal_supports=proposal.supports_count)
        if not decision:
            raise PermissionDenied(decision)
        minimum = component.settings_of().supports_minimum
        counted = not minimum or given >= minimum
        created = Support.objects.create(proposal=proposal, component=component, user=actor, counted=counted)
        quota.supports_count = given + 1
        quota.save(update_fields=["supports_count"])
        if counted:
            Proposal.objects.filter(pk=proposal.pk).update(supports_count=F("supports_count") + 1)
        else:
            _recount_if_minimum(component, actor, quota, before=given)
        trace(actor, "proposals.supported", proposal, component=proposal.component)
        statistics.record(kind=statistics.SUPPORT, component=component, person=actor)
    return created


def unsupport(*, actor: User, proposal: Proposal) -> None:
    with transaction.atomic():
        proposal = Proposal.objects.select_related("component__space__organization").get(pk=proposal.pk)
        require(actor, "proposals.unsupport", proposal)
        component = proposal.component
        quota = _lock_quota(component, actor)
        Proposal.objects.select_for_update(of=("self",)).filter(pk=proposal.pk).first()
        existing = Support.objects.filter(proposal=proposal, user=actor).first()
        if existing is None:
            raise PermissionDenied(deny(_("You do not support this idea.")))
        given = Support.objects.filter(component=component, user=actor).count()
        was_counted = existing.counted
        existing.delete()
        quota.supports_count = given - 1
        quota.save(update_fields=["supports_count"])
        if was_counted:
            Proposal.objects.filter(pk=proposal.pk, supports_count__gt=0).update(supports_count=F("supports_count") - 1)
        if component.settings_of().supports_minimum:
            _recount_if_minimum(component, actor, quota, before=given)
        trace(actor, "proposals.unsupported", proposal, component=proposal.component)


# --- ideas staff enter for residents: paper forms, desks, meetings ---------------------------

STAFF_CHANNELS = (Proposal.Channel.PAPER, Proposal.Channel.DESK, Proposal.Channel.MEETING)
# The channel statistics count an idea in: an idea given at a meeting was given in person, as at a desk.
STATISTICS_CHANNELS: dict[str, str] = {
    Proposal.Channel.ONLINE: statistics.ONLINE,
    Proposal.Channel.PAPER: statistics.PAPER,
    Proposal.Channel.DESK: statistics.DESK,
    Proposal.Channel.MEETING: statistics.DESK,
}


def _check_entered_author(component: Component, author: User | None, author_name: str) -> tuple[User | None, str]:
    """(author, author_name) of an idea staff enter. A linked account must belong to
    someone who may take part in the organization: moderation's blocking applies to
    what staff enter in their name too."""
    author_name = " ".join((author_name or "").split())[:150]
    if author is not None:
        decision = can(author, "participate", component.space.organization)
        if not decision:
            raise ValidationError(
                {"author_email": [_("This account cannot take part here: %(reason)s") % {"reason": decision.reason}]}
            )
        return author, ""
    if not author_name:
        raise ValidationError({"author_name": [_("Give the resident's name as written on the form.")]})
    return None, author_name


def _enter(
    actor: User,
    component: Component,
    *,
    channel: str,
    author: User | None = None,
    author_name: str = "",
    title: str,
    body: str,
    category: Category | None = None,
    scope: Scope | None = None,
    address: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    custom_values: dict | None = None,
    log_data: dict | None = None,
) -> Proposal:
    if channel not in STAFF_CHANNELS:
        raise ValidationError({"channel": [_("Choose paper form, desk or meeting.")]})
    author, author_name = _check_entered_author(component, author, author_name)
    fields = clean_fields(
        component,
        title=title,
        body=body,
        category=category,
        scope=scope,
        address=address,
        latitude=latitude,
        longitude=longitude,
    )
    custom = clean_custom_values(component, custom_values)
    proposal = Proposal(
        component=component,
        author=author,
        author_name=author_name,
        channel=channel,
        status=Proposal.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    _apply(proposal, fields, custom)
    proposal.save()
    organization = component.space.organization
    proposal.reference = f"{organization.reference_prefix}-IDEA-{proposal.pk}"
    Proposal.objects.filter(pk=proposal.pk).update(reference=proposal.reference)
    trace(
        actor,
        "proposals.entered",
        proposal,
        component=proposal.component,
        data={"channel": channel, **(log_data or {})},
        notify=[integrations.new_idea_notice(proposal)],
    )
    statistics.record(
        kind=statistics.IDEA,
        component=component,
        person=author,
        channel=STATISTICS_CHANNELS[channel],
        district_id=scope.pk if scope is not None and author is None else None,
    )
    return proposal


def enter_idea(
    *,
    actor: User,
    component: Component,
    channel: str,
    author: User | None = None,
    author_name: str = "",
    title: str,
    body: str,
    category: Category | None = None,
    scope: Scope | None = None,
    address: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    custom_values: dict | None = None,
    base_url: str | None = None,
) -> Proposal:
    """An idea a resident gave on a paper form, at a desk or at a meeting, typed in by
    staff and published at once, in the resident's name (`author_name`, as on the
    form) or account (`author`, who then gets the usual confirmation e-mail), marked
    with its channel. The limits on participants' posting (ideas per person, the
    posting rate) do not apply: staff type a stack of forms. Everything else does:
    the component's fields and settings, moderation (the idea can be reported and
    hidden; a blocked member's account cannot be used), the action log (naming the
    staff member). Entering is open whatever the phase: forms collected during the
    filing phase are often typed in after it."""
    with transaction.atomic():
        component = for_write(component)
        require(actor, "proposals.enter_on_behalf", component)
        proposal = _enter(
            actor,
            component,
            channel=channel,
            author=author,
            author_name=author_name,
            title=title,
            body=body,
            category=category,
            scope=scope,
            address=address,
            latitude=latitude,
            longitude=longitude,
            custom_values=custom_values,
        )
        _send_confirmation(proposal, base_url)
    return proposal
