"""An opinion map (Polis-style conversation): one per component. The city asks a
question and seeds statements; participants add short statements and vote agree,
disagree or pass on each; the background worker recomputes the groups of opinion
(agora.components.opinions.analysis) and stores the latest result."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.core.translations import TranslatedField, translated
from agora.moderation.querysets import ModeratedQuerySet

STATEMENT_MAX = 280


class Conversation(models.Model):
    component = models.OneToOneField("components.Component", on_delete=models.CASCADE, related_name="conversation")
    question = TranslatedField(_("question"))
    # HTML sanitized by the services (an officer's Markdown).
    description = TranslatedField(_("description"))
    # When votes came in since the last computation: the worker's task is queued once
    # for all of them (debounce) and clears it when it starts.
    recompute_requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return translated(self.question)


class Statement(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("statement", "Awaiting moderation")
        PUBLISHED = "published", pgettext_lazy("statement", "Published")
        REJECTED = "rejected", pgettext_lazy("statement", "Rejected")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements")
    # Plain text of at most 280 characters, in the language it was written in.
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX)
    language = models.CharField(max_length=10, blank=True)
    seed = models.BooleanField(_("seeded by the organization"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.PUBLISHED)
    # Votes on the statement: the order statements are offered in (fewest first). A new
    # vote adds 1 in its transaction (people are offered different statements, so they
    # seldom wait on one row); the worker's analysis sets it to the rows again.
    vote_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    # Reportable (integrations.StatementReports): `.visible()` leaves out what moderation hid.
    objects = ModeratedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["conversation", "state", "vote_count", "id"], name="opinion_statement_next_idx")
        ]

    def __str__(self):
        return self.text


class Participant(models.Model):
    """Someone who voted in a conversation, known on the map by a number only. `user`
    is empty for the participants of an imported conversation (and the demo's)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="opinion_participant_number_unique"),
            models.UniqueConstraint(
                fields=["conversation", "user"], condition=Q(user__isnull=False), name="opinion_participant_user_unique"
            ),
        ]

    def __str__(self):
        return f"#{self.number}"


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        DISAGREE = -1, _("Disagree")
        PASS = 0, _("Pass / unsure")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=Value.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="opinion_vote_unique"),
            models.CheckConstraint(condition=Q(value__in=(-1, 0, 1)), name="opinion_vote_value"),
        ]
        indexes = [models.Index(fields=["statement", "value"], name="opinion_vote_statement_idx")]


class Result(models.Model):
    """The latest analysis of a conversation (analysis.Analysis.as_dict) and the state
    the next one starts from (Polis' clusters and k smoother)."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="result")
    data = models.JSONField(default=dict)
    state = models.JSONField(default=dict)
    participants = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    computed_at = models.DateTimeField()
