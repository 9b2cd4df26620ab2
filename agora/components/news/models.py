from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.core.files import ImageUploadField, RandomName
from agora.core.images import picture, variant_name
from agora.core.translations import TranslatedField, translated


class PostQuerySet(models.QuerySet):
    def published(self):
        """Visible to the public: dated, and the date has come."""
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class Post(models.Model):
    """A news item of a space's blog. A post with no publication date is a
    draft; one dated in the future is scheduled and hidden until then."""

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="posts")
    title = TranslatedField(_("title"))
    # Sanitized with nh3 by the services before it is saved.
    body = TranslatedField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    official = models.BooleanField(
        _("published on behalf of the organization"),
        default=True,
        help_text=_("The author's name is not shown; the post is signed by the organization."),
    )
    image = ImageUploadField(_("image"), upload_to=RandomName("news"), blank=True)
    image_alt = TranslatedField(_("image description"))
    # Smaller WebP copies made on upload (agora.core.images.make_variants): {"width", "height", "sizes"}.
    image_variants = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(_("publication date"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    # Pictures for manage.py make_picture_copies: (file field, variants field, which rows).
    PICTURES: list[tuple[str, str, dict]] = [("image", "image_variants", {})]

    class Meta:
        ordering = [models.F("published_at").desc(nulls_first=True), "-id"]
        indexes = [models.Index(fields=["component", "-published_at"])]

    def __str__(self):
        return translated(self.title)

    def picture(self, *, wanted: int = 1280):
        """What an <img> of the post's image needs (agora.core.images.Picture), or None."""
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

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.published_at is not None and self.published_at > timezone.now()

    def signature(self, organization) -> str:
        """The public signature: the author's public name, or the organization."""
        if self.official or self.author is None:
            return organization.name
        return self.author.public_name

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={**self.component.url_kwargs(), "post_id": self.pk})
