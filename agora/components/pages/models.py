from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.core.translations import TranslatedField, translated


class Page(models.Model):
    """A static rich-text page of a space: FAQ, rules, charter."""

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="pages")
    title = TranslatedField(_("title"))
    # Sanitized with nh3 by the services before it is saved.
    body = TranslatedField(_("text"))
    slug = models.SlugField(_("address (slug)"), max_length=80)
    weight = models.IntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["weight", "id"]
        constraints = [models.UniqueConstraint(fields=["component", "slug"], name="unique_page_slug_per_component")]

    def __str__(self):
        return translated(self.title) or self.slug

    def get_absolute_url(self):
        return reverse("pages:detail", kwargs={**self.component.url_kwargs(), "slug": self.slug})
