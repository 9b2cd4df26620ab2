"""The meetings' kind of home-page block: the next public meetings of every
public space ("meetings.upcoming", agora.core.home), with a link to the
organization's agenda."""

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from agora.components.meetings import selectors
from agora.core.home import BlockSettings
from agora.core.translations import translated

DEFAULT_COUNT = 3


class UpcomingMeetingsSettings(BlockSettings):
    translated = {"title": {"label": _("Title"), "max_length": 200, "help_text": _("Empty: “Upcoming meetings”.")}}

    def fields(self, organization):
        return {
            "count": forms.IntegerField(
                label=_("Number of meetings"),
                min_value=1,
                max_value=12,
                initial=DEFAULT_COUNT,
                required=False,
                help_text=_("Empty: 3."),
            )
        }


def render_block(request, block, lead) -> str:
    """The next meetings of the organization's agenda (public, not cancelled,
    not hidden), soonest first; nothing when none is to come."""
    organization = getattr(request, "organization", None)
    if organization is None:
        return ""
    count = block.settings.get("count") or DEFAULT_COUNT
    meetings = list(selectors.agenda_meetings(organization, when="upcoming").filter(cancelled_at__isnull=True)[:count])
    if not meetings:
        return ""
    return render_to_string(
        "meetings/_home_block.html",
        {"meetings": meetings, "block": block, "title": translated(block.settings.get("title"))},
        request=request,
    )
