from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.core.translations import TranslatedField, translated
from agora.moderation.querysets import ModeratedQuerySet


def open_condition(now) -> Q:
    """A debate open at `now`: started (or without a start), not ended, not closed."""
    return (
        (Q(starts_at__isnull=True) | Q(starts_at__lte=now))
        & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        & Q(closed_at__isnull=True)
    )


def closed_condition(now) -> Q:
    """A debate closed at `now`: closed with conclusions, or past its end."""
    return Q(closed_at__isnull=False) | Q(ends_at__lte=now)


class DebateQuerySet(ModeratedQuerySet):
    """`.visible()` (from ModeratedQuerySet) leaves out what moderators hid;
    the states below are the ones the list filters by, in SQL."""

    def open(self, now=None):
        return self.filter(open_condition(now or timezone.now()))

    def upcoming(self, now=None):
        return self.filter(starts_at__gt=now or timezone.now(), closed_at__isnull=True)

    def closed(self, now=None):
        return self.filter(closed_condition(now or timezone.now()))


class Debate(models.Model):
    """A debate of a component: opened by the organization (official, with
    instructions and information updates) or by a participant when the
    component allows it. Comments say for, against or neutral
    (agora.comments); the organization or the author closes it with
    conclusions, after which it stays readable and takes no new comment."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("debate", "Open")
        UPCOMING = "upcoming", pgettext_lazy("debate", "Upcoming")
        CLOSED = "closed", pgettext_lazy("debate", "Closed")

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="debates")
    title = TranslatedField(_("title"))
    # HTML sanitized by the services (an officer's Markdown, or a participant's plain text made HTML).
    description = TranslatedField(_("description"))
    instructions = TranslatedField(_("instructions"))
    official = models.BooleanField(_("opened by the organization"), default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    category = models.ForeignKey(
        "taxonomy.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    scope = models.ForeignKey(
        "taxonomy.Scope", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("scope")
    )
    starts_at = models.DateTimeField(_("start"), null=True, blank=True)
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    conclusions = TranslatedField(_("conclusions"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DebateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["component", "-created_at"], name="debate_component_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="debate_ends_after_start",
            ),
        ]

    def __str__(self):
        return translated(self.title)

    def state_at(self, now=None) -> str:
        now = now or timezone.now()
        if self.closed_at is not None or (self.ends_at is not None and self.ends_at <= now):
            return self.State.CLOSED
        if self.starts_at is not None and self.starts_at > now:
            return self.State.UPCOMING
        return self.State.OPEN

    @property
    def state(self) -> str:
        return self.state_at()

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        """Closed with conclusions (closed_at) or past its end date."""
        return self.state == self.State.CLOSED

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)

    def get_absolute_url(self):
        return reverse("debates:detail", kwargs={**self.component.url_kwargs(), "debate_id": self.pk})


class DebateUpdate(models.Model):
    """A piece of information the organization adds to a debate as it goes
    (a figure, a document, an answer to a question raised)."""

    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="updates")
    body = TranslatedField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return translated(self.body)[:80]


class DebateLike(models.Model):
    """A person likes a debate: one row per person and debate, held by the
    database (two clicks at once make one like). The counts are read from
    these rows (no counter column: no row every liker would update)."""

    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="likes")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["debate", "person"], name="debate_one_like_per_person")]
