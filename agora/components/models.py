from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.components.registry import registry
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

    def setting(self, name: str):
        """A global setting as stored (its default when it was never set)."""
        values = self.manifest.default_settings()
        values.update(self.settings or {})
        return values.get(name)

    def cleaned_setting(self, name: str, default=None):
        """A global setting cleaned by its definition in the manifest; the
        definition's default when the stored value is not valid (a bad stored
        value must not break the pages), `default` when the manifest does not
        declare it."""
        definition = next((s for s in self.manifest.settings if s.name == name), None)
        if definition is None:
            return default
        try:
            return definition.clean(self.setting(name))
        except Exception:  # noqa: BLE001
            return definition.default

    def current_phase_settings(self, phase=None) -> dict:
        """Settings of the given phase (default: the space's active phase)."""
        values = self.manifest.default_phase_settings()
        phase = phase or self.space.active_phase
        if phase is not None:
            values.update((self.phase_settings or {}).get(str(phase.pk), {}))
        return values

    def url_kwargs(self) -> dict:
        return {"space_kind": self.space.url_prefix, "space_slug": self.space.slug, "component_id": self.pk}

    def get_absolute_url(self):
        return reverse(f"{self.manifest_name}:index", kwargs=self.url_kwargs())

    def get_admin_url(self):
        return reverse(f"{self.manifest_name}_admin:index", kwargs={"space_id": self.space_id, "component_id": self.pk})
