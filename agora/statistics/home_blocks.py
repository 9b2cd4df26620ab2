"""The statistics' kind of home-page block: participation figures of the whole
organization (participants, ideas, supports, ballots ...), read from the
aggregates; shown only when the organization chose to show its figures to the
public (agora.statistics.models.StatisticsSettings)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from agora.core.home import BlockKind, BlockSettings
from agora.core.translations import translated
from agora.statistics import selectors


class ParticipationSettings(BlockSettings):
    translated = {"title": {"label": _("Title"), "max_length": 200, "help_text": _("Empty: “Participation”.")}}


def render_participation(request, block, lead):
    organization = request.organization
    if not selectors.public_figures_enabled(organization):
        return ""
    figures = selectors.public_figures(organization)
    if not figures:
        return ""
    return render_to_string(
        "statistics/home/participation.html",
        {"block": block, "figures": figures, "title": translated(block.settings.get("title"))},
        request=request,
    )


PARTICIPATION_FIGURES = BlockKind(
    "statistics.participation",
    _("Participation figures"),
    _(
        "Participants and their contributions, online, at desks and on paper, in every space "
        "(shown once the organization chose to show its figures to the public)."
    ),
    render=render_participation,
    settings=ParticipationSettings(),
    repeatable=False,
)
