from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agora.comments.registry import adapter_for
from agora.moderation.querysets import ModeratedQuerySet

MAX_DEPTH = 2  # three levels: a comment (0), its replies (1) and their replies (2)


class Comment(models.Model):
    """A comment on any commentable resource (agora.comments.registry).

    Threads: `root` is the top comment of the thread (itself for a top
    comment), so one query loads a page of threads with all their replies.
    Votes are counted in `up_count`/`down_count`, kept by the vote service
    under a row lock; CommentVote holds one vote per person."""

    class Alignment(models.IntegerChoices):
        AGAINST = -1, _("Against")
        NEUTRAL = 0, _("Neutral")
        FOR = 1, _("For")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    component = models.ForeignKey(
        "components.Component", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    root = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    depth = models.PositiveSmallIntegerField(default=0)
    # Deleted accounts keep their User row ("Deleted participant"); SET_NULL only if a row is ever purged.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"))
    alignment = models.SmallIntegerField(_("position"), choices=Alignment.choices, null=True, blank=True)
    official = models.BooleanField(_("official answer"), default=False)
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    up_count = models.PositiveIntegerField(default=0)
    down_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    # `.visible()` / `.with_hidden_flag()`: comments moderation hid.
    objects = ModeratedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "depth", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["root", "created_at"], name="comment_root_idx"),
            models.Index(fields=["space", "-created_at"], name="comment_space_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(depth__lte=MAX_DEPTH), name="comment_depth_at_most_2"),
            models.CheckConstraint(condition=Q(parent__isnull=True) | Q(depth__gt=0), name="comment_reply_has_depth"),
            models.CheckConstraint(
                condition=Q(alignment__isnull=True) | Q(alignment__in=[-1, 0, 1]), name="comment_alignment_valid"
            ),
        ]

    def __str__(self):
        text = " ".join(self.body.split())
        return text[:80] + ("…" if len(text) > 80 else "")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def score(self) -> int:
        return self.up_count - self.down_count

    @property
    def target(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)

    def get_absolute_url(self):
        target = self.target
        return f"{adapter_for(target).url(target)}#comment-{self.pk}"


class CommentVote(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_vote_per_person_and_comment"),
            models.CheckConstraint(condition=Q(value__in=[-1, 1]), name="comment_vote_up_or_down"),
        ]
