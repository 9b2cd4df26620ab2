"""Meetings: a public meeting of a space (in person, online or both), its
agenda, its registrations with a waiting list, and what it produced once
closed. The database holds the invariants: the end after the start, the
places reserved within the places, and the confirmed registrations within
the places offered to the public (a counter on the meeting, moved in the
registration's transaction under the meeting's row lock)."""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.core.files import ImageUploadField, RandomName
from agora.core.images import picture, variant_name
from agora.core.translations import TranslatedField, translated
from agora.moderation.querysets import ModeratedQuerySet

# Short codes read aloud at the door: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class MeetingQuerySet(ModeratedQuerySet):
    def published(self):
        """Published or cancelled (a cancelled meeting stays listed, marked cancelled)."""
        return self.filter(published_at__isnull=False)

    def public(self):
        """What anyone who sees the component sees: published, not private (transparent ones are)."""
        return self.published().exclude(visibility=Meeting.Visibility.PRIVATE)

    def upcoming(self, now=None):
        return self.filter(ends_at__gt=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lte=now or timezone.now())


class Meeting(models.Model):
    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        # Visible to everyone, registration by invitation only.
        TRANSPARENT = "transparent", _("Private but transparent: visible to all, registration by invitation")
        PRIVATE = "private", _("Private: invitees only")

    class Registration(models.TextChoices):
        NONE = "none", _("No registration")
        AGORA = "agora", _("Registration on this site")
        EXTERNAL = "external", _("Registration on another site")

    class Service(models.TextChoices):
        CHILDCARE = "childcare", _("Childcare")
        INTERPRETATION = "interpretation", _("Interpretation")
        SIGN_LANGUAGE = "sign_language", _("Sign language")
        ACCESSIBLE = "accessible", _("Accessible room")
        HEARING_LOOP = "hearing_loop", _("Hearing loop")
        REFRESHMENTS = "refreshments", _("Refreshments")

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="meetings")
    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"))  # sanitized HTML
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.IN_PERSON)
    address = models.CharField(_("address"), max_length=300, blank=True)
    location = TranslatedField(_("place"))  # the room, the building
    location_hints = TranslatedField(_("how to find it"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    # The IANA zone the times were given in and are shown in (daylight saving by zoneinfo).
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
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
    image = ImageUploadField(_("image"), upload_to=RandomName("meetings"), blank=True)
    image_alt = TranslatedField(_("image description"))
    image_variants = models.JSONField(default=dict, blank=True)
    # Empty: the organization organizes it.
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organizer"),
    )
    organizer_group = models.CharField(_("organizing group"), max_length=200, blank=True)
    services = models.JSONField(_("services offered"), default=list, blank=True)
    proposals = models.ManyToManyField(
        "proposals.Proposal", blank=True, related_name="meetings", verbose_name=_("linked ideas")
    )
    # Ideas given at the meeting, filed in an ideas component of the space (channel "at a meeting").
    ideas_filed = models.ManyToManyField(
        "proposals.Proposal", blank=True, related_name="filed_at_meetings", verbose_name=_("ideas filed at the meeting")
    )
    # Other components of the space the meeting is about (the survey it presents, the vote it prepares).
    linked_components = models.ManyToManyField(
        "components.Component", blank=True, related_name="+", verbose_name=_("linked components")
    )
    visibility = models.CharField(_("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = TranslatedField(_("reason of the cancellation"))

    registration_type = models.CharField(
        _("registration"), max_length=10, choices=Registration.choices, default=Registration.NONE
    )
    registration_url = models.URLField(_("registration address"), max_length=500, blank=True)
    places = models.PositiveIntegerField(_("places"), null=True, blank=True)  # empty: no limit
    reserved_places = models.PositiveIntegerField(_("places reserved for the organization"), default=0)
    registration_terms = TranslatedField(_("registration terms"))
    # Empty: registrations close when the meeting starts.
    registrations_close_at = models.DateTimeField(_("registrations close on"), null=True, blank=True)
    questionnaire = models.OneToOneField(
        "questionnaires.Questionnaire", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Counters moved with the registrations, under the meeting's row lock.
    registered_count = models.PositiveIntegerField(default=0)
    waiting_count = models.PositiveIntegerField(default=0)

    # Closing.
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes = TranslatedField(_("minutes"))
    attendee_count = models.PositiveIntegerField(_("attendees"), null=True, blank=True)
    contributions_count = models.PositiveIntegerField(_("contributions"), null=True, blank=True)
    organizations_present = models.TextField(_("organizations present"), blank=True)
    video_url = models.URLField(_("video"), max_length=500, blank=True)
    audio_url = models.URLField(_("audio"), max_length=500, blank=True)
    closing_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    PICTURES: list[tuple[str, str, dict]] = [("image", "image_variants", {})]

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["component", "starts_at"], name="meeting_component_start_idx"),
            models.Index(fields=["starts_at", "id"], name="meeting_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(
                condition=Q(places__isnull=True, reserved_places=0)
                | Q(places__isnull=False, reserved_places__lte=F("places")),
                name="meeting_reserved_within_places",
            ),
            # The last place cannot be given twice, whatever the code above does.
            models.CheckConstraint(
                condition=Q(places__isnull=True) | Q(registered_count__lte=F("places") - F("reserved_places")),
                name="meeting_registrations_within_places",
            ),
        ]

    def __str__(self):
        return translated(self.title)

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={**self.component.url_kwargs(), "meeting_id": self.pk})

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except (KeyError, ValueError):
            return ZoneInfo(settings.TIME_ZONE)

    def local(self, moment: datetime) -> datetime:
        return timezone.localtime(moment, self.zone)

    def wall(self, moment: datetime) -> datetime:
        """The wall-clock time in the meeting's zone, naive: what the formatting
        filters print as it is (they would turn an aware time into the server's zone)."""
        return self.local(moment).replace(tzinfo=None)

    @property
    def wall_start(self) -> datetime:
        return self.wall(self.starts_at)

    @property
    def wall_end(self) -> datetime:
        return self.wall(self.ends_at)

    @property
    def shows_zone(self) -> bool:
        """The zone is named on the pages when it is not the site's."""
        return self.time_zone != settings.TIME_ZONE

    @property
    def local_start(self) -> datetime:
        return self.local(self.starts_at)

    @property
    def local_end(self) -> datetime:
        return self.local(self.ends_at)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def public_places(self) -> int | None:
        """Places offered to registration (the reserved ones left out); None: no limit."""
        return None if self.places is None else self.places - self.reserved_places

    @property
    def places_left(self) -> int | None:
        offered = self.public_places
        return None if offered is None else max(0, offered - self.registered_count)

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def registration_closes_at(self) -> datetime:
        return self.registrations_close_at or self.starts_at

    @property
    def is_online(self) -> bool:
        return self.kind in (self.Kind.ONLINE, self.Kind.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.kind in (self.Kind.IN_PERSON, self.Kind.HYBRID)

    def service_labels(self) -> list[str]:
        known = dict(self.Service.choices)
        return [str(known[code]) for code in self.services or [] if code in known]

    def public_linked_components(self) -> list:
        """The linked components any visitor may open (one query; unpublished ones left out)."""
        if self.pk is None:
            return []
        return [
            component
            for component in self.linked_components.select_related("space").order_by("weight", "pk")
            if component.is_public
        ]

    def picture(self, *, wanted: int = 640):
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


class MeetingPhoto(models.Model):
    """A photo of a meeting that took place, shown with its minutes; its description is required."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="photos")
    image = ImageUploadField(_("photo"), upload_to=RandomName("meetings/photos"))
    alt = TranslatedField(_("photo description"))
    variants = models.JSONField(default=dict, blank=True)
    weight = models.IntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    PICTURES: list[tuple[str, str, dict]] = [("image", "variants", {})]

    class Meta:
        ordering = ["weight", "id"]

    def __str__(self):
        return translated(self.alt) or self.image.name

    def picture(self, *, wanted: int = 640):
        storage, name = self.image.storage, str(self.image.name)
        return picture(
            self.variants,
            lambda width: storage.url(variant_name(name, width) if width else name),
            alt=translated(self.alt),
            wanted=wanted,
        )


class AgendaItem(models.Model):
    """An item of the agenda announced before the meeting; items may have sub-items."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("part of")
    )
    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"))
    duration = models.PositiveIntegerField(_("duration in minutes"), null=True, blank=True)
    weight = models.IntegerField(_("order"), default=0)

    class Meta:
        ordering = ["weight", "id"]

    def __str__(self):
        return translated(self.title)


class Registration(models.Model):
    """A place at a meeting (or a place on its waiting list, in the order of
    registration). A person has at most one live registration per meeting."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("registration", "Confirmed")
        WAITING = "waiting", pgettext_lazy("registration", "On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    code = models.CharField(max_length=12, default=new_code)
    answer_set = models.OneToOneField(
        "questionnaires.AnswerSet", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_terms = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False) & ~Q(status="cancelled"),
                name="meeting_one_live_registration_per_person",
            ),
            models.UniqueConstraint(fields=["meeting", "code"], name="meeting_registration_code_unique"),
        ]
        indexes = [models.Index(fields=["meeting", "status", "created_at", "id"], name="registration_queue_idx")]

    def __str__(self):
        return self.code


class Invitation(models.Model):
    """An invitation by e-mail (to a private or transparent meeting, or any
    meeting): the link lets the person register, with an account or after
    creating one."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="meeting_one_invitation_per_email")]

    def __str__(self):
        return self.email
