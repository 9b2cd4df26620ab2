"""Open data of an organization: the licence it chose and the files built
each night (agora.opendata.writer), one for the whole organization and one
per public component."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    ETALAB = "etalab-2.0", _("Licence Ouverte / Open Licence 2.0 (Etalab)")
    ODBL = "odbl-1.0", _("Open Database License (ODbL) 1.0")


LICENCE_URLS = {
    Licence.ETALAB: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
}


class OpenDataSettings(models.Model):
    """What an organization chose for its open data. A table of its own (one row per
    organization, made when first saved): the organization row stays as it is."""

    organization = models.OneToOneField("core.Organization", on_delete=models.CASCADE, related_name="+")
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.ETALAB)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.get_licence_display()

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS[Licence(self.licence)]


class OpenDataFile(models.Model):
    """The last zip built for the organization (`component` None) or for one of its
    public components; `name` is its name in the default storage."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    component = models.ForeignKey(
        "components.Component", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField(default=0)
    # {table name: number of rows}, for the page.
    rows = models.JSONField(default=dict, blank=True)
    built_at = models.DateTimeField()

    class Meta:
        ordering = ["component_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(component__isnull=True), name="opendata_one_file_per_organization"
            ),
            models.UniqueConstraint(
                fields=["component"], condition=Q(component__isnull=False), name="opendata_one_file_per_component"
            ),
        ]

    def __str__(self):
        return self.name
