from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.core.files import ImageUploadField, RandomName
from agora.core.images import picture, variant_name
from agora.core.translations import TranslatedField, translated


class ProcessGroup(models.Model):
    """Processes that belong together (for example every edition of a budget)."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="process_groups")
    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"))

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return translated(self.title)

    def get_absolute_url(self):
        return reverse("spaces:process_group", kwargs={"group_id": self.pk})


# Open to anyone, or private but transparent (readable by all, members take part).
PUBLIC_ACCESS = Q(private=False) | Q(transparent=True)


class SpaceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())

    def readable_by_anyone(self):
        """Published spaces any visitor may read (see Space.is_public)."""
        return self.published().filter(PUBLIC_ACCESS)

    def processes(self):
        return self.filter(kind=Space.Kind.PROCESS)

    def assemblies(self):
        return self.filter(kind=Space.Kind.ASSEMBLY)


class Space(models.Model):
    """A participatory space: a process (with phases) or an assembly (a
    permanent body). One table with a kind rather than multi-table
    inheritance: components, roles and the action log point at one thing."""

    class Kind(models.TextChoices):
        PROCESS = "process", _("Participatory process")
        ASSEMBLY = "assembly", _("Assembly")

    URL_PREFIX = {Kind.PROCESS: "processes", Kind.ASSEMBLY: "assemblies"}

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="spaces")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    slug = models.SlugField(_("slug"), max_length=80)
    title = TranslatedField(_("title"))
    subtitle = TranslatedField(_("subtitle"))
    short_description = TranslatedField(_("short description"))
    description = TranslatedField(_("description"))
    hero_image = ImageUploadField(_("hero image"), upload_to=RandomName("spaces/heroes"), blank=True)
    hero_image_alt = TranslatedField(_("hero image description"))
    # Smaller WebP copies made on upload (agora.core.images.make_variants): {"width", "height", "sizes"}.
    hero_image_variants = models.JSONField(default=dict, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    scope = models.ForeignKey(
        "taxonomy.Scope",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("territory"),
    )
    categories = models.ManyToManyField(
        "taxonomy.Category",
        blank=True,
        related_name="+",
        verbose_name=_("categories that apply"),
        help_text=_("None selected: all categories of the organization apply."),
    )
    scopes = models.ManyToManyField(
        "taxonomy.Scope",
        blank=True,
        related_name="+",
        verbose_name=_("scopes that apply"),
        help_text=_("None selected: all scopes of the organization apply."),
    )
    group = models.ForeignKey(
        ProcessGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="processes",
        verbose_name=_("process group"),
    )
    promoted = models.BooleanField(_("promoted on the home page"), default=False)
    private = models.BooleanField(_("private (members only)"), default=False)
    # Assemblies: a private but transparent assembly is readable by everyone,
    # only its members take part.
    transparent = models.BooleanField(_("transparent"), default=False)
    purpose = TranslatedField(_("purpose"))
    composition = TranslatedField(_("composition"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent assembly"),
    )
    weight = models.IntegerField(_("order"), default=0)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SpaceQuerySet.as_manager()

    # Pictures for manage.py make_picture_copies: (file field, variants field, which rows).
    PICTURES: list[tuple[str, str, dict]] = [("hero_image", "hero_image_variants", {})]

    class Meta:
        ordering = ["weight", "-start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "slug"], name="unique_space_slug"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="space_dates_ordered",
            ),
        ]

    def __str__(self):
        return translated(self.title)

    def hero_picture(self, *, wanted: int = 1280):
        """What an <img> of the hero image needs (agora.core.images.Picture), or None."""
        if not self.hero_image:
            return None
        storage, name = self.hero_image.storage, str(self.hero_image.name)
        return picture(
            self.hero_image_variants,
            lambda width: storage.url(variant_name(name, width) if width else name),
            alt=translated(self.hero_image_alt),
            wanted=wanted,
        )

    @property
    def card_picture(self):
        return self.hero_picture(wanted=320)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()

    @property
    def is_public(self) -> bool:
        """Any visitor may read it: what exports, search and the home page may show."""
        return self.is_published and (not self.private or self.transparent)

    @property
    def is_process(self) -> bool:
        return self.kind == self.Kind.PROCESS

    @property
    def url_prefix(self) -> str:
        return self.URL_PREFIX[self.Kind(self.kind)]

    def get_absolute_url(self):
        name = "spaces:process" if self.is_process else "spaces:assembly"
        return reverse(name, kwargs={"slug": self.slug})

    @property
    def active_phase(self):
        # Read several times per page (phase settings): the phases are loaded
        # once per instance, as a prefetch would.
        if "phases" not in getattr(self, "_prefetched_objects_cache", {}):
            models.prefetch_related_objects([self], "phases")
        return next((phase for phase in self.phases.all() if phase.is_active), None)


class Phase(models.Model):
    """A step of a process, with dates and a call to action. One is active."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="phases")
    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    cta_text = TranslatedField(_("call to action"))
    cta_url = models.CharField(_("call to action link"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=False)
    # Activated by hand and kept: the daily switch by dates (sync_phases) leaves
    # the process alone until an officer lets the dates decide again.
    pinned = models.BooleanField(_("kept active by hand"), default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["space"], condition=Q(is_active=True), name="one_active_phase_per_space"),
            models.CheckConstraint(condition=Q(pinned=False) | Q(is_active=True), name="phase_pinned_is_active"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="phase_dates_ordered",
            ),
        ]

    def __str__(self):
        return translated(self.title)


class AssemblyMember(models.Model):
    """A member shown on an assembly's page: a user, or a named person
    without an account."""

    class Position(models.TextChoices):
        PRESIDENT = "president", _("President")
        VICE_PRESIDENT = "vice_president", _("Vice-president")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="assembly_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    position = models.CharField(
        pgettext_lazy("assembly member", "position"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    weight = models.IntegerField(_("order"), default=0)

    class Meta:
        ordering = ["weight", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(full_name=""), name="assembly_member_named"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.user.public_name if self.user_id else self.full_name


class SpaceMember(models.Model):
    """A person admitted to a private space."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_memberships")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["space", "user"], name="unique_space_member")]


class Role(models.Model):
    """A staff role. Organization admins have no space; every other role is
    held in one space."""

    class Name(models.TextChoices):
        ORGANIZATION_ADMIN = "org_admin", _("Organization admin")
        SPACE_ADMIN = "space_admin", _("Space admin")
        COLLABORATOR = "collaborator", _("Collaborator")
        MODERATOR = "moderator", _("Moderator")
        EVALUATOR = "evaluator", _("Evaluator")

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="roles")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, null=True, blank=True, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("role"), max_length=20, choices=Name.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(name="org_admin") & Q(space__isnull=True))
                | (~Q(name="org_admin") & Q(space__isnull=False)),
                name="role_scope_matches_name",
            ),
            models.UniqueConstraint(fields=["user", "space", "name"], name="unique_space_role"),
            models.UniqueConstraint(
                fields=["user", "organization", "name"], condition=Q(space__isnull=True), name="unique_org_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_name_display()}"
