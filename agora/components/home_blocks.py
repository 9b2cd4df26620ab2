"""The components' kind of home-page block: the key figures, summed from
every public component's `stats` hook (registered in ComponentsConfig.ready
with the kinds the manifests declare in `home_blocks`; agora.core.home)."""

from django import forms
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import Membership
from agora.components.models import Component
from agora.components.selectors import stats_of
from agora.core.home import BlockKind, BlockSettings
from agora.core.translations import translated
from agora.spaces.models import Space

PARTICIPANTS = "Participants"
# Shown when the officer chose none (those the organization has).
DEFAULT_FIGURES = (PARTICIPANTS, "Published ideas", "Supports", "Ballots", "Answers to the survey")
FIGURES_SECONDS = 300


def _key(label) -> str:
    """A figure is known by its label in English (the stats hooks give lazy labels)."""
    with translation.override("en"):
        return str(label)


def organization_figures(organization) -> list[tuple[str, str, int]]:
    """(key, label in the current language, number) of every whole-number figure
    the stats hooks of the organization's public components give, summed over
    the components, after the number of participants (members of the
    organization). Kept FIGURES_SECONDS per organization and language in the
    shared cache: a few minutes late is fine for key figures, and the hooks
    cost a few queries per component."""
    cache_key = f"home-figures:{organization.pk}:{translation.get_language()}"
    found = cache.get(cache_key)
    if found is not None:
        return found
    figures: dict[str, list] = {
        PARTICIPANTS: [str(_("Participants")), Membership.objects.filter(organization=organization).count()]
    }
    components = (
        Component.objects.published()
        .filter(space__in=Space.objects.filter(organization=organization).readable_by_anyone())
        .select_related("space")
    )
    for rows in stats_of(components).values():
        for label, number in rows:
            if isinstance(number, bool) or not isinstance(number, int):
                continue  # a mean or a percentage does not add up
            entry = figures.setdefault(_key(label), [str(label), 0])
            entry[1] += number
    result = [(key, label, number) for key, (label, number) in figures.items()]
    cache.set(cache_key, result, FIGURES_SECONDS)
    return result


class FiguresSettings(BlockSettings):
    translated = {"title": {"label": _("Title"), "max_length": 200, "help_text": _("Empty: “Key figures”.")}}

    def fields(self, organization):
        choices = [(key, label) for key, label, _number in organization_figures(organization)]
        return {
            "figures": forms.MultipleChoiceField(
                label=_("Figures shown"),
                required=False,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "None chosen: participants, ideas, supports, ballots and survey answers, "
                    "those the organization has."
                ),
            )
        }


def render_figures(request, block, lead):
    figures = organization_figures(request.organization)
    chosen = block.settings.get("figures") or []
    by_key = {key: (label, number) for key, label, number in figures}
    if chosen:
        shown = [by_key[key] for key in chosen if key in by_key]
    else:
        shown = [by_key[key] for key in DEFAULT_FIGURES if key in by_key and by_key[key][1]]
    if not shown:
        return ""
    return render_to_string(
        "components/home/figures.html",
        {"block": block, "figures": shown, "title": translated(block.settings.get("title"))},
        request=request,
    )


KEY_FIGURES = BlockKind(
    "components.figures",
    _("Key figures"),
    _("Participants, ideas, supports, ballots …: the figures of every public space of the organization."),
    render=render_figures,
    settings=FiguresSettings(),
    repeatable=False,
)
