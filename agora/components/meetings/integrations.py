"""How the conversation layer (comments, moderation) sees a meeting. The
manifest (component.py) names these adapters; the layers read them there."""

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.comments import registry as comments_registry
from agora.core.translations import translated
from agora.moderation import registry as moderation_registry
from agora.permissions import can


class MeetingComments(comments_registry.Commentable):
    """Comments of a published meeting, before and after it; none on a cancelled one."""

    def authors(self, meeting):
        return []

    def is_visible(self, user, meeting):
        return bool(can(user, "meetings.view", meeting))

    def closed_reason(self, meeting) -> str:
        if meeting.cancelled_at is not None:
            return _("This meeting is cancelled: comments stay readable, but no new one can be added.")
        return ""


class MeetingReports(moderation_registry.ReportableAdapter):
    label = gettext_lazy("meeting")

    def organization(self, meeting):
        return meeting.component.space.organization

    def space(self, meeting):
        return meeting.component.space

    def author(self, meeting):
        return meeting.organizer

    def excerpt(self, meeting):
        return f"{translated(meeting.title)}\n\n{strip_tags(translated(meeting.description))}"[:1000]

    def can_view(self, user, meeting):
        return bool(can(user, "meetings.view", meeting))
