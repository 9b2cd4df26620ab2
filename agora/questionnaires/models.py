"""Questionnaires any component can attach (surveys, later meeting
registrations, petition signatures, sortition volunteers).

A questionnaire belongs to an owner named by `owner_type` ("surveys.survey")
and `owner_id`, or to nobody when it is one of the organization's templates.
The owner's app registers what may manage it (agora.questionnaires.owners);
this app never imports an owner.

Answers are typed: one `Answer` row per value (one per option chosen, per
matrix cell, per ranked option), so that counting is a GROUP BY and no answer
is a blob to parse. The results pages read `Tally` rows, counters moved in the
transaction that saves an answer set, never the answers themselves. Each
counter is split over `TALLY_SHARDS` rows: a transaction moves the rows of one
shard drawn at random, so that people answering at the same moment seldom wait
on each other's row locks, and the results add the shards up.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agora.core.files import RandomName, UploadField, private_storage
from agora.core.translations import TranslatedField, translated


class Questionnaire(models.Model):
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    # Who uses it ("surveys.survey", id); empty for a template of the organization's library.
    owner_type = models.CharField(max_length=60, blank=True)
    owner_id = models.PositiveBigIntegerField(null=True, blank=True)
    title = TranslatedField(_("title"))
    is_template = models.BooleanField(_("kept as a template"), default=False)
    # Moves with every change of the questions (the forms a person has open say which version they saw).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner_type", "owner_id"],
                condition=Q(owner_id__isnull=False),
                name="questionnaire_one_per_owner",
            ),
        ]
        indexes = [models.Index(fields=["organization", "is_template"])]

    def __str__(self):
        return translated(self.title) or f"#{self.pk}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RANKING = "ranking", _("Ranking")
        MATRIX_SINGLE = "matrix_single", _("Matrix, one choice per row")
        MATRIX_MULTIPLE = "matrix_multiple", _("Matrix, several choices per row")
        SCALE = "scale", _("Scale")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        FILE = "file", _("File upload")
        SECTION = "section", _("Section title (no answer)")
        PAGE_BREAK = "page_break", _("Page break (no answer)")

    LAYOUT = (Kind.SECTION, Kind.PAGE_BREAK)
    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING, Kind.MATRIX_SINGLE, Kind.MATRIX_MULTIPLE)
    MATRIX_KINDS = (Kind.MATRIX_SINGLE, Kind.MATRIX_MULTIPLE)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = TranslatedField(_("question"))
    help_text = TranslatedField(_("help text"))
    mandatory = models.BooleanField(_("an answer is required"), default=False)
    # Long text: most characters; short text is at most 300.
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)
    # Multiple choice (and matrix rows with several choices): fewest and most options chosen.
    min_choices = models.PositiveSmallIntegerField(_("fewest choices"), null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("most choices"), null=True, blank=True)
    # Scale: from scale_min to scale_max, with labels at both ends.
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    scale_min_label = TranslatedField(_("label of the lowest value"))
    scale_max_label = TranslatedField(_("label of the highest value"))
    # Number: bounds (included).
    number_min = models.DecimalField(_("smallest number"), max_digits=14, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(_("largest number"), max_digits=14, decimal_places=2, null=True, blank=True)
    # Date: bounds (included).
    date_min = models.DateField(_("earliest date"), null=True, blank=True)
    date_max = models.DateField(_("latest date"), null=True, blank=True)
    # Display conditions: shown when all (or any) of them hold; always shown without any.
    condition_mode = models.CharField(
        _("combine the conditions"),
        max_length=3,
        default="all",
        choices=[("all", _("all of them hold")), ("any", _("at least one holds"))],
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["questionnaire", "position"])]
        constraints = [
            models.CheckConstraint(condition=Q(scale_min__lt=models.F("scale_max")), name="question_scale_order"),
        ]

    def __str__(self):
        return translated(self.title) or self.get_kind_display()

    @property
    def is_layout(self) -> bool:
        return self.kind in self.LAYOUT

    @property
    def has_options(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def is_matrix(self) -> bool:
        return self.kind in self.MATRIX_KINDS

    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(default=0)
    label = TranslatedField(_("option"))
    # "Other, please specify": choosing it asks for a text.
    free_text = models.BooleanField(_("asks to specify (other)"), default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return translated(self.label)


class MatrixRow(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField(default=0)
    label = TranslatedField(_("row"))

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return translated(self.label)


class Condition(models.Model):
    """Show `question` only if an earlier answer (of `source`) ..."""

    class Operator(models.TextChoices):
        EQUALS = "equals", _("is the option")
        DIFFERS = "differs", _("is not the option")
        ANSWERED = "answered", _("was answered")
        NOT_ANSWERED = "not_answered", _("was not answered")
        ABOVE = "above", _("is above")
        BELOW = "below", _("is below")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="conditions")
    source = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    operator = models.CharField(max_length=16, choices=Operator.choices)
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(operator__in=["equals", "differs"], option__isnull=False)
                    | Q(operator__in=["above", "below"], value__isnull=False)
                    | Q(operator__in=["answered", "not_answered"])
                ),
                name="condition_has_its_operand",
            ),
        ]


class AnswerSet(models.Model):
    """One person's (or one paper form's) answers to a questionnaire. Who
    answered is the owner's business (a survey's response row points here)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="answer_sets")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["questionnaire", "id"])]


class Answer(models.Model):
    answer_set = models.ForeignKey(AnswerSet, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    row = models.ForeignKey(MatrixRow, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    text = models.TextField(blank=True)  # texts, and what "other" specifies
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)  # number, scale
    date = models.DateField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)  # ranking: 1 is first
    file = UploadField(upload_to=RandomName("questionnaires"), storage=private_storage, blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "option"])]


# Rows each counter is split into (agora.questionnaires.services.move_tallies).
TALLY_SHARDS = 16


class Tally(models.Model):
    """A part of a counter of the results, moved in the transaction that saves
    (or changes) an answer set. Keys: "answered" (answer sets that answered the
    question), "o:<option>", "r:<row>:o:<option>", "k:<option>:<rank>" (a
    ranking's places), "v:<value>" (a scale's values), "n" (numbers: count and
    total). `total` is a sum (of numbers, of ranks) for averages. A counter is
    the sum of its shards (0 to TALLY_SHARDS - 1); one shard alone means
    nothing, and may even be negative (an answer set counted in one shard and
    changed or deleted in another)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tallies")
    key = models.CharField(max_length=60)
    shard = models.PositiveSmallIntegerField(default=0)
    count = models.BigIntegerField(default=0)
    total = models.DecimalField(max_digits=20, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "key", "shard"], name="tally_one_per_key_and_shard"),
        ]
