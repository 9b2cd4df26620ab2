"""A survey: one per component, with its questionnaire (agora.questionnaires)
and one response per person, held by the database."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.core.files import RandomName, UploadField, private_storage
from agora.core.translations import TranslatedField


class Survey(models.Model):
    component = models.OneToOneField("components.Component", on_delete=models.CASCADE, related_name="survey")
    questionnaire = models.OneToOneField("questionnaires.Questionnaire", on_delete=models.PROTECT, related_name="+")
    introduction = TranslatedField(_("introduction"))
    # Terms to accept before answering (empty: none).
    terms = TranslatedField(_("terms to accept"))
    # Time window (besides the phase setting): empty bounds are open.
    opens_at = models.DateTimeField(_("opens on"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes on"), null=True, blank=True)
    # Published results: the questions chosen by the officer, public from this date.
    results_published_at = models.DateTimeField(null=True, blank=True)
    published_questions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.component)

    def window_state(self, now=None) -> str:
        """ "before", "open" or "after" the time window."""
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return "before"
        if self.closes_at and now >= self.closes_at:
            return "after"
        return "open"


class Response(models.Model):
    """Who answered (never shown publicly), how, and their answer set."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        DESK = "desk", _("At a desk")
        PAPER = "paper", _("On paper")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    answer_set = models.OneToOneField("questionnaires.AnswerSet", on_delete=models.CASCADE, related_name="+")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Answers without an account: one per browser session.
    session_key = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    reference = models.CharField(_("batch or reference of the paper form"), max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="survey_one_response_per_person",
            ),
            models.UniqueConstraint(
                fields=["survey", "session_key"], condition=~Q(session_key=""), name="survey_one_response_per_session"
            ),
        ]
        indexes = [models.Index(fields=["survey", "id"])]


# Rows the count of a survey's responses is split into (services._count_one_more).
COUNT_SHARDS = 16


class ResponseCount(models.Model):
    """A part of the count of a survey's responses (selectors.answer_count adds
    the shards up). A response adds 1 to one shard drawn at random: people
    answering at the same moment do not all wait on the lock of one row (the
    survey's), and the survey's row, which pages show, is not written by each
    response."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    shard = models.PositiveSmallIntegerField(default=0)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "shard"], name="survey_count_one_per_shard")]


class Export(models.Model):
    """A file of every answer written in the background (agora.components.surveys.tasks),
    with its progress; kept in the private storage, downloaded by the survey's managers."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="exports")
    export_format = models.CharField(max_length=8)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = UploadField(upload_to=RandomName("surveys/exports"), storage=private_storage, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
