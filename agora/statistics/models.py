"""Participation statistics, kept incrementally (docs/statistics.md).

Dashboards read these tables only, never the components' rows: a participant
row per person per scope (the organization, a space, a component) with the
kinds and channels of what they did as bitmasks, and a daily count of
contributions. Ids of spaces, components and districts are plain integers
(0: none), so that the unique keys have no NULL in them and one upsert
(`INSERT ... ON CONFLICT`) keeps each row, on PostgreSQL and SQLite alike."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Participant(models.Model):
    """Someone who took part in a scope. `person` is NULL for an anonymous
    participant (a paper ballot without identity, a survey answered without
    an account): each of them is a row of its own, counted once. The profile
    (district, age bracket, gender) is what the person had said when they first
    took part in the scope, kept for the representativeness dashboards."""

    class Level(models.IntegerChoices):
        ORGANIZATION = 0, _("Organization")
        SPACE = 1, _("Space")
        COMPONENT = 2, _("Component")

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    scope_id = models.BigIntegerField()  # 0 for the organization, else the space's or the component's id
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    kinds = models.IntegerField(default=0)  # bit i: KINDS[i] (agora.statistics.kinds)
    channels = models.IntegerField(default=0)  # bit i: CHANNELS[i]
    first_day = models.DateField()
    district_id = models.BigIntegerField(default=0)  # a taxonomy.Scope id, 0 when not known
    age_bracket = models.CharField(max_length=16, blank=True)
    gender = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "level", "scope_id", "person"], name="statistics_one_participant_per_scope"
            )
        ]


class DailyCount(models.Model):
    """Contributions of one kind through one channel on one day in a component.
    Each key has STRIPES rows (`stripe`): concurrent ballots add to different
    rows, so a vote does not queue on one counter; readers sum them."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    space_id = models.BigIntegerField(default=0)
    component_id = models.BigIntegerField(default=0)
    day = models.DateField()
    kind = models.CharField(max_length=16)
    channel = models.CharField(max_length=8)
    stripe = models.PositiveSmallIntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "space_id", "component_id", "day", "kind", "channel", "stripe"],
                name="statistics_one_daily_count",
            )
        ]


class DailyVisits(models.Model):
    """Page views counted by the server, per organization, space (0: pages of no
    space) and day; `visits` are the views that came from outside the site (no
    referrer of the same host), an estimate of visits without cookies. No
    address, no identifier, nothing per person."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    space_id = models.BigIntegerField(default=0)
    day = models.DateField()
    views = models.IntegerField(default=0)
    visits = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "space_id", "day"], name="statistics_one_visits_row")
        ]


class ReferencePopulation(models.Model):
    """The population of the territory by district, age bracket or gender (a
    census table), the reference the representativeness dashboards compare
    participants with."""

    class Dimension(models.TextChoices):
        DISTRICT = "district", _("District")
        AGE_BRACKET = "age_bracket", _("Age bracket")
        GENDER = "gender", _("Gender")

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    value = models.CharField(max_length=32)  # a district's scope id, an age bracket's or a gender's code
    population = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "dimension", "value"], name="statistics_one_reference")
        ]


class StatisticsSettings(models.Model):
    """What the organization chose: show participation figures to the public (on the
    home page's block and each space's page) or not."""

    organization = models.OneToOneField("core.Organization", on_delete=models.CASCADE, related_name="+")
    public_figures = models.BooleanField(
        _("show participation figures to the public"),
        default=False,
        help_text=_("Participants and contributions, on the home page's figures block and on each space's page."),
    )
