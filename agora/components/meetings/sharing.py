"""Sharing meetings: the page's metadata and the embeddable card."""

from django.utils.translation import gettext as _

from agora.components.meetings import selectors
from agora.components.meetings.models import Meeting
from agora.components.registry import EmbedCard
from agora.core import formats
from agora.core.translations import translated
from agora.web import sharing


def is_public(meeting) -> bool:
    return (
        meeting.is_published
        and not getattr(meeting, "is_hidden", False)
        and meeting.visibility != Meeting.Visibility.PRIVATE
    )


def share(request, meeting) -> dict:
    if not is_public(meeting):
        return {}
    return sharing.share_context(
        request,
        title=translated(meeting.title),
        description=translated(meeting.description),
        picture=meeting.picture(wanted=1200) if meeting.image else None,
        url=meeting.get_absolute_url(),
        embed_url=f"{meeting.get_absolute_url()}embed/",
        kind="website",
    )


def embed_card(request, resource_id):
    if resource_id is None:
        return None
    meeting = selectors.meeting_for(request.component, request.user, resource_id)
    if meeting is None or not is_public(meeting):
        return None
    facts = [(_("Date"), formats.long_datetime(meeting.starts_at))]
    if meeting.address:
        facts.append((_("Address"), meeting.address))
    if meeting.is_cancelled:
        facts.append((_("State"), _("This meeting is cancelled.")))
    return EmbedCard(
        title=translated(meeting.title),
        url=meeting.get_absolute_url(),
        meta=request.organization.name,
        summary=sharing.plain_description(translated(meeting.description), 600),
        picture=meeting.picture(wanted=640) if meeting.image else None,
        facts=tuple(facts),
        more=_("See this meeting on the site of %(name)s") % {"name": request.organization.name},
    )
