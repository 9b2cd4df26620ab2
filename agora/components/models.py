from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.components.registry import Settings, registry
from agora.core.translations import TranslatedField, translated


class ComponentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class Component(models.Model):
    """An instance of a component type in a space, with its settings.

    `settings` holds the values for the whole component; `phase_settings`
    holds {phase id: {setting: value}} for the settings that change with the
    phase ("supports enabled", "votes enabled" ...)."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="components")
    manifest_name = models.CharField(_("type"), max_length=40)
    name = TranslatedField(_("name"))
    weight = models.IntegerField(_("order"), default=0)
    settings = models.JSONField(default=dict, blank=True)
    phase_settings = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ComponentQuerySet.as_manager()

    class Meta:
        ordering = ["weight", "id"]
        indexes = [models.Index(fields=["space", "weight"])]

    def __str__(self):
        return translated(self.name) or str(self.manifest.label if self.manifest else self.manifest_name)

    @property
    def manifest(self):
        return registry.get(self.manifest_name)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()

    @property
    def is_public(self) -> bool:
        """Any visitor may read it: only such components leave through exports and search."""
        return self.is_published and self.space.is_public

    def settings_of(self) -> Settings:
        """The component's settings, typed and read-only (`settings_of().posts_per_page`):
        each cleaned by its definition, its default when missing or invalid."""
        return self.manifest.settings_for(self)

    def phase_settings_of(self, phase=None) -> Settings:
        """The settings of a phase (default: the space's active phase), typed
        and read-only like `settings_of()`; their defaults without a phase."""
        return self.manifest.phase_settings_for(self, phase or self.space.active_phase)

    def url_kwargs(self) -> dict:
        return {"space_kind": self.space.url_prefix, "space_slug": self.space.slug, "component_id": self.pk}

    def get_absolute_url(self):
        return reverse(f"{self.manifest_name}:index", kwargs=self.url_kwargs())

    def get_admin_url(self):
        return reverse(f"{self.manifest_name}_admin:index", kwargs={"space_id": self.space_id, "component_id": self.pk})
