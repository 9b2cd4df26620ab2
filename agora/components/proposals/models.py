"""Ideas (proposals) filed by participants or by the organization, their
supports, attachments and custom fields, and the states the city's services
give them when they answer.

Invariants the database holds: one support per person and idea, counters
never negative, one state token per component, one custom-field key per
component. Limits that depend on settings (ideas and supports per person,
threshold) are enforced by the services under row locks.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.core.files import RandomName, UploadField, private_storage
from agora.core.images import picture
from agora.core.translations import TranslatedField, translated
from agora.moderation.querysets import ModeratedQuerySet


class ProposalState(models.Model):
    """A state the services give ideas, defined per component with a colour
    ("recevable", "en étude", "retenu" ...). `meaning` tells the rest of the
    platform what the state stands for (accepted ideas can become budget
    projects or results), whatever its name."""

    class Meaning(models.TextChoices):
        NONE = "none", _("No particular meaning")
        EVALUATING = "evaluating", _("Being studied")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="proposal_states")
    token = models.SlugField(_("code"), max_length=40)
    name = TranslatedField(_("name"))
    colour = models.CharField(_("colour"), max_length=7, default="#4a4a4a")
    meaning = models.CharField(_("meaning"), max_length=12, choices=Meaning.choices, default=Meaning.NONE)
    weight = models.IntegerField(_("order"), default=0)

    class Meta:
        ordering = ["weight", "id"]
        constraints = [models.UniqueConstraint(fields=["component", "token"], name="proposal_state_token_unique")]

    def __str__(self):
        return translated(self.name) or self.token


class CustomField(models.Model):
    """An extra question of the idea form, defined by the officer. A
    confidential answer is shown only to staff and to the idea's author."""

    class Kind(models.TextChoices):
        CHECKBOX = "checkbox", _("Checkbox")
        CHOICE = "choice", _("Choice list")
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="proposal_fields")
    key = models.SlugField(_("code"), max_length=40)
    label = TranslatedField(_("label"))
    help_text = TranslatedField(_("help text"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    # For choice lists: [{"value": "velo", "label": {"fr": "Vélo", "en": "Bike"}}, ...]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Only staff and the idea's author see the answer; never in public pages or public exports."),
    )
    weight = models.IntegerField(_("order"), default=0)

    class Meta:
        ordering = ["weight", "id"]
        constraints = [models.UniqueConstraint(fields=["component", "key"], name="proposal_field_key_unique")]

    def __str__(self):
        return translated(self.label) or self.key


class ProposalQuerySet(ModeratedQuerySet):
    """`.visible()` (from agora.moderation) drops ideas moderation hid: every
    public read of ideas goes through it."""

    def published(self):
        """Published or withdrawn: what the public may see (withdrawn ideas stay visible)."""
        return self.exclude(status=Proposal.Status.DRAFT)

    def active(self):
        return self.filter(status=Proposal.Status.PUBLISHED)


class Proposal(models.Model):
    """An idea. A draft is visible to its author only; published ideas are
    public; a withdrawn idea stays visible under its own filter and is never
    deleted.

    The services' answer lives in two copies: `state`/`answer` are the
    working copy staff edit; `published_state`/`published_answer` are what
    the public sees, copied when the answer is published (at once or later
    in bulk)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Channel(models.TextChoices):
        """How the idea reached the organization (shown on the idea, in exports and statistics)."""

        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper form")
        DESK = "desk", _("At a desk")
        MEETING = "meeting", _("At a meeting")

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="proposals")
    # Null for official ideas authored by the organization, and for ideas staff
    # entered from a paper form of a resident without an account (`author_name`).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("author"),
    )
    official = models.BooleanField(_("official idea of the organization"), default=False)
    # The resident's name as written on a paper form (shown publicly) when the idea has no author account.
    author_name = models.CharField(_("name of the resident"), max_length=150, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("description"))
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
        verbose_name=_("scope"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # {custom field key: value}; confidential ones are filtered by the selectors.
    custom_values = models.JSONField(default=dict, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    reference = models.CharField(_("reference"), max_length=40, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    # Working copy of the services' answer (staff only).
    state = models.ForeignKey(
        ProposalState, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("state")
    )
    answer = TranslatedField(_("answer"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # What the public sees.
    published_state = models.ForeignKey(
        ProposalState,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published state"),
    )
    published_answer = TranslatedField(_("published answer"))
    answer_published_at = models.DateTimeField(_("answer published at"), null=True, blank=True)

    # Kept by the services in the same transaction as the supports (comment
    # counts come from agora.comments in one grouped query).
    supports_count = models.PositiveIntegerField(default=0)
    # Accent-free, stemmed words of title and body, for search and similar ideas.
    search_text = models.TextField(blank=True, editable=False)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            # The list's orders with their tie-breaks: "recent" reads the index
            # alone (and so does "random", which needs every id of the list).
            models.Index(fields=["component", "status", "-published_at", "-id"], name="proposal_list_recent_idx"),
            models.Index(
                fields=["component", "status", "-supports_count", "-published_at", "-id"],
                name="proposal_list_supported_idx",
            ),
            models.Index(fields=["author", "component"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(official=True) | Q(author__isnull=False) | ~Q(author_name=""),
                name="proposal_has_author_or_is_official",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | (Q(latitude__gte=-90) & Q(latitude__lte=90)),
                name="proposal_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | (Q(longitude__gte=-180) & Q(longitude__lte=180)),
                name="proposal_longitude_range",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def byline(self) -> str:
        """Who proposed it, as pages show it (the organization's name for an official idea
        is the template's: it has the organization at hand)."""
        if self.author_id and self.author is not None:
            return self.author.public_name
        return self.author_name

    @property
    def is_online(self) -> bool:
        return self.channel == self.Channel.ONLINE

    def get_absolute_url(self):
        return f"{index_url(self.component)}{self.pk}/"


def index_url(component) -> str:
    """The component's list URL, reversed once per component object (a list
    page links every card, its support form ...): an idea's pages are
    "<list URL><id>/" and "<list URL><id>/<action>/" (urls.py)."""
    memo = component.__dict__.setdefault("_proposals_memo", {})
    if "index_url" not in memo:
        memo["index_url"] = reverse("proposals:index", kwargs=component.url_kwargs())
    return memo["index_url"]


class Support(models.Model):
    """One person supports one idea once. `component` is repeated so that
    counting a person's supports in a component is one indexed query."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_supports")
    # False while the person has given fewer supports than the component's
    # "minimum supports before they count"; the idea's supports_count only
    # counts counted supports.
    counted = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_person")]
        indexes = [models.Index(fields=["user", "component"])]


class ParticipantQuota(models.Model):
    """The row the services lock (SELECT ... FOR UPDATE) before counting a
    person's ideas or supports in a component, so that parallel requests
    cannot both pass a per-person limit."""

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    proposals_count = models.PositiveIntegerField(default=0)
    supports_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["component", "user"], name="one_quota_per_person")]


class Attachment(models.Model):
    """A file attached to an idea, checked by content when uploaded. A
    picture is stored upright and without its metadata (agora.core.images),
    with a description for people who cannot see it (`alt_text`, required
    for pictures) and its smaller copies (`variants`), private files like it."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        DOCUMENT = "document", _("Document")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = UploadField(_("file"), upload_to=RandomName("proposals"), storage=private_storage)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    # The type found from the content (not from the name the browser sent).
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # Pictures: what the picture shows, for people who cannot see it.
    alt_text = models.CharField(_("description of the picture"), max_length=300, blank=True)
    # Pictures: {"width", "height", "sizes": [[width, height], ...]} of agora.core.images.make_variants.
    variants = models.JSONField(default=dict, blank=True)
    weight = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    # Pictures for manage.py make_picture_copies: (file field, variants field, which rows).
    PICTURES = [("file", "variants", {"kind": "image"})]

    class Meta:
        ordering = ["weight", "id"]

    def __str__(self):
        return self.title

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE

    def get_absolute_url(self) -> str:
        return f"{self.proposal.get_absolute_url()}attachments/{self.pk}/"

    def picture(self, *, wanted: int = 640):
        """What an <img> of this picture needs (agora.core.images.Picture); its
        variants are served by the attachment's view, after the same check."""
        base = self.get_absolute_url()
        return picture(
            self.variants,
            lambda width: f"{base}{width}/" if width else base,
            alt=self.alt_text or self.title,
            wanted=wanted,
        )


class OfferedTaxonomy(models.Model):
    """The categories and scopes a component offers in its idea form, chosen
    by the officer among those of the space. None chosen: all of the space's."""

    component = models.OneToOneField("components.Component", on_delete=models.CASCADE, related_name="+")
    categories = models.ManyToManyField(
        "taxonomy.Category", blank=True, related_name="+", verbose_name=_("categories offered")
    )
    scopes = models.ManyToManyField("taxonomy.Scope", blank=True, related_name="+", verbose_name=_("scopes offered"))


class MapLayer(models.Model):
    """A KML layer (districts, cantons ...) the officer uploads, drawn over
    the ideas' map. The KML is converted once to GeoJSON for the page."""

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="proposal_layers")
    name = TranslatedField(_("name"))
    geojson = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return translated(self.name)


class IdeaImport(models.Model):
    """A CSV or XLSX file of ideas collected on paper (or at a meeting), read
    once into `rows` and kept for the officer's preview; applied all rows or
    none. Who, when and the file's hash also go to the action log."""

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    # [[line number, {column: text}], ...] as read from the file.
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.filename or f"#{self.pk}"
