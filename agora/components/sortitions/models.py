"""A sortition: its pool of volunteers (features, household, contact), its quotas and
its draws (the computed distribution, the parties' commitments, the panel). The engine
that computes and draws is agora.sortition; these models only hold what it needs and
what is published."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agora.components.models import Component
from agora.sortition.algorithms import ALGORITHMS


class Sortition(models.Model):
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="sortitions")
    title = models.CharField(_("title"), max_length=200)
    panel_size = models.PositiveIntegerField(_("seats on the panel"))
    one_per_household = models.BooleanField(_("at most one person per household"), default=True)
    algorithm = models.CharField(_("algorithm"), max_length=20, choices=[(a, a) for a in ALGORITHMS], default="leximin")
    # Volunteers register themselves through this form (agora.questionnaires) while it is open.
    registration_open = models.BooleanField(_("volunteers may register"), default=False)
    questionnaire = models.OneToOneField(
        "questionnaires.Questionnaire", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {"features": {question id: {"feature": f, "options": {option id: value}}}, "consent": id, "contact": id}
    registration_map = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(panel_size__gte=1), name="sortition_panel_size_positive")]

    def __str__(self):
        return self.title


class Volunteer(models.Model):
    """One person of the pool. `ref` is the pseudonymous id published in the bundle;
    the name and contact details are for staff only and never published."""

    sortition = models.ForeignKey(Sortition, on_delete=models.CASCADE, related_name="volunteers")
    ref = models.CharField(max_length=40)
    values = models.JSONField(default=dict)  # feature -> value
    household = models.CharField(max_length=200, blank=True)  # normalised address or household key
    name = models.CharField(max_length=200, blank=True)
    contact = models.CharField(max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The answers of a volunteer who registered through the form (staff only).
    answer_set = models.OneToOneField(
        "questionnaires.AnswerSet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["ref"]
        constraints = [
            models.UniqueConstraint(fields=["sortition", "ref"], name="unique_volunteer_ref"),
            models.UniqueConstraint(
                fields=["sortition", "user"], condition=Q(user__isnull=False), name="unique_volunteer_user"
            ),
        ]


class Quota(models.Model):
    sortition = models.ForeignKey(Sortition, on_delete=models.CASCADE, related_name="quotas")
    feature = models.CharField(max_length=100)
    value = models.CharField(max_length=100)
    minimum = models.PositiveIntegerField()
    maximum = models.PositiveIntegerField()

    class Meta:
        ordering = ["feature", "value"]
        constraints = [
            models.UniqueConstraint(fields=["sortition", "feature", "value"], name="unique_quota_value"),
            models.CheckConstraint(condition=Q(minimum__lte=F("maximum")), name="quota_min_le_max"),
        ]


class Draw(models.Model):
    """One selection (or replacement): computed in the worker, then drawn from the seed."""

    class Kind(models.TextChoices):
        SELECTION = "selection", _("Selection")
        REPLACEMENT = "replacement", _("Replacement")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the worker")
        RUNNING = "running", _("Computing")
        READY = "ready", _("Distribution published, waiting for the seed")
        DRAWN = "drawn", _("Drawn")
        FAILED = "failed", _("Failed")

    sortition = models.ForeignKey(Sortition, on_delete=models.CASCADE, related_name="draws")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SELECTION)
    algorithm = models.CharField(max_length=20)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    progress = models.CharField(max_length=200, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)  # of the computation, written by the worker
    error = models.TextField(blank=True)
    pool = models.JSONField(default=dict)  # canonical pool and quotas the distribution was computed on
    quotas = models.JSONField(default=dict)
    replaces = models.JSONField(default=dict, blank=True)
    distribution = models.JSONField(default=dict, blank=True)
    distribution_sha256 = models.CharField(max_length=64, blank=True)
    probabilities = models.JSONField(default=dict, blank=True)  # ref -> probability
    legacy_probabilities = models.JSONField(default=dict, blank=True)
    seconds = models.FloatField(default=0.0)
    public_value = models.CharField(max_length=500, blank=True)
    record = models.JSONField(default=dict, blank=True)  # the bundle's entry, once drawn
    panel = models.JSONField(default=list, blank=True)  # refs
    declined = models.JSONField(default=list, blank=True)  # refs who declined their seat
    created_at = models.DateTimeField(auto_now_add=True)
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def rate(self) -> float:
        """The computation's progress between 0 and 1."""
        return self.percent / 100


class IdeaDraw(models.Model):
    """Ideas (or projects) of an ideas component drawn by lot with the same verifiable
    randomness as panels: the candidates (filtered) are frozen and their hash published
    first; the public value typed in afterwards makes the seed; the record is published."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="idea_draws")
    title = models.CharField(_("title"), max_length=200)
    source = models.ForeignKey(
        Component, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("ideas component")
    )
    count = models.PositiveIntegerField(_("ideas to draw"))
    candidates = models.JSONField(default=dict)  # the published document (engine: draw.ideas_document)
    candidates_sha256 = models.CharField(max_length=64)
    # Format 2: the frozen titles and their salts, {id: [title, salt]}; the document holds only each
    # title's commitment, so a title hidden by moderation later leaves the bundle and the hash still checks.
    titles = models.JSONField(default=dict, blank=True)
    public_value = models.CharField(max_length=500, blank=True)
    record = models.JSONField(default=dict, blank=True)  # the bundle's entry, once drawn
    drawn = models.JSONField(default=list, blank=True)  # idea ids (strings)
    created_at = models.DateTimeField(auto_now_add=True)
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(count__gte=1), name="idea_draw_count_positive")]

    def __str__(self):
        return self.title


class Party(models.Model):
    """A party of the commit–reveal of a panel's draw or of a drawing of ideas: publishes
    the hash of a secret, then reveals it; one that does not reveal is dropped."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, null=True, blank=True, related_name="parties")
    idea_draw = models.ForeignKey(IdeaDraw, on_delete=models.CASCADE, null=True, blank=True, related_name="parties")
    name = models.CharField(max_length=100)
    commitment = models.CharField(max_length=64)
    secret = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "name"], name="unique_party_name"),
            models.UniqueConstraint(fields=["idea_draw", "name"], name="unique_idea_party_name"),
            models.CheckConstraint(
                condition=Q(draw__isnull=False, idea_draw__isnull=True) | Q(draw__isnull=True, idea_draw__isnull=False),
                name="party_of_one_drawing",
            ),
        ]
