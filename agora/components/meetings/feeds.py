"""The RSS and Atom feeds of a meetings component: its public meetings
(published, not private, not hidden), the latest published first."""

from agora.components import feeds
from agora.components.meetings.models import Meeting
from agora.core import formats
from agora.core.translations import translated


class MeetingsFeed(feeds.ComponentFeed):
    def items_of(self, component):
        meetings = Meeting.objects.filter(component=component).public().visible().order_by("-published_at", "-id")
        found = list(meetings[: feeds.ITEMS])
        for meeting in found:
            meeting.component = component
        return found

    def item_title(self, meeting):
        return f"{translated(meeting.title)} — {formats.long_datetime(meeting.starts_at)}"

    def item_description(self, meeting):
        return feeds.summary(translated(meeting.description))

    def item_pubdate(self, meeting):
        return meeting.published_at
