from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.core.files import ImageUploadField, RandomName

nickname_validator = RegexValidator(
    r"^[A-Za-z0-9_\-]{3,30}$",
    _("Use 3 to 30 letters, digits, hyphens or underscores, without spaces or accents."),
)


# Deleted accounts take these (see services.delete_account); nobody else may.
RESERVED_NICKNAME_PREFIX = "deleted-"
RESERVED_EMAIL_DOMAIN = "deleted.invalid"


def is_reserved_nickname(nickname: str) -> bool:
    return nickname.lower().startswith(RESERVED_NICKNAME_PREFIX)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        fields.setdefault("nickname", email.split("@")[0][:30])
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        """Platform admins come from `manage.py createsuperuser`; whoever runs
        it vouches for the address, so it is recorded as confirmed (allauth
        would otherwise ask for a confirmation at the first log-in)."""
        fields.update(is_staff=True, is_superuser=True)
        user = self.create_user(email, password, **fields)
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A person. E-mail is the login; the nickname is the public handle.

    `is_superuser` marks a platform admin (all organizations of the
    installation). Everything else about roles lives in agora.spaces.Role."""

    class AgeBracket(models.TextChoices):
        UNDER_16 = "under_16", _("Under 16")
        FROM_16_TO_17 = "16_17", _("16 to 17")
        FROM_18_TO_24 = "18_24", _("18 to 24")
        FROM_25_TO_34 = "25_34", _("25 to 34")
        FROM_35_TO_49 = "35_49", _("35 to 49")
        FROM_50_TO_64 = "50_64", _("50 to 64")
        FROM_65 = "65_plus", _("65 and over")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        OTHER = "other", _("Other")
        UNDISCLOSED = "undisclosed", _("Prefer not to say")

    class SocioProfessionalCategory(models.TextChoices):
        FARMER = "farmer", _("Farmer")
        CRAFTS = "crafts", _("Craftsperson, shopkeeper, business owner")
        MANAGER = "manager", _("Manager, higher intellectual profession")
        INTERMEDIATE = "intermediate", _("Intermediate profession")
        EMPLOYEE = "employee", _("Employee")
        WORKER = "worker", _("Manual worker")
        RETIRED = "retired", _("Retired")
        STUDENT = "student", _("Student")
        JOBSEEKER = "jobseeker", _("Job seeker")
        OTHER = "other", _("Other, without professional activity")

    email = models.EmailField(_("e-mail address"), unique=True)
    nickname = models.CharField(_("nickname"), max_length=30, unique=True, validators=[nickname_validator])
    name = models.CharField(_("name"), max_length=150, blank=True)
    avatar = ImageUploadField(_("avatar"), upload_to=RandomName("avatars"), blank=True)
    about = models.TextField(_("about me"), max_length=1000, blank=True)
    age_bracket = models.CharField(_("age bracket"), max_length=16, choices=AgeBracket.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    socio_professional_category = models.CharField(
        _("socio-professional category"), max_length=16, choices=SocioProfessionalCategory.choices, blank=True
    )
    language = models.CharField(_("preferred language"), max_length=8, blank=True)
    is_staff = models.BooleanField(default=False, help_text="Access to the /system/ screens.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["nickname"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("nickname"), name="unique_nickname_case_insensitive"),
        ]

    def __str__(self):
        return self.public_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def public_name(self) -> str:
        if self.is_deleted:
            return str(_("Deleted participant"))
        return self.name or self.nickname

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.nickname


class Membership(models.Model):
    """A person's participation in one organization: which version of its
    terms they accepted. Created when they register there or first accept
    its terms."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="memberships")
    accepted_terms_version = models.PositiveIntegerField(default=0)
    accepted_terms_at = models.DateTimeField(null=True, blank=True)
    blocked_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    # Consent to the organization's newsletter, separate from notifications:
    # when it was given (None: never given, or withdrawn). Newsletters go to
    # these people only (agora.newsletters.audiences).
    newsletter_consent_at = models.DateTimeField(_("newsletter accepted on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organization}"


class ConsentRecord(models.Model):
    """A consent given or withdrawn, with its date, kept as a history (the
    membership holds only the current state): the terms of use (their version)
    and the newsletter. The person sees it on their account page and in "download
    my data"; it is erased with the account."""

    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms of use")
        NEWSLETTER = "newsletter", _("Newsletter")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("consent"), max_length=12, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"), default=0)  # of the terms; 0 for the newsletter
    given = models.BooleanField(_("given"), default=True)  # False: withdrawn
    at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["user", "organization", "at"])]

    def __str__(self):
        return f"{self.kind} {self.version} {self.given}"


class Invitation(models.Model):
    """An invitation to register in an organization whose registration is
    by invitation only. The link carries `token`; signing up with it
    accepts the invitation."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # A role the person gets on accepting: "org_admin" for the first admin of a
    # new organization (invited from /system/); empty for a participant.
    role = models.CharField(_("role given on acceptance"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} @ {self.organization}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None
