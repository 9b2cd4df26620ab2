"""Follow-up of results: what became of the ideas and of the voted projects.

A `Result` is something the city commits to deliver (usually a winning
budget project or an accepted idea). It has a status from the list the
officer defines per component (`Status`), a progress between 0 and 100,
a dated timeline (`Milestone`, with `MilestonePhoto`s) and may have
sub-results. A result with sub-results does not hold its own progress: the
services set it to the plain mean of its children's, in the same
transaction as any change of a child (see services.recompute_ancestors).

Invariants the database holds: progress between 0 and 100 (results and
statuses), one status code per component, one reference per component,
latitude and longitude in range, a result is not its own parent.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.core.files import ImageUploadField, RandomName
from agora.core.images import picture, variant_name
from agora.core.translations import TranslatedField, translated

PROGRESS_RANGE = Q(progress__gte=0) & Q(progress__lte=100)


class Status(models.Model):
    """A step of realisation defined by the officer ("en étude", "travaux en
    cours", "réalisé", "abandonné"). Choosing it on a result can set a
    default progress."""

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="result_statuses")
    token = models.SlugField(_("code"), max_length=40)
    name = TranslatedField(_("name"))
    description = TranslatedField(_("description"))
    progress = models.PositiveSmallIntegerField(
        _("default progress (%)"),
        null=True,
        blank=True,
        help_text=_("Optional. Choosing this status sets the result's progress to this value."),
    )
    weight = models.IntegerField(_("order"), default=0)

    class Meta:
        ordering = ["weight", "id"]
        verbose_name = _("status")
        verbose_name_plural = _("statuses")
        constraints = [
            models.UniqueConstraint(fields=["component", "token"], name="result_status_token_unique"),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | PROGRESS_RANGE, name="result_status_progress_range"
            ),
        ]

    def __str__(self):
        return translated(self.name) or self.token


class Result(models.Model):
    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="results")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent result"),
    )
    # Free code from the services' own tracking tools; the CSV import matches on it.
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    title = TranslatedField(_("title"))
    # Sanitized with nh3 by the services before it is saved.
    description = TranslatedField(_("description"))
    category = models.ForeignKey(
        "taxonomy.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    scope = models.ForeignKey(
        "taxonomy.Scope",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.ForeignKey(
        Status, on_delete=models.SET_NULL, null=True, blank=True, related_name="results", verbose_name=_("status")
    )
    progress = models.DecimalField(_("progress (%)"), max_digits=5, decimal_places=2, default=Decimal("0"))
    weight = models.IntegerField(_("order"), default=0)
    # Where the result comes from; the reverse names give "what became of it"
    # on the idea (proposal.follow_up) and on the project (project.follow_up):
    # not "results", which on a budget's project would read as its count.
    proposals = models.ManyToManyField(
        "proposals.Proposal", blank=True, related_name="follow_up", verbose_name=_("ideas")
    )
    projects = models.ManyToManyField(
        "budgets.Project", blank=True, related_name="follow_up", verbose_name=_("budget projects")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["weight", "id"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        indexes = [models.Index(fields=["component", "parent", "weight"])]
        constraints = [
            models.CheckConstraint(condition=PROGRESS_RANGE, name="result_progress_range"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="result_not_its_own_parent"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | (Q(latitude__gte=-90) & Q(latitude__lte=90)),
                name="result_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | (Q(longitude__gte=-180) & Q(longitude__lte=180)),
                name="result_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="result_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["component", "reference"], condition=~Q(reference=""), name="result_reference_unique"
            ),
        ]

    def __str__(self):
        return translated(self.title) or f"#{self.pk}"

    @property
    def progress_percent(self) -> int:
        """Rounded for display ("65 %")."""
        return int(Decimal(str(self.progress or 0)).quantize(Decimal("1"), rounding="ROUND_HALF_UP"))

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def get_absolute_url(self):
        return reverse("accountability:detail", kwargs={**self.component.url_kwargs(), "result_id": self.pk})

    @property
    def card_picture(self):
        """The first photo of its milestones (by date), as lists annotate it
        (selectors.results: cover_image, cover_alt, cover_variants), or None."""
        name = getattr(self, "cover_image", None)
        if not name:
            return None
        storage = MilestonePhoto._meta.get_field("image").storage
        return picture(
            getattr(self, "cover_variants", None) or {},
            lambda width: storage.url(variant_name(name, width) if width else name),
            alt=translated(getattr(self, "cover_alt", None) or {}),
            wanted=320,
        )


class Milestone(models.Model):
    """A dated step on a result's timeline ("works started", "inauguration")."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("date"))
    title = TranslatedField(_("title"))
    description = TranslatedField(_("text"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return translated(self.title) or str(self.date)


class MilestonePhoto(models.Model):
    """A photo of a milestone, checked by content; its description is required."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="photos")
    image = ImageUploadField(_("photo"), upload_to=RandomName("results"))
    alt = TranslatedField(_("photo description"))
    # Smaller WebP copies made on upload (agora.core.images.make_variants): {"width", "height", "sizes"}.
    variants = models.JSONField(default=dict, blank=True)
    weight = models.IntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    # Pictures for manage.py make_picture_copies: (file field, variants field, which rows).
    PICTURES: list[tuple[str, str, dict]] = [("image", "variants", {})]

    class Meta:
        ordering = ["weight", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return translated(self.alt) or self.image.name

    def picture(self, *, wanted: int = 640):
        """What an <img> of the photo needs (agora.core.images.Picture)."""
        storage, name = self.image.storage, str(self.image.name)
        return picture(
            self.variants,
            lambda width: storage.url(variant_name(name, width) if width else name),
            alt=translated(self.alt),
            wanted=wanted,
        )
