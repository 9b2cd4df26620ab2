"""Citizen initiatives (right of interpellation, petitions): types defined by
the officers with their ordered tiers, the initiatives filed by residents,
their promoter committee, their signatures (one per person per initiative,
online and on paper, held by the database) and the tiers each reached.

The hot row is `Initiative.signature_count`: a signature inserts its row, then
adds one to the count in a single UPDATE ... RETURNING (services.sign), so
parallel signatures never read a stale count; a tier is reached by the
conditional UPDATE of its `InitiativeTier` row (reached_at IS NULL), which
only one transaction can win."""

import math
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.core.files import RandomName, UploadField, private_storage
from agora.core.translations import TranslatedField, translated
from agora.moderation.querysets import ModeratedQuerySet

# The fields of an eligibility rule a type carries for filing and for signing
# (agora.verifications.models.EligibilityRule, built unsaved from them).
RULE_FIELDS = ("methods", "require_all", "min_age", "max_age", "postal_codes", "match_scope")


class InitiativeType(models.Model):
    """What kind of initiative residents may file, as the officer defines it."""

    class Signing(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("On paper")
        BOTH = "both", _("Online and on paper")

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="initiative_types")
    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"))
    signing = models.CharField(_("signing"), max_length=10, choices=Signing.choices, default=Signing.BOTH)
    committee_minimum = models.PositiveSmallIntegerField(
        _("members of the promoter committee"),
        default=0,
        help_text=_("How many people besides the author must accept the invitation before it can be submitted."),
    )
    signature_days = models.PositiveIntegerField(
        _("signature period (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty: the collection lasts as long as the windows of its tiers."),
    )
    withdrawal_allowed = models.BooleanField(_("signers may withdraw their signature"), default=False)
    population = models.PositiveIntegerField(
        _("population figure"),
        null=True,
        blank=True,
        help_text=_("For thresholds given as a percentage: the population they are a part of."),
    )
    # Eligibility rules (agora.verifications): {methods, require_all, min_age, max_age, postal_codes, match_scope}.
    file_rule = models.JSONField(default=dict, blank=True)
    sign_rule = models.JSONField(default=dict, blank=True)
    # Extra signer fields (agora.questionnaires), asked on signing online; the answers are
    # kept with the signature, for the staff alone.
    questionnaire = models.OneToOneField(
        "questionnaires.Questionnaire", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    weight = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["weight", "id"]

    def __str__(self):
        return translated(self.title)

    @property
    def online(self) -> bool:
        return self.signing in (self.Signing.ONLINE, self.Signing.BOTH)

    @property
    def paper(self) -> bool:
        return self.signing in (self.Signing.PAPER, self.Signing.BOTH)


class Tier(models.Model):
    """One step of a type: a threshold of signatures to reach within a window
    from publication, and what the city does then."""

    class Kind(models.TextChoices):
        MEDIATION = "mediation", _("Mediation with the elected officials")
        WORKSHOP = "workshop", _("Citizens' workshop")
        COUNCIL = "council", _("Debate in the council")
        VOTE = "vote", _("Citizen vote")
        OTHER = "other", pgettext_lazy("consequence", "Other")

    type = models.ForeignKey(InitiativeType, on_delete=models.CASCADE, related_name="tiers")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    threshold = models.PositiveIntegerField(_("signatures required"), null=True, blank=True)
    percent = models.DecimalField(
        _("or a percentage of the population"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    window_days = models.PositiveIntegerField(_("window from publication (days)"))
    kind = models.CharField(_("consequence"), max_length=12, choices=Kind.choices, default=Kind.MEDIATION)
    consequence = TranslatedField(_("what happens"))
    response_days = models.PositiveIntegerField(_("days for the city's response"), null=True, blank=True)

    class Meta:
        ordering = ["type", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["type", "position"], name="initiative_tier_position"),
            models.CheckConstraint(
                condition=Q(threshold__isnull=False) | Q(percent__isnull=False), name="initiative_tier_has_threshold"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.get_kind_display()}"


class ScopeThreshold(models.Model):
    """A tier's threshold in one scope (district), when it differs from the type's."""

    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="scope_thresholds")
    scope = models.ForeignKey("taxonomy.Scope", on_delete=models.CASCADE, related_name="+", verbose_name=_("scope"))
    threshold = models.PositiveIntegerField(_("signatures required"), null=True, blank=True)
    percent = models.DecimalField(
        _("or a percentage of the population"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    population = models.PositiveIntegerField(_("population of the scope"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tier", "scope"], name="initiative_scope_threshold"),
            models.CheckConstraint(
                condition=Q(threshold__isnull=False) | Q(percent__isnull=False, population__isnull=False),
                name="initiative_scope_threshold_has_number",
            ),
        ]


def required(threshold: int | None, percent: Decimal | None, population: int | None) -> int | None:
    """The number of signatures: the number given, else the percentage of the population, rounded up."""
    if threshold is not None:
        return threshold
    if percent is not None and population:
        return max(1, math.ceil(Decimal(population) * Decimal(percent) / 100))
    return None


class InitiativeQuerySet(ModeratedQuerySet):
    def public(self):
        return self.filter(state__in=Initiative.PUBLIC_STATES)


class Initiative(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("initiative", "Draft")
        COMMITTEE = "committee", _("Gathering its committee")
        SUBMITTED = "submitted", _("Being checked by the city")
        REFUSED = "refused", _("Not admissible")
        COLLECTING = "collecting", _("Collecting signatures")
        CLOSED = "closed", _("Collection over, awaiting the city's response")
        ANSWERED = "answered", pgettext_lazy("initiative", "Answered")
        LAPSED = "lapsed", pgettext_lazy("initiative", "Lapsed")

    PUBLIC_STATES = (State.REFUSED, State.COLLECTING, State.CLOSED, State.ANSWERED, State.LAPSED)

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="initiatives")
    type = models.ForeignKey(InitiativeType, on_delete=models.PROTECT, related_name="initiatives")
    title = models.CharField(_("title"), max_length=150)
    # The question a citizen vote would ask, if the initiative gets that far.
    question = models.CharField(_("question"), max_length=300, blank=True)
    body = models.TextField(_("text"))  # HTML made from the author's plain text (services)
    scope = models.ForeignKey(
        "taxonomy.Scope", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("scope")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    refusal_reason = models.TextField(_("reason"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Signatures are taken until then: the window of the next tier not reached (services).
    open_until = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The hot row: valid signatures (online, paper lines) plus the counts of paper sheets.
    signature_count = models.PositiveIntegerField(default=0)
    # The last progress notice sent for the next tier (33, 66): one notice per mark.
    progress_mark = models.PositiveSmallIntegerField(default=0)
    # The threshold of the next tier not reached (None: none left): a signature reads the
    # tiers only when its count reaches it or one of its progress marks (services.sign).
    next_threshold = models.PositiveIntegerField(null=True, blank=True)
    # Set by the citizen-vote component when it opens a vote on the initiative (api.vote_opened).
    vote_reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["state", "open_until"], name="initiative_due_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:detail", kwargs={**self.component.url_kwargs(), "initiative_id": self.pk})

    @property
    def is_public(self) -> bool:
        return self.state in self.PUBLIC_STATES

    def collecting_at(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == self.State.COLLECTING and (self.open_until is None or now < self.open_until)


class InitiativeTier(models.Model):
    """A tier of the type as it applies to one initiative, fixed when the
    initiative is published (the threshold of its scope, the window's end):
    later changes to the type do not move the goal posts. `reached_at` is set
    once, by a conditional UPDATE; the unique constraint keeps one row per
    (initiative, tier)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="tiers")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    threshold = models.PositiveIntegerField()
    window_ends_at = models.DateTimeField()
    reached_at = models.DateTimeField(null=True, blank=True)
    reached_count = models.PositiveIntegerField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True)
    # The city's response (mediation report, decision ...), HTML sanitized by the services.
    response = TranslatedField(_("response"))
    answered_at = models.DateTimeField(null=True, blank=True)
    # The verification sample: seed published before the draw, then the draw.
    sample_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    sample_seed = models.CharField(max_length=128, blank=True)
    seed_published_at = models.DateTimeField(null=True, blank=True)
    sample_drawn_at = models.DateTimeField(null=True, blank=True)
    sample_population = models.JSONField(default=list, blank=True)  # the signature ids drawn from, in order
    sample = models.JSONField(default=list, blank=True)  # the signature ids drawn, in the order drawn
    # The outcome of the check, recorded by the staff once the drawn signatures are checked (public).
    sample_checked_at = models.DateTimeField(null=True, blank=True)
    sample_struck = models.PositiveIntegerField(null=True, blank=True)  # drawn signatures found invalid
    sample_outcome = models.TextField(_("conclusion of the check"), blank=True)
    # When strikes (or withdrawals) last took the count below the threshold of this reached
    # tier: the tier stays reached, the page says so while the count is below (services.strike).
    below_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["initiative", "position"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "tier"], name="initiative_tier_once"),
        ]

    def __str__(self):
        return f"{self.initiative} · {self.position}"

    @property
    def kind(self) -> str:
        return self.tier.kind


class CommitteeMember(models.Model):
    """A person the author invited to the promoter committee."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="committee")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="initiative_committee_once")]


class Signature(models.Model):
    """One person's signature: online (an account) or a line of a paper sheet
    entered by the staff. `person_key` is the civil identity's salted key
    (agora.verifications.identity.person_key) when known, so one person signs
    once whatever the channel; the account's own key otherwise."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("On paper")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="signatures")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person_key = models.CharField(max_length=64)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    public = models.BooleanField(_("show my name among the signers"), default=False)
    public_name = models.CharField(max_length=150, blank=True)
    # Paper lines: which sheet and line, and who entered it (names are not kept, only the key).
    sheet = models.ForeignKey("PaperSheet", on_delete=models.SET_NULL, null=True, blank=True, related_name="lines")
    line = models.PositiveSmallIntegerField(null=True, blank=True)
    signed_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    struck_at = models.DateTimeField(null=True, blank=True)
    struck_reason = models.CharField(max_length=300, blank=True)
    # The answers to the type's extra signer fields (staff only; erased with the account).
    answer_set = models.OneToOneField(
        "questionnaires.AnswerSet", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "person_key"], name="one_signature_per_person"),
            models.UniqueConstraint(
                fields=["initiative", "user"], condition=Q(user__isnull=False), name="one_signature_per_account"
            ),
        ]


class PaperSheet(models.Model):
    """A paper sheet brought to the city: entered line by line (its lines are
    signatures), or counted (`count`) with its scan attached."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="sheets")
    number = models.PositiveIntegerField(_("sheet number"))
    count = models.PositiveIntegerField(_("signatures counted"), null=True, blank=True)
    scan = UploadField(upload_to=RandomName("initiatives/sheets"), storage=private_storage, blank=True)
    # A counted sheet: the SHA-256 of its scan (the same scan is not counted twice) and the date
    # of its last signature (whether it was signed within a tier's window).
    scan_sha256 = models.CharField(max_length=64, blank=True)
    last_signed_on = models.DateField(_("date of the last signature on the sheet"), null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["initiative", "number"], name="initiative_sheet_number")]
