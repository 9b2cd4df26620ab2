"""Budgets, their projects, the ballots cast on them and the paper counts.

Invariants the database holds:
- one ballot per person and budget, whatever the channel (online, desk,
  paper with identity): unique (budget, voter);
- in the "one budget of the person's choice" mode, one ballot per person and
  component: unique (voter, exclusive_component), the services fill
  `exclusive_component` only in that mode;
- one choice row per ballot and project, one paper count per project and
  polling station;
- counters never negative. Every counter of a project equals its rows
  (choices, paper counts): the services change both in one transaction and
  `selectors.integrity_problems` checks it.

No public page links a ballot to a person: the public results read the
counters, exports carry the ballot's random public id, never the voter.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.core.files import ImageUploadField, RandomName, UploadField
from agora.core.images import picture, variant_name
from agora.core.receipts import RECEIPT_ALPHABET, normalize_receipt  # noqa: F401 (budgets' names for them)
from agora.core.translations import TranslatedField, translated


class Budget(models.Model):
    class Rule(models.TextChoices):
        APPROVAL = "approval", _("Approval: choose between a minimum and a maximum number of projects")
        ENVELOPE = "envelope", _("Envelope: choose projects whose total cost fits the budget")
        POINTS = "points", _("Points: distribute points between projects")
        RANKING = "ranking", _("Ranking: rank your favourite projects")
        SAVINGS = "savings", _("Savings: choose cuts that reach a target amount")

    class Method(models.TextChoices):
        GREEDY = "greedy", _("Greedy: most votes first, skip what no longer fits")
        MES = "mes", _("Method of Equal Shares")

    class Completion(models.TextChoices):
        NONE = "none", _("No completion")
        ADD1 = "add1", _("Completion: raise the voters' budget by one unit, then greedy")

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="budgets")
    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"))
    scope = models.ForeignKey(
        "taxonomy.Scope",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scope"),
        help_text=_("The district of this budget; empty for a city-wide budget."),
    )
    envelope = models.PositiveBigIntegerField(_("envelope (euros)"))
    weight = models.IntegerField(_("order"), default=0)

    # The ballot rule.
    rule = models.CharField(_("ballot rule"), max_length=10, choices=Rule.choices, default=Rule.APPROVAL)
    min_projects = models.PositiveIntegerField(_("minimum number of projects"), default=0)
    max_projects = models.PositiveIntegerField(
        _("maximum number of projects"), null=True, blank=True, help_text=_("Empty: no maximum.")
    )
    min_percent = models.PositiveSmallIntegerField(
        _("minimum share of the envelope (%)"),
        default=0,
        help_text=_("Envelope rule: the chosen projects must cost at least this share of the envelope."),
    )
    max_per_category = models.PositiveIntegerField(
        _("maximum number of projects per category"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit."),
    )
    points_total = models.PositiveIntegerField(_("points to distribute"), default=100)
    points_min = models.PositiveIntegerField(_("minimum points per chosen project"), default=1)
    points_max = models.PositiveIntegerField(
        _("maximum points per project"), null=True, blank=True, help_text=_("Empty: no maximum.")
    )
    rank_k = models.PositiveIntegerField(_("number of projects to rank"), default=3)
    savings_target = models.PositiveBigIntegerField(_("savings target (euros)"), default=0)

    # Counting, chosen before the vote.
    method = models.CharField(_("counting method"), max_length=10, choices=Method.choices, default=Method.GREEDY)
    completion = models.CharField(_("completion"), max_length=10, choices=Completion.choices, default=Completion.NONE)
    # Eligibility, set before the vote (issue 14: a project nobody voted for was funded).
    # A project needs at least `min_votes` votes (never fewer than 1 for a vote held
    # here; a past edition imported from a file keeps the file's threshold, even 0)
    # and at least `min_votes_percent` % of the ballots.
    min_votes = models.PositiveIntegerField(
        _("minimum number of votes for a project to be funded"),
        default=1,
        help_text=_("At least 1: a project nobody voted for is never funded."),
    )
    min_votes_percent = models.PositiveSmallIntegerField(
        _("minimum share of the ballots for a project to be funded (%)"),
        default=0,
        help_text=_("For example 10: a project chosen on fewer than 10 % of the ballots is not funded. 0: none."),
    )
    # Ties: lowest cost, then most votes, then this order, drawn at random when the
    # vote opens and published on the budget page (project ids, first wins a tie).
    tie_draw = models.JSONField(default=list, blank=True)
    tie_drawn_at = models.DateTimeField(_("tie-breaking order drawn at"), null=True, blank=True)
    voting_started_at = models.DateTimeField(_("first ballot"), null=True, blank=True)
    # What the public results page shows, frozen when the officer publishes.
    result = models.JSONField(default=dict, blank=True)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    # A budget imported from a .pb file (a past edition to recount): no online vote.
    imported_from = models.CharField(_("imported from"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["weight", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(min_percent__lte=100), name="budget_min_percent_le_100"),
            models.CheckConstraint(condition=Q(min_votes_percent__lte=100), name="budget_min_votes_percent_le_100"),
            models.CheckConstraint(
                condition=Q(max_projects__isnull=True) | Q(max_projects__gte=models.F("min_projects")),
                name="budget_min_le_max_projects",
            ),
            models.CheckConstraint(
                condition=Q(points_max__isnull=True) | Q(points_max__gte=models.F("points_min")),
                name="budget_points_min_le_max",
            ),
        ]

    def __str__(self):
        return translated(self.title)

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None

    def winner_ids(self) -> list[int]:
        """The projects the published count selected, in selection order; empty
        while no result is published. The only place where winners are stored:
        the results page, the project pages, the exports and the follow-up all
        read it, so they can never disagree."""
        if not self.results_published:
            return []
        return [int(pk) for pk in (self.result or {}).get("selected", [])]

    def get_absolute_url(self):
        return reverse("budgets:budget", kwargs={**self.component.url_kwargs(), "budget_id": self.pk})

    def get_results_url(self):
        return reverse("budgets:results", kwargs={**self.component.url_kwargs(), "budget_id": self.pk})

    def get_my_receipt_url(self):
        """The printable receipt of the visitor's own ballot in this budget."""
        return reverse("budgets:my_receipt", kwargs={**self.component.url_kwargs(), "budget_id": self.pk})

    def get_ballots_pb_url(self):
        """The open record: the anonymised ballots of the published count (.pb)."""
        return reverse("budgets:ballots_pb", kwargs={**self.component.url_kwargs(), "budget_id": self.pk})

    def get_ballots_csv_url(self):
        return reverse("budgets:ballots_csv", kwargs={**self.component.url_kwargs(), "budget_id": self.pk})

    def get_receipt_check_url(self):
        """The page where anyone checks a receipt code (one per budgets component)."""
        return receipt_check_url(self.component)


def receipt_check_url(component) -> str:
    return reverse("budgets:receipt", kwargs=component.url_kwargs())


class Project(models.Model):
    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="+")
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    title = TranslatedField(_("title"))
    # Sanitized with nh3 by the services before it is saved.
    description = TranslatedField(_("description"))
    cost = models.PositiveBigIntegerField(_("cost (euros)"))
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
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # Stored upright and without metadata, with smaller copies (agora.core.images): public files.
    image = ImageUploadField(_("image"), upload_to=RandomName("budgets"), blank=True)
    image_alt = TranslatedField(_("image description"))
    image_variants = models.JSONField(default=dict, blank=True)
    proposals = models.ManyToManyField(
        "proposals.Proposal", blank=True, related_name="budget_projects", verbose_name=_("linked ideas")
    )
    weight = models.IntegerField(_("order"), default=0)
    # Identifier in a pabulib file this project came from (recount of a past edition).
    external_id = models.CharField(max_length=100, blank=True)
    # Whether a project won is never stored here: the one source of truth is the
    # published count, `Budget.result["selected"]` (Budget.winner_ids()).

    # Counters kept in the same transaction as the rows they count.
    votes_online = models.PositiveIntegerField(default=0)  # online and desk ballots choosing it
    votes_paper = models.PositiveIntegerField(default=0)  # paper ballots + imported station counts
    points_online = models.PositiveBigIntegerField(default=0)  # points (points rule) or Borda score (ranking)
    points_paper = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    # Pictures for manage.py make_picture_copies: (file field, variants field, which rows).
    PICTURES: list[tuple[str, str, dict]] = [("image", "image_variants", {})]

    class Meta:
        ordering = ["weight", "id"]

    def __str__(self):
        return translated(self.title)

    @property
    def votes_total(self) -> int:
        return self.votes_online + self.votes_paper

    @property
    def points_total(self) -> int:
        return self.points_online + self.points_paper

    def get_absolute_url(self):
        return reverse(
            "budgets:project",
            kwargs={**self.component.url_kwargs(), "budget_id": self.budget_id, "project_id": self.pk},
        )

    def picture(self, *, wanted: int = 640):
        """What an <img> of the project's image needs (agora.core.images.Picture), or None."""
        if not self.image:
            return None

        storage, name = self.image.storage, str(self.image.name)
        return picture(
            self.image_variants,
            lambda width: storage.url(variant_name(name, width) if width else name),
            alt=translated(self.image_alt),
            wanted=wanted,
        )

    @property
    def card_picture(self):
        return self.picture(wanted=320)


class ProjectDocument(models.Model):
    """A document of a project (PDF, ODT, DOCX), checked by its content."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = UploadField(_("file"), upload_to=RandomName("budgets/documents"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class Ballot(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        DESK = "desk", _("At a desk")
        PAPER = "paper", _("Paper")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")
    # Null for anonymous paper ballots (and if an account row were ever removed:
    # the ballot and the totals stay).
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Filled only in the "one budget of the person's choice" mode.
    exclusive_component = models.ForeignKey(
        "components.Component", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    # Random, unrelated to the choices: the voter's receipt (never published).
    receipt = models.CharField(max_length=20, unique=True)
    # Another random id, the ballot's name in exports (sorted by it, so the
    # order of exported ballots says nothing about when people voted).
    public_id = models.CharField(max_length=16, unique=True)
    reference = models.CharField(_("batch or polling station"), max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "voter"], condition=Q(voter__isnull=False), name="budgets_one_ballot_per_person"
            ),
            models.UniqueConstraint(
                fields=["voter", "exclusive_component"],
                condition=Q(voter__isnull=False, exclusive_component__isnull=False),
                name="budgets_one_budget_per_person",
            ),
        ]

    def __str__(self):
        return self.receipt

    @property
    def is_paper(self) -> bool:
        return self.channel == self.Channel.PAPER


class Choice(models.Model):
    """One project on a ballot: `value` is 1 (approval, envelope, savings),
    the points given (points) or the rank, 1 = first (ranking)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="choices")
    value = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "project"], name="budgets_one_choice_per_project"),
            models.CheckConstraint(condition=Q(value__gte=1), name="budgets_choice_value_positive"),
        ]


class PaperImport(models.Model):
    """A CSV file of per-project counts per polling station, imported whole or not at all."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="paper_imports")
    filename = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]


class PaperCount(models.Model):
    paper_import = models.ForeignKey(PaperImport, on_delete=models.CASCADE, related_name="counts")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="paper_counts")
    station = models.CharField(_("polling station"), max_length=100)
    votes = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "station"], name="budgets_one_count_per_station"),
        ]


class Incompatibility(models.Model):
    """Two projects of a budget that cannot both be funded (the same plot, the
    same service's year ...): the count funds at most one (agora.tally.constraints).
    Public, with its reason, on the budget and results pages and in the public log."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="incompatibilities")
    first = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="budgets_incompatibility_ordered"),
            models.UniqueConstraint(fields=["first", "second"], name="budgets_incompatibility_once"),
        ]


class Override(models.Model):
    """The city's decision on one project's outcome, whatever its votes: funded
    (its cost comes off the envelope first) or excluded. Public, with its reason,
    as CONSUL's: shown on the results page and in the public log."""

    class Decision(models.TextChoices):
        FUND = "fund", _("Funded by decision of the city")
        EXCLUDE = "exclude", _("Not funded by decision of the city")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="overrides")
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="override")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class BallotRecord(models.Model):
    """The open record of a published count: the anonymised ballots as the
    pabulib file the count was made from (no voter, receipt, public id, batch
    or station; ballots ordered by content), frozen when the results are
    published and served on the results page, so that anyone recounts the
    published result from it (pb_tally). Its SHA-256 is in the public log. A
    table of its own: the budget row, read by every ballot page, stays small."""

    budget = models.OneToOneField(Budget, on_delete=models.CASCADE, related_name="ballot_record")
    pb_text = models.TextField()
    sha256 = models.CharField(max_length=64)
    ballots = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
