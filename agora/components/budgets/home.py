"""The budgets' kind of home-page block: "the vote is open" banner, shown only
while a vote is open in a public space (the manifest's `home_blocks`)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from agora.components.budgets.models import Budget
from agora.components.models import Component
from agora.core.home import BlockSettings
from agora.core.translations import translated
from agora.spaces.models import Space


class VoteBannerSettings(BlockSettings):
    translated = {
        "title": {"label": _("Title"), "max_length": 200, "help_text": _("Empty: “The vote is open”.")},
        "text": {"label": _("Text"), "max_length": 500, "help_text": _("Empty: which vote is open and until when.")},
    }


def open_votes(organization) -> list[Component]:
    """The published budgets components of the organization's public spaces
    whose active phase opens the vote and that have a budget still to count
    (not imported, results not published). Three queries."""
    components = (
        Component.objects.published()
        .filter(manifest_name="budgets", space__in=Space.objects.filter(organization=organization).readable_by_anyone())
        .select_related("space")
        .prefetch_related("space__phases")
        .order_by("space_id", "weight", "id")
    )
    opened = [component for component in components if component.phase_settings_of().votes_enabled]
    if not opened:
        return []
    counting = set(
        Budget.objects.filter(component__in=opened, imported_from="", results_published_at__isnull=True).values_list(
            "component_id", flat=True
        )
    )
    return [component for component in opened if component.pk in counting]


def render_banner(request, block, lead):
    votes = open_votes(request.organization)
    if not votes:
        return ""
    for component in votes:
        setattr(component, "phase", component.space.active_phase)
    return render_to_string(
        "budgets/home_banner.html",
        {
            "block": block,
            "votes": votes,
            "title": translated(block.settings.get("title")),
            "text": translated(block.settings.get("text")),
        },
        request=request,
    )
