from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.core import home
from agora.core.files import FontUploadField, ImageUploadField, RandomName
from agora.core.images import picture
from agora.core.translations import TranslatedField, translated
from agora.core.variants import variant_name

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


def interface_languages():
    """The installation's interface languages (settings.LANGUAGES), read when asked: a
    language added to the settings needs no migration."""
    return settings.LANGUAGES


class AccessibilityStatus(models.TextChoices):
    """The three states of the RGAA model statement. Without an audit a site
    is "non conforme"."""

    NON_COMPLIANT = "non_compliant", _("not compliant")
    PARTIALLY_COMPLIANT = "partially_compliant", _("partially compliant")
    FULLY_COMPLIANT = "fully_compliant", _("fully compliant")


class Organization(models.Model):
    """A tenant: a city, a region, a party or an NGO, found by host name."""

    class Registration(models.TextChoices):
        OPEN = "open", _("Open to everyone")
        INVITATION = "invitation", _("By invitation only")
        CLOSED = "closed", _("Closed")

    # Optional profile fields an organization may ask at registration; they
    # only feed participation statistics.
    PROFILE_FIELDS = {
        "age_bracket": _("Age bracket"),
        "gender": _("Gender"),
        "postal_code": _("Postal code"),
        "socio_professional_category": _("Socio-professional category"),
    }

    name = models.CharField(_("name"), max_length=200)
    host = models.CharField(_("host name"), max_length=255, unique=True)
    secondary_hosts = models.JSONField(_("other host names"), default=list, blank=True)
    logo = ImageUploadField(_("logo"), upload_to=RandomName("organizations/logos"), blank=True)
    favicon = ImageUploadField(
        _("favicon"),
        upload_to=RandomName("organizations/favicons"),
        blank=True,
        help_text=_("The small square picture browsers show in tabs and bookmarks (PNG, at least 48 × 48 pixels)."),
    )
    # A WOFF2 web font, checked by its content (agora.core.fonts), declared in /theme.css.
    font = FontUploadField(
        _("font"),
        upload_to=RandomName("organizations/fonts"),
        blank=True,
        help_text=_(
            "Optional: the organization's own font, as a WOFF2 file (at most 1 MB) that you may use on a "
            "website. Without it, pages use the system's font."
        ),
    )
    font_use = models.CharField(
        _("font used for"),
        max_length=12,
        choices=[("headings", _("Headings")), ("all", _("All the text"))],
        default="headings",
        help_text=_("A display font reads well in headings; for all the text choose a font made for reading."),
    )
    primary_colour = models.CharField(_("main colour"), max_length=7, default="#1d4f91", validators=[hex_colour])
    secondary_colour = models.CharField(_("secondary colour"), max_length=7, default="#b3261e", validators=[hex_colour])
    default_language = models.CharField(_("default language"), max_length=8, choices=interface_languages, default="fr")
    available_languages = models.JSONField(_("available languages"), default=list)
    reference_prefix = models.CharField(_("reference prefix"), max_length=12, default="AG")
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    sender_email = models.EmailField(
        _("sender of e-mails"),
        blank=True,
        help_text=_(
            "The address the organization's e-mails come from, on the organization's own domain. "
            "Empty: the platform's address."
        ),
    )
    description = TranslatedField(_("description"))
    registration_mode = models.CharField(
        _("registration"), max_length=16, choices=Registration.choices, default=Registration.OPEN
    )
    profile_fields = models.JSONField(_("optional profile fields asked"), default=list, blank=True)
    # The conformance status the footer shows on every page ("Accessibilité :
    # partiellement conforme", as French law asks); the statement itself is an
    # AccessibilityStatement. Kept here so the footer costs no query.
    accessibility_status = models.CharField(
        _("accessibility conformance status"),
        max_length=24,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.NON_COMPLIANT,
    )
    staff_mfa_required = models.BooleanField(
        _("two-factor authentication required for staff"),
        default=False,
        help_text=_(
            "Administrators, moderators, evaluators, collaborators and desk agents must protect their "
            "account with an authenticator app before they can open the back-office."
        ),
    )
    machine_translation = models.BooleanField(
        _("machine translation"),
        default=False,
        help_text=_(
            "Published contributions (ideas, debates, news, meetings, comments …) are translated automatically "
            "into the organization's other languages, marked as such, with the original one click away. "
            "Translations written by officers always take precedence."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    @property
    def languages(self) -> list[str]:
        codes = [code for code in self.available_languages if code in dict(settings.LANGUAGES)]
        if self.default_language not in codes:
            codes.insert(0, self.default_language)
        return codes

    @property
    def base_url(self) -> str:
        """The site's address, the one root of every absolute link in e-mails
        and other messages sent outside a request ("https://host"; http while
        AGORA_SECURE is off, as in development; ":port" when AGORA_PUBLIC_PORT
        names a port other than the scheme's, as the demo's 8000). Links are
        never built from a request's Host header: a task has no request, and
        every e-mail must point to the same address."""
        scheme = "https" if getattr(settings, "SECURE", False) else "http"
        port = getattr(settings, "PUBLIC_PORT", 0)
        default_port = 443 if scheme == "https" else 80
        suffix = f":{port}" if port and port != default_port else ""
        return f"{scheme}://{self.host}{suffix}"

    def language_for(self, person, reading: str = "") -> str:
        """The language of the e-mails to `person`: theirs when this organization
        offers it, else `reading` (the language of the page that caused the
        e-mail: a sign-up, a password reset) when offered, else the
        organization's default."""
        for language in (getattr(person, "language", ""), reading):
            if language and language in self.languages:
                return language
        return self.default_language

    @property
    def language_choices(self):
        names = dict(settings.LANGUAGES)
        return [(code, names[code]) for code in self.languages]

    def current_terms(self):
        return self.terms_versions.order_by("-version").first()


class TermsVersion(models.Model):
    """A version of the terms of use and participation charter.

    Participants accept a version; publishing a new one asks them to accept
    again before they take part."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="terms_versions")
    version = models.PositiveIntegerField()
    body = TranslatedField(_("text"))
    summary_of_changes = TranslatedField(_("summary of changes"))
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "version"], name="unique_terms_version"),
        ]

    def __str__(self):
        return f"{self.organization} v{self.version}"

    def body_text(self):
        return translated(self.body)


class AccessibilityStatement(models.Model):
    """The organization's accessibility statement, on the RGAA model
    (article 47 of the French law of 11 February 2005): the conformance
    status and rate found by an audit, what is not accessible and why, and
    whom to contact. The legal recourse (Défenseur des droits) is fixed text
    in the page. Plain text everywhere: the lists are one item per line."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="accessibility_statement")
    standard = models.CharField(_("standard"), max_length=40, default="RGAA 4.1.2")
    audit_date = models.DateField(_("date of the audit"), null=True, blank=True)
    audited_by = models.CharField(
        _("audit made by"),
        max_length=200,
        blank=True,
        help_text=_("The person, department or company that made the audit."),
    )
    conformance_rate = models.DecimalField(
        _("rate of conformance (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The share of the applicable criteria that the audit found met."),
    )
    audit_method = TranslatedField(_("pages, technologies, test environment and tools of the audit"))
    non_conformities = TranslatedField(_("non-conformities"))
    derogations = TranslatedField(_("derogations for disproportionate burden"))
    exempt_content = TranslatedField(_("content not subject to the obligation"))
    contact = TranslatedField(_("other ways to reach us"))
    plan_url = models.URLField(_("multi-year accessibility plan (link)"), blank=True)
    established_on = models.DateField(_("statement established on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("accessibility statement")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(conformance_rate__isnull=True)
                | (models.Q(conformance_rate__gte=0) & models.Q(conformance_rate__lte=100)),
                name="accessibility_rate_0_to_100",
            ),
        ]

    def __str__(self):
        return f"{self.organization}: {self._meta.verbose_name}"

    @staticmethod
    def lines(value) -> list[str]:
        """A list field (one item per line) in the current language."""
        return [line.strip(" -•\t") for line in translated(value).splitlines() if line.strip(" -•\t")]

    def non_conformity_list(self):
        return self.lines(self.non_conformities)

    def derogation_list(self):
        return self.lines(self.derogations)

    def exempt_content_list(self):
        return self.lines(self.exempt_content)

    def contact_lines(self):
        return self.lines(self.contact)


class ContentVersion(models.Model):
    """One row whose number moves with (in the same transaction as) every write to the database
    (see agora.core.pagecache): cached public pages are keyed by it, so a
    change anywhere makes them all stale at once."""

    number = models.BigIntegerField(default=0)

    class Meta:
        db_table = "core_contentversion"


class HomeBlock(models.Model):
    """A block of an organization's home page, composed by its administrators
    (agora.core.home): its kind (registered by the app that draws it), its
    place, its settings (a JSON object checked by the kind's fields) and,
    for the kinds that show one, a picture. An organization without any block
    shows the default composition (computed, never stored)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="home_blocks")
    kind = models.CharField(_("kind of block"), max_length=60)
    position = models.PositiveIntegerField(_("position"), default=0)
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    is_enabled = models.BooleanField(_("shown on the home page"), default=True)
    image = ImageUploadField(_("image"), upload_to=RandomName("home"), blank=True)
    image_variants = models.JSONField(default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    # Pictures for manage.py make_picture_copies: (file field, variants field, which rows).
    PICTURES: list[tuple[str, str, dict]] = [("image", "image_variants", {})]

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("home page block")
        verbose_name_plural = _("home page blocks")
        indexes = [models.Index(fields=["organization", "position"], name="core_homeblock_order")]

    def __str__(self):
        kind = home.kind_of(self.kind)
        title = translated(self.settings.get("title")) if isinstance(self.settings, dict) else ""
        label = str(kind.label) if kind else self.kind
        return f"{label} — {title}" if title else label

    def picture(self, *, wanted: int = 1280):
        if not self.image:
            return None
        storage, name = self.image.storage, self.image.name or ""
        return picture(
            self.image_variants,
            lambda width: storage.url(variant_name(name, width) if width else name),
            alt=translated(self.settings.get("image_alt")),
            wanted=wanted,
        )


class MachineTranslation(models.Model):
    """The machine translation of one field of one published resource into
    one language (agora.core.machine_translation), kept apart from what
    officers translate (the TranslatedField's own languages), which always
    wins. `source_hash` is the hash of the original it was made from: when the
    original changes the translation is stale, no longer shown, and made again."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=100)  # "proposals.proposal"
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=60)
    language = models.CharField(max_length=12)
    source_language = models.CharField(max_length=12)
    source_hash = models.CharField(max_length=64)
    text = models.TextField()
    backend = models.CharField(max_length=40, blank=True)
    translated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model", "object_id", "field", "language"], name="machine_translation_one_per_language"
            )
        ]
