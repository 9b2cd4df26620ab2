"""Every write of newsletters: permission (`newsletters.manage`: the
organization's administrators), transaction, action log."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.services import log_action
from agora.core import images
from agora.core.models import Organization
from agora.core.sanitize import clean_translated_html
from agora.newsletters import audiences, rendering, sending, upcoming
from agora.newsletters.models import Block, Newsletter, Recipient
from agora.outbox.models import OutgoingEmail
from agora.outbox.services import new_key, queue_email, send_possibly_sent_again
from agora.permissions import require
from agora.spaces.models import Space


def _log(actor: User, verb: str, newsletter: Newsletter, **data: object) -> None:
    log_action(actor=actor, verb=verb, target=newsletter, organization=newsletter.organization, data=data or None)


def _editable(newsletter: Newsletter) -> Newsletter:
    """The newsletter locked for a change, which only a draft takes."""
    locked = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if locked.status != Newsletter.Status.DRAFT:
        raise ValidationError(_("This newsletter is no longer a draft: it cannot be changed."), code="not_draft")
    return locked


def _subject(subject: dict, organization: Organization) -> dict:
    subject = {code: " ".join(str(text).split())[:200] for code, text in (subject or {}).items() if text}
    if not subject.get(organization.default_language):
        raise ValidationError({"subject": _("Give the newsletter a subject.")})
    return subject


def create_newsletter(*, actor: User, organization: Organization, subject: dict) -> Newsletter:
    require(actor, "newsletters.manage", organization)
    with transaction.atomic():
        newsletter = Newsletter.objects.create(
            organization=organization, subject=_subject(subject, organization), created_by=actor
        )
        _log(actor, "newsletters.created", newsletter)
    return newsletter


def update_newsletter(*, actor: User, newsletter: Newsletter, subject: dict) -> Newsletter:
    require(actor, "newsletters.manage", newsletter)
    with transaction.atomic():
        locked = _editable(newsletter)
        locked.subject = _subject(subject, locked.organization)
        locked.save(update_fields=["subject", "updated_at"])
        _log(actor, "newsletters.updated", locked)
    return locked


def delete_newsletter(*, actor: User, newsletter: Newsletter) -> None:
    """Only a draft is deleted: a sent newsletter stays in the archive."""
    require(actor, "newsletters.manage", newsletter)
    with transaction.atomic():
        locked = _editable(newsletter)
        for block in locked.blocks.all():
            images.delete_image_after_commit(block.image.storage, block.image.name, block.image_variants)
        _log(actor, "newsletters.deleted", locked, subject=str(locked))
        locked.delete()


def set_audience(*, actor: User, newsletter: Newsletter, audience: dict) -> Newsletter:
    require(actor, "newsletters.manage", newsletter)
    with transaction.atomic():
        locked = _editable(newsletter)
        locked.audience = audiences.clean(locked.organization, audience)
        locked.save(update_fields=["audience", "updated_at"])
        _log(actor, "newsletters.audience_set", locked)
    return locked


# --- blocks --------------------------------------------------------------------------


def _check_block(
    organization: Organization,
    kind: str,
    text: dict,
    url: str,
    image: object,
    image_alt: dict,
    spaces: list[Space],
    items: list[dict],
) -> str:
    if kind not in Block.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of block.")})
    url = (url or "").strip()
    if (
        url
        and not (url.startswith("/") and not url.startswith("//"))
        and not url.lower().startswith(("https://", "http://"))
    ):
        raise ValidationError({"url": _("Give an address that starts with https:// or a path of the site (/...).")})
    if kind == Block.Kind.TEXT and not any(text.values()):
        raise ValidationError({"text": _("Write the text of the block.")})
    if kind == Block.Kind.BUTTON and (not any(text.values()) or not url):
        raise ValidationError(_("A button needs its label and its link."))
    if kind == Block.Kind.IMAGE:
        if not image:
            raise ValidationError({"image": _("Choose the image.")})
        images.check_picture(image, image_alt)
    if kind == Block.Kind.UPCOMING and not items:
        raise ValidationError({"items": _("Choose at least one upcoming event.")})
    if kind == Block.Kind.SPACES:
        if not spaces:
            raise ValidationError({"spaces": _("Choose at least one process.")})
        if any(space.organization_id != organization.pk or not space.is_public for space in spaces):
            raise ValidationError({"spaces": _("Choose public processes of this organization.")})
    return url


def save_block(
    *,
    actor: User,
    newsletter: Newsletter,
    block: Block | None = None,
    kind: str,
    text: dict | None = None,
    url: str = "",
    image: File | Literal[False] | None = None,
    image_alt: dict | None = None,
    spaces: list[Space] | None = None,
    items: list[str] | None = None,
) -> Block:
    """Add a block (`block` None) or change one. `image`: None keeps the
    current image, False removes it, a file replaces it. Text is formatted
    text (HTML, sanitized here); a button's text is its label."""
    require(actor, "newsletters.manage", newsletter)
    text, image_alt, spaces, keys = text or {}, image_alt or {}, list(spaces or []), list(items or [])
    with transaction.atomic():
        locked = _editable(newsletter)
        if block is None:
            block = Block(newsletter=locked, kind=kind)
            block.position = (locked.blocks.aggregate(last=Max("position"))["last"] or 0) + 1
        elif block.newsletter_id != locked.pk:
            raise ValidationError(_("This block belongs to another newsletter."))
        stored = block.image if block.pk else None
        current_image = image if image is not None else stored
        if image is False:
            current_image = None
        chosen = upcoming.snapshot(locked.organization, keys) if kind == Block.Kind.UPCOMING else []
        if keys and kind == Block.Kind.UPCOMING and not chosen:
            raise ValidationError({"items": _("Choose among the upcoming events offered.")})
        url = _check_block(locked.organization, kind, text, url, current_image, image_alt, spaces, chosen)
        block.kind = kind
        block.text = clean_translated_html(text) if kind == Block.Kind.TEXT else {c: t.strip() for c, t in text.items()}
        block.url = url
        block.image_alt = image_alt if kind == Block.Kind.IMAGE else {}
        block.items = chosen
        if image is not None or kind != Block.Kind.IMAGE:
            if stored:
                images.delete_image_after_commit(stored.storage, stored.name, block.image_variants)
            block.image, block.image_variants = "", {}
            if image and kind == Block.Kind.IMAGE:
                block.image = images.clean_image(image)
        block.save()
        if image and kind == Block.Kind.IMAGE:
            block.image_variants = images.make_variants(block.image.storage, block.image.name)
            block.save(update_fields=["image_variants"])
        block.spaces.set(spaces if kind == Block.Kind.SPACES else [])
        _log(actor, "newsletters.block_saved", locked, kind=kind)
    return block


def delete_block(*, actor: User, block: Block) -> None:
    require(actor, "newsletters.manage", block.newsletter)
    with transaction.atomic():
        locked = _editable(block.newsletter)
        images.delete_image_after_commit(block.image.storage, block.image.name, block.image_variants)
        block.delete()
        _log(actor, "newsletters.block_deleted", locked, kind=block.kind)


def move_block(*, actor: User, block: Block, direction: str) -> None:
    require(actor, "newsletters.manage", block.newsletter)
    with transaction.atomic():
        locked = _editable(block.newsletter)
        order = list(locked.blocks.order_by("position", "pk"))
        index = next(i for i, each in enumerate(order) if each.pk == block.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
        for position, each in enumerate(order, 1):
            each.position = position
        Block.objects.bulk_update(order, ["position"])


# --- sending -------------------------------------------------------------------------


def send_test(*, actor: User, newsletter: Newsletter) -> list[OutgoingEmail]:
    """The newsletter to oneself, once in each of the organization's
    languages (with "[Test]" in the subject), whatever one's consent."""
    require(actor, "newsletters.manage", newsletter)
    organization = newsletter.organization
    rows = []
    with transaction.atomic():
        for language in organization.languages:
            subject, text, html = rendering.email(newsletter, language, test=True)
            link = sending.unsubscribe_url(newsletter, actor.pk)
            row = queue_email(
                key=new_key("newsletter_test"),
                to=actor.email,
                subject=subject,
                text=text.replace(rendering.UNSUBSCRIBE, link),
                html=html.replace(rendering.UNSUBSCRIBE, link),
                organization=organization,
                language=language,
                kind="newsletter_test",
            )
            if row is not None:
                rows.append(row)
        _log(actor, "newsletters.tested", newsletter)
    return rows


def send(*, actor: User, newsletter: Newsletter, when: datetime | None = None) -> Newsletter:
    """Send now (`when` None) or schedule for `when`. The audience is listed
    when the sending starts; the background worker sends in batches."""
    require(actor, "newsletters.manage", newsletter)
    now = timezone.now()
    if when is not None and when <= now:
        raise ValidationError({"when": _("Choose a date in the future, or send now.")})
    with transaction.atomic():
        locked = _editable(newsletter)
        if not locked.blocks.exists():
            raise ValidationError(_("Add at least one block before sending."))
        if when is None:
            locked.status, locked.started_at, locked.heartbeat_at = Newsletter.Status.SENDING, now, now
        else:
            locked.status, locked.scheduled_for = Newsletter.Status.SCHEDULED, when
        locked.save(update_fields=["status", "started_at", "heartbeat_at", "scheduled_for", "updated_at"])
        _log(
            actor,
            "newsletters.scheduled" if when else "newsletters.sent",
            locked,
            recipients=audiences.count(locked.organization, locked.audience),
        )
        sending.queue_sending(locked)
    locked.refresh_from_db()
    return locked


def cancel_schedule(*, actor: User, newsletter: Newsletter) -> Newsletter:
    """A scheduled newsletter back to a draft (its queued task then finds nothing to send)."""
    require(actor, "newsletters.manage", newsletter)
    with transaction.atomic():
        locked = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        if locked.status != Newsletter.Status.SCHEDULED:
            raise ValidationError(_("This newsletter is not scheduled."))
        locked.status, locked.scheduled_for = Newsletter.Status.DRAFT, None
        locked.save(update_fields=["status", "scheduled_for", "updated_at"])
        _log(actor, "newsletters.unscheduled", locked)
    return locked


def resend_possibly_sent(*, actor: User, newsletter: Newsletter) -> int:
    """Send the newsletter again to the people it was possibly sent to: a
    worker stopped while handing their e-mail to the mail relay, which may
    have accepted it. The officer's explicit choice (some of them will get a
    second copy); nothing else sends to them again. Returns how many."""
    require(actor, "newsletters.manage", newsletter)
    with transaction.atomic():
        locked = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        if locked.status not in (Newsletter.Status.SENDING, Newsletter.Status.SENT):
            raise ValidationError(_("This newsletter has not been sent."), code="not_sent")
        emails = OutgoingEmail.objects.filter(
            pk__in=Recipient.objects.filter(newsletter=locked, email__isnull=False).values("email_id")
        )
        count = send_possibly_sent_again(emails)
        if not count:
            raise ValidationError(_("Nobody is left whom the newsletter was possibly sent to."), code="none_unsure")
        _log(actor, "newsletters.resent_possibly_sent", locked, recipients=count)
    return count
