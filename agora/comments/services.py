"""Every write of comments: permission, posting limit, transaction, action
log, follows and notifications."""

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.actionlog.services import Notice, trace
from agora.comments.mentions import mentioned_members
from agora.comments.models import MAX_DEPTH, Comment, CommentVote
from agora.comments.registry import adapter_of
from agora.follows.services import add_follow
from agora.moderation.limits import check_posting_rate
from agora.permissions import require
from agora.statistics import api as statistics


def _clean_body(body: str, target: Model) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write your comment."), code="required")
    limit = adapter_of(target).max_length(target)
    if len(body) > limit:
        raise ValidationError(
            _("A comment has at most %(limit)s characters (this one has %(length)s)."),
            code="max_length",
            params={"limit": limit, "length": len(body)},
        )
    return body


def _rate_limit(actor: User) -> None:
    check_posting_rate(actor, "comment")


@transaction.atomic
def create_comment(
    *,
    actor: User,
    target: Model,
    body: str,
    parent: Comment | None = None,
    alignment: int | None = None,
    official: bool = False,
) -> Comment:
    """A comment on `target` (a registered commentable), or a reply to
    `parent`. The author follows the target from now on; the target's
    authors and followers, the person replied to and the people mentioned
    are notified (each once, the most precise way)."""
    # Read again in this transaction: whether comments are open (phase, component,
    # space) is what is committed now, not what the page loaded.
    target = type(target)._default_manager.get(pk=target.pk)
    require(actor, "comments.create", target)
    adapter = adapter_of(target)
    body = _clean_body(body, target)
    if official:
        require(actor, "comments.official", target)
    if alignment is not None:
        if not adapter.alignment_enabled(target):
            alignment = None
        elif alignment not in Comment.Alignment.values:
            raise ValidationError(_("Choose for, against or neutral."), code="alignment")
    component = adapter.component(target)
    if parent is not None:
        if parent.content_type.model_class() is not type(target) or parent.object_id != target.pk:
            raise ValidationError(_("This reply does not belong to this thread."), code="parent")
        if parent.is_deleted:
            raise ValidationError(_("You cannot reply to a deleted comment."), code="parent")
        if parent.depth >= MAX_DEPTH:
            raise ValidationError(_("Replies go at most three levels deep: reply higher in the thread."), code="depth")
    _rate_limit(actor)

    comment = Comment.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        organization=component.space.organization,
        space=component.space,
        component=component,
        parent=parent,
        root_id=parent.root_id if parent is not None else None,
        depth=parent.depth + 1 if parent is not None else 0,
        author=actor,
        body=body,
        alignment=alignment,
        official=official,
    )
    if parent is None:
        comment.root_id = comment.pk
        Comment.objects.filter(pk=comment.pk).update(root_id=comment.pk)
    mentioned = mentioned_members(body, comment.organization, exclude=actor)
    comment.mentioned.set(mentioned)
    add_follow(user=actor, target=target)
    trace(
        actor,
        "comments.created",
        comment,
        organization=comment.organization,
        space=comment.space,
        component=comment.component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"official": official, "reply": parent is not None},
        notify=_notices_of_new(actor, comment, target, parent, mentioned),
    )
    if not official:  # an official answer is the organization speaking, not participation
        statistics.record(kind=statistics.COMMENT, component=component, person=actor)
    return comment


def _notices_of_new(
    actor: User, comment: Comment, target: Model, parent: Comment | None, mentioned: Sequence[User]
) -> list[Notice]:
    """Mentioned people, the person replied to, then the followers of the
    commented resource and its authors (each told once), about that resource."""
    adapter = adapter_of(target)
    url = f"{adapter.url(target)}#comment-{comment.pk}"
    told = {person.pk for person in mentioned}
    notices = []
    if mentioned:
        notices.append(Notice("comments.mention", to=mentioned, target=target, url=url))
    if parent is not None and parent.author_id and parent.author_id not in told and parent.author_id != actor.pk:
        notices.append(Notice("comments.reply", to=[parent.author_id], target=target, url=url))
        told.add(parent.author_id)
    notices.append(
        Notice(
            "comments.new_comment",
            followers=True,
            to=[a.pk for a in adapter.authors(target) if a],
            exclude=sorted(told),
            space_followers=False,
            target=target,
            url=url,
        )
    )
    return notices


@transaction.atomic
def update_comment(*, actor: User, comment: Comment, body: str) -> Comment:
    """The author rewrites the text; the comment shows as edited. Newly
    mentioned people are notified."""
    require(actor, "comments.edit", comment)
    target = comment.target
    body = _clean_body(body, target)
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if body == locked.body:
        return locked
    before = set(locked.mentioned.values_list("pk", flat=True))
    locked.body = body
    locked.edited_at = timezone.now()
    locked.save(update_fields=["body", "edited_at"])
    mentioned = mentioned_members(body, locked.organization, exclude=actor)
    locked.mentioned.set(mentioned)
    new = [person for person in mentioned if person.pk not in before]
    trace(
        actor,
        "comments.updated",
        locked,
        organization=locked.organization,
        space=locked.space,
        component=locked.component,
        notify=[
            Notice(
                "comments.mention", to=new, target=target, url=f"{adapter_of(target).url(target)}#comment-{locked.pk}"
            )
        ]
        if new
        else (),
    )
    comment.body, comment.edited_at = locked.body, locked.edited_at
    return locked


@transaction.atomic
def delete_comment(*, actor: User, comment: Comment) -> None:
    """The author deletes a comment: the text is erased, the place in the
    thread stays ("Deleted comment") so replies keep their context."""
    require(actor, "comments.delete", comment)
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    locked.body = ""
    locked.deleted_at = timezone.now()
    locked.save(update_fields=["body", "deleted_at"])
    locked.mentioned.clear()
    trace(
        actor,
        "comments.deleted",
        locked,
        organization=locked.organization,
        space=locked.space,
        component=locked.component,
    )
    comment.body, comment.deleted_at = locked.body, locked.deleted_at


@transaction.atomic
def vote(*, actor: User, comment: Comment, value: int) -> int:
    """Up (1), down (-1) or withdraw (0) one's vote; changing is allowed.
    Counts are kept on the comment under its row lock. Returns the vote."""
    if value not in (-1, 0, 1):
        raise ValidationError(_("A vote is up or down."), code="value")
    require(actor, "comments.vote", comment)
    Comment.objects.select_for_update().filter(pk=comment.pk).first()
    existing = CommentVote.objects.filter(comment=comment, user=actor).first()
    previous = existing.value if existing else 0
    if previous == value:
        return value
    changes = {}
    if previous == 1 or value == 1:
        changes["up_count"] = F("up_count") + (1 if value == 1 else -1)
    if previous == -1 or value == -1:
        changes["down_count"] = F("down_count") + (1 if value == -1 else -1)
    if value == 0 and existing is not None:  # (withdrawing no vote returned above)
        existing.delete()
    elif existing:
        existing.value = value
        existing.save(update_fields=["value", "created_at"])
    else:
        CommentVote.objects.create(comment=comment, user=actor, value=value)
    Comment.objects.filter(pk=comment.pk).update(**changes)
    comment.refresh_from_db(fields=["up_count", "down_count"])
    trace(
        actor,
        "comments.voted",
        comment,
        organization=comment.organization,
        space=comment.space,
        component=comment.component,
        data={"value": value},
    )
    return value
