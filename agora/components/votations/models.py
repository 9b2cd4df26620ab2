"""Citizen votes (votations): one or several questions put to the residents,
each with its options (yes/no or a list; one choice, several, or a ranking)
and its explanatory booklet; ballots online, at a desk and on paper.

Invariants the database holds:
- one ballot per person and vote, whatever the channel: unique (votation,
  voter) for accounts, unique (votation, person_key) for the civil identity
  (the key a census, document, in-person or OpenID Connect verification gives,
  and the one a paper ballot with the person's name and date of birth gives),
  so a person who voted online cannot also vote on paper, nor the reverse;
- one mark per ballot and option, one count per polling station and option;
- counters never negative; every counter of an option equals its rows
  (marks, station counts): the services change both in one transaction.

No public page links a ballot to a person: results read the counters, the
recount export carries the marks of each ballot in a shuffled order, without
voter, receipt, public id, station or date."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.core.files import RandomName, UploadField
from agora.core.translations import TranslatedField, translated


class Votation(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("votation", "In preparation")
        OPEN = "open", pgettext_lazy("votation", "Open")
        CLOSED = "closed", pgettext_lazy("votation", "Closed")

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="votations")
    title = TranslatedField(_("title"))
    # Sanitized HTML (agora.core.richtext) made by the services.
    description = TranslatedField(_("description"))
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    live_results = models.BooleanField(
        _("show the results while the vote is open"),
        default=False,
        help_text=_("Off: the results are shown once the vote is closed."),
    )
    electorate = models.PositiveIntegerField(
        _("number of people called to vote"),
        null=True,
        blank=True,
        help_text=_("For the turnout and a turnout quorum: the residents who may vote."),
    )
    # An initiative of an initiatives component that reached its "citizen vote" tier
    # (agora.components.initiatives.api): its number and address, once per initiative.
    initiative_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    initiative_url = models.CharField(max_length=300, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="votation_closes_after_opening",
            ),
        ]

    def __str__(self):
        return translated(self.title)

    def get_absolute_url(self):
        return reverse("votations:detail", kwargs={**self.component.url_kwargs(), "votation_id": self.pk})

    def open_now(self, now=None) -> bool:
        now = now or timezone.now()
        if self.state != self.State.OPEN:
            return False
        return (self.opens_at is None or self.opens_at <= now) and (self.closes_at is None or now < self.closes_at)

    def ended(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == self.State.CLOSED or (
            self.state == self.State.OPEN and self.closes_at is not None and now >= self.closes_at
        )

    @property
    def results_visible(self) -> bool:
        """The results are public once the vote ended, or while it is open when set so."""
        return self.ended() or (self.state == self.State.OPEN and self.live_results)


class Question(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes or no")
        SINGLE = "single", _("One option of a list")
        MULTIPLE = "multiple", _("Several options of a list")
        RANKED = "ranked", _("A ranking of the options")

    votation = models.ForeignKey(Votation, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    title = TranslatedField(_("question"))
    # The explanatory booklet: sanitized HTML (agora.core.richtext), and its documents.
    booklet = TranslatedField(_("explanatory booklet"))
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices, default=Kind.YES_NO)
    min_choices = models.PositiveSmallIntegerField(
        _("minimum number of options"), default=1, help_text=_("Several options or a ranking: at least this many.")
    )
    max_choices = models.PositiveSmallIntegerField(
        _("maximum number of options"),
        null=True,
        blank=True,
        help_text=_("Several options or a ranking: at most this many (empty: all)."),
    )
    blank_allowed = models.BooleanField(_("a voter may leave it blank"), default=True)
    # The adoption rule: every condition set must hold.
    majority = models.BooleanField(
        _("a majority is required"),
        default=True,
        help_text=_("Yes or no: more yes than no. A list: the leading option on more than half of the answers."),
    )
    min_in_favour = models.PositiveIntegerField(
        _("minimum number of votes in favour"),
        null=True,
        blank=True,
        help_text=_("For example 16,000 (Grenoble): fewer votes in favour and the question is not adopted."),
    )
    quorum_percent = models.DecimalField(
        _("turnout quorum (% of the people called to vote)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["votation", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(max_choices__gte=models.F("min_choices")),
                name="votation_question_min_le_max",
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__isnull=True) | Q(quorum_percent__lte=100), name="votation_quorum_le_100"
            ),
        ]

    def __str__(self):
        return translated(self.title)

    @property
    def is_list(self) -> bool:
        return self.kind != self.Kind.YES_NO

    @property
    def counted_by_station(self) -> bool:
        """A polling station's counts say how many marked each option: not a ranking."""
        return self.kind != self.Kind.RANKED


class Option(models.Model):
    class Role(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        OTHER = "", _("An option of a list")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    label = TranslatedField(_("option"))
    role = models.CharField(max_length=3, choices=Role.choices, blank=True, default=Role.OTHER)
    # Counters kept in the same transaction as the rows they count.
    votes_online = models.PositiveIntegerField(default=0)  # online and desk ballots marking it
    votes_paper = models.PositiveIntegerField(default=0)  # paper ballots and polling-station counts
    # Rankings: the places given, as points (the first of n options gets n points ...).
    points_online = models.PositiveIntegerField(default=0)
    points_paper = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["question", "position", "id"]

    def __str__(self):
        return translated(self.label)

    @property
    def votes_total(self) -> int:
        return self.votes_online + self.votes_paper

    @property
    def points_total(self) -> int:
        return self.points_online + self.points_paper


class Document(models.Model):
    """A document of a question's booklet (PDF, ODT, DOCX), checked by its content."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = UploadField(_("file"), upload_to=RandomName("votations/documents"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class Ballot(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        DESK = "desk", _("At a desk")
        PAPER = "paper", _("On paper")

    votation = models.ForeignKey(Votation, on_delete=models.CASCADE, related_name="ballots")
    # Null for a paper ballot entered by the staff (and if an account were removed: the ballot stays).
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The person's key (civil identity, else "account:<id>"); empty for an anonymous paper ballot.
    person_key = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    # Random, unrelated to the marks: the voter's receipt (never published).
    receipt = models.CharField(max_length=20, unique=True)
    station = models.CharField(_("polling station"), max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["votation", "voter"], condition=Q(voter__isnull=False), name="votations_one_ballot_per_account"
            ),
            models.UniqueConstraint(
                fields=["votation", "person_key"], condition=~Q(person_key=""), name="votations_one_ballot_per_person"
            ),
        ]

    def __str__(self):
        return self.receipt


class Mark(models.Model):
    """An option marked on a ballot: `value` is 1, or the place (1 = first) in a ranking."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="marks")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="marks")
    value = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="votations_one_mark_per_option"),
            models.CheckConstraint(condition=Q(value__gte=1), name="votations_mark_value_positive"),
        ]


class StationCount(models.Model):
    """The count of a polling station's paper ballots, entered by the staff:
    how many ballots, and per option how many marked it (StationVotes)."""

    votation = models.ForeignKey(Votation, on_delete=models.CASCADE, related_name="station_counts")
    station = models.CharField(_("polling station"), max_length=100)
    ballots = models.PositiveIntegerField(_("ballots in the box"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["station"]
        constraints = [models.UniqueConstraint(fields=["votation", "station"], name="votations_one_count_per_station")]

    def __str__(self):
        return self.station


class StationVotes(models.Model):
    count = models.ForeignKey(StationCount, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="station_votes")
    votes = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["count", "option"], name="votations_one_station_vote")]
