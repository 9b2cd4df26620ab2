"""Evaluation of ideas by the city's services: the grid of criteria an officer
defines per component, which evaluator studies which idea, each evaluator's
answers to the grid, and the CSV files of answers imported (kept between the
preview and the confirmation, on the database so any app server can apply).

Invariants the database holds: one assignment per evaluator and idea, one
evaluation per evaluator, idea and criterion, a score between 1 and 5, a cost
never negative, one criterion key per component."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agora.core.translations import TranslatedField, translated


class Criterion(models.Model):
    """One line of the evaluation grid of a component."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes or no, with a reason")
        SCORE = "score", _("Score from 1 to 5")
        COST = "cost", _("Estimated cost in euros")
        NOTE = "note", _("Free note")

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="+")
    label = TranslatedField(_("label"))
    help_text = TranslatedField(_("help text"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SCORE)
    required = models.BooleanField(_("required"), default=False)
    weight = models.IntegerField(_("order"), default=0)

    class Meta:
        ordering = ["weight", "id"]

    def __str__(self):
        return translated(self.label) or self.get_kind_display()


class Assignment(models.Model):
    """The evaluator studies this idea (and sees only the ideas assigned to them)."""

    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "evaluator"], name="one_assignment_per_evaluator"),
        ]
        indexes = [models.Index(fields=["evaluator", "proposal"])]


class Evaluation(models.Model):
    """One evaluator's answer to one criterion for one idea. Only the column
    of the criterion's kind is filled."""

    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    cost = models.DecimalField(_("estimated cost (euros)"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "evaluator", "criterion"], name="one_evaluation_per_criterion"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=1) & Q(score__lte=5)), name="evaluation_score_1_to_5"
            ),
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0), name="evaluation_cost_positive"),
        ]
        indexes = [models.Index(fields=["proposal", "criterion"])]


class AnswerImport(models.Model):
    """A CSV file of answers uploaded for preview; applied (all rows or none)
    once the officer confirms. Who, when and the file's hash also go to the
    action log."""

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    content = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
