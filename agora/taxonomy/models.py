from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.core.files import ImageUploadField, RandomName
from agora.core.translations import TranslatedField, translated


class Category(models.Model):
    """A theme of the organization: a tree of two levels (category, sub-category)."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="categories")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    name = TranslatedField(_("name"))
    description = TranslatedField(_("description"))
    colour = models.CharField(_("colour"), max_length=7, blank=True)
    weight = models.IntegerField(_("order"), default=0)
    # The category's own image, on the cards of what has no picture of its own
    # (else a built-in illustration, taxonomy.api.illustration_path).
    image = ImageUploadField(_("image"), upload_to=RandomName("categories"), blank=True)
    image_alt = TranslatedField(_("image description"))
    # Smaller WebP copies made on upload (agora.core.images.make_variants): {"width", "height", "sizes"}.
    image_variants = models.JSONField(default=dict, blank=True)

    # Pictures for manage.py make_picture_copies: (file field, variants field, which rows).
    PICTURES: list[tuple[str, str, dict]] = [("image", "image_variants", {})]

    class Meta:
        ordering = ["weight", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return translated(self.name)


class ScopeType(models.Model):
    """A kind of territory: city, district, commune, canton ..."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="scope_types")
    name = TranslatedField(_("name"))
    plural = TranslatedField(_("plural"))

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return translated(self.name)


class Scope(models.Model):
    """A territory: the city itself, a district, a commune (INSEE code) ..."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="scopes")
    scope_type = models.ForeignKey(
        ScopeType, on_delete=models.PROTECT, related_name="scopes", null=True, blank=True, verbose_name=_("type")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    name = TranslatedField(_("name"))
    code = models.CharField(_("code"), max_length=32, help_text=_("For example the INSEE code of a commune."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("scope")
        verbose_name_plural = _("scopes")
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="unique_scope_code"),
        ]

    def __str__(self):
        return translated(self.name)
