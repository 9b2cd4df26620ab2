"""The spaces' kinds of home-page blocks: the open processes and a
highlighted space (registered in SpacesConfig.ready; agora.core.home)."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from agora.core.home import BlockKind, BlockSettings
from agora.core.translations import translated
from agora.spaces import selectors
from agora.spaces.models import Space


class OpenProcessesSettings(BlockSettings):
    translated = {"title": {"label": _("Title"), "max_length": 200, "help_text": _("Empty: “Take part now”.")}}

    def fields(self, organization):
        return {
            "show_promoted": forms.BooleanField(
                label=_("Show the promoted processes first, under “Highlighted processes”"), required=False
            )
        }


def render_open_processes(request, block, lead):
    context = selectors.home_processes(request.organization, request.user)
    if not block.settings.get("show_promoted", True):
        context = {"promoted": [], "open_phases": selectors.open_phases(request.organization, request.user)}
    context.update({"block": block, "title": translated(block.settings.get("title"))})
    return render_to_string("spaces/home/open_processes.html", context, request=request)


class SpaceSettings(BlockSettings):
    translated = {
        "title": {"label": _("Title of the block"), "max_length": 200, "help_text": _("Empty: “Highlighted”.")}
    }

    def fields(self, organization):
        spaces = Space.objects.filter(organization=organization).order_by("kind", "-start_date", "id")
        return {
            "space": forms.TypedChoiceField(
                label=_("Space"),
                coerce=int,
                choices=[("", "—")]
                + [(space.pk, f"{translated(space.title)} ({space.get_kind_display()})") for space in spaces],
                help_text=_("Only a published space open to everyone shows on the home page."),
            )
        }

    def validate(self, values, organization):
        if not Space.objects.filter(organization=organization, pk=values.get("space")).exists():
            raise ValidationError({"space": _("Choose a space of the organization.")})


def render_space(request, block, lead):
    space = (
        Space.objects.readable_by_anyone()
        .filter(organization=request.organization, pk=block.settings.get("space"))
        .select_related("scope")
        .prefetch_related("phases")
        .first()
    )
    if space is None:
        return ""
    return render_to_string(
        "spaces/home/space.html",
        {
            "block": block,
            "space": space,
            "title": translated(block.settings.get("title")),
            "phase": space.active_phase if space.kind == Space.Kind.PROCESS else None,
        },
        request=request,
    )


OPEN_PROCESSES = BlockKind(
    "spaces.open_processes",
    _("Open processes"),
    _("The processes people can take part in now: the promoted ones, then the open phases of the others."),
    render=render_open_processes,
    settings=OpenProcessesSettings(),
    default_position=10,
    default_settings={"show_promoted": True},
    repeatable=False,
)
HIGHLIGHTED_SPACE = BlockKind(
    "spaces.highlighted",
    _("Highlighted space"),
    _("One process or assembly shown with its banner: image, dates, current phase and its button."),
    render=render_space,
    settings=SpaceSettings(),
)
