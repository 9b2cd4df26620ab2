"""Manifest of the meetings component, discovered at start-up by agora.components."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from agora.comments.settings import COMPONENT_SETTINGS as COMMENT_SETTINGS
from agora.comments.settings import PHASE_SETTINGS as COMMENT_PHASE_SETTINGS
from agora.comments.settings import comment_rule
from agora.components.registry import (
    AUTHOR,
    MANAGERS,
    PARTICIPANTS,
    READERS,
    VIEWERS,
    ActionRule,
    ComponentManifest,
    NotificationEvent,
    OpenDataTable,
    Resource,
    Setting,
    TranslatableFields,
    registry,
)
from agora.core.home import BlockKind

# The meetings the rules are asked about, among those the demo seed makes: a
# public published meeting, and one of them taking registrations here (upcoming,
# with no terms to accept: the seed makes every such meeting upcoming).
PUBLIC_MEETING: dict[str, Any] = {
    "on": "meetings.Meeting",
    "where": {"published_at__isnull": False, "visibility": "public", "cancelled_at__isnull": True},
}
OPEN_MEETING: dict[str, Any] = {
    "on": "meetings.Meeting",
    "where": {
        "published_at__isnull": False,
        "visibility": "public",
        "cancelled_at__isnull": True,
        "closed_at__isnull": True,
        "registration_type": "agora",
        "questionnaire__isnull": True,
        "waiting_count": 0,
    },
}
# A meeting a participant organizes (the seed makes one, upcoming, organized by a resident).
PARTICIPANT_MEETING: dict[str, Any] = {
    "on": "meetings.Meeting",
    "where": {
        "organizer__isnull": False,
        "published_at__isnull": False,
        "cancelled_at__isnull": True,
        "closed_at__isnull": True,
    },
}

manifest = registry.register(
    ComponentManifest(
        name="meetings",
        label=_("Meetings"),
        description=_(
            "Public meetings in person, online or both: agenda, registration with a waiting list, "
            "attendance at the door, minutes and the ideas that came out of them."
        ),
        settings=(
            Setting(
                "participant_meetings",
                "bool",
                False,
                _("Participants may organize meetings"),
                help_text=_("Otherwise only the organization organizes meetings. The phases say when."),
            ),
            Setting("meetings_per_page", "int", 12, _("Meetings per page"), min_value=5, max_value=100),
            *COMMENT_SETTINGS,
        ),
        phase_settings=(
            Setting(
                "registrations_enabled",
                "bool",
                True,
                _("Registrations open"),
                help_text=_("People may register for the meetings during this phase."),
            ),
            Setting(
                "creation_enabled",
                "bool",
                True,
                _("Participants may organize meetings"),
                help_text=_("When the component lets participants organize meetings."),
            ),
            *COMMENT_PHASE_SETTINGS,
        ),
        rules=(
            ActionRule(
                "meetings.register",
                PARTICIPANTS,
                action="register",
                opened_by="registrations_enabled",
                view="meetings:register",
                data={"accepted_terms": "on"},
                **OPEN_MEETING,
            ),
            ActionRule("meetings.view", VIEWERS, **PUBLIC_MEETING, view="meetings:detail", method="GET"),
            comment_rule(PUBLIC_MEETING["on"], where=PUBLIC_MEETING["where"]),
            ActionRule("moderation.report", READERS, **PUBLIC_MEETING, view="moderation:report"),
            ActionRule(
                "meetings.create",
                PARTICIPANTS,
                action="create",
                opened_by="creation_enabled",
                needs={"participant_meetings": True},
                view="meetings:create",
                method="GET",
            ),
            ActionRule("meetings.edit", AUTHOR, **PARTICIPANT_MEETING, view="meetings:edit", method="GET"),
            ActionRule("meetings.manage", MANAGERS, view="meetings_admin:index", method="GET"),
        ),
        public_urls="agora.components.meetings.urls",
        admin_urls="agora.components.meetings.admin_urls",
        site_urls="agora.components.meetings.site_urls",
        stats="agora.components.meetings.hooks.stats",
        participation="agora.components.meetings.hooks.participation",
        participant_ids="agora.components.meetings.hooks.participant_ids",
        upcoming="agora.components.meetings.hooks.upcoming",
        exports={
            "csv": "agora.components.meetings.hooks.export_csv",
            "ics": "agora.components.meetings.hooks.export_ics",
        },
        search="agora.components.meetings.hooks.search",
        seed="agora.components.meetings.hooks.seed",
        attention="agora.components.meetings.hooks.attention",
        home_blocks=(
            BlockKind(
                "meetings.upcoming",
                _("Upcoming meetings"),
                _("The next public meetings of every public space, with a link to the agenda."),
                render="agora.components.meetings.home.render_block",
                settings="agora.components.meetings.home.UpcomingMeetingsSettings",
                default_settings={"count": 3},
            ),
        ),
        resources=(
            Resource(
                "meetings.Meeting",
                commentable="agora.components.meetings.integrations.MeetingComments",
                followable=True,
                reportable="agora.components.meetings.integrations.MeetingReports",
            ),
        ),
        events=(
            NotificationEvent(
                "meetings.new_meeting",
                label=_("New meeting in a space I follow"),
                message=_("A meeting is announced: “%(target)s”"),
            ),
            NotificationEvent(
                "meetings.updated",
                label=_("A meeting I follow or registered for changes its date, place or link"),
                message=_("The meeting “%(target)s” has changed: check its date and place"),
            ),
            NotificationEvent(
                "meetings.cancelled",
                label=_("A meeting I follow or registered for is cancelled"),
                message=_("The meeting “%(target)s” is cancelled"),
            ),
            NotificationEvent(
                "meetings.closed",
                label=_("The minutes of a meeting I follow are published"),
                message=_("The minutes of the meeting “%(target)s” are published"),
            ),
        ),
        translatable=(
            TranslatableFields(
                "meetings.Meeting",
                ("title", "description"),
                rows="agora.components.meetings.selectors.public_meetings",
                html=("description",),
            ),
        ),
        embed="agora.components.meetings.sharing.embed_card",
        api="agora.components.meetings.public_api.router",
        personal_data="agora.components.meetings.hooks.personal_data",
        open_data=(
            OpenDataTable(
                "meetings",
                _("Meetings"),
                rows="agora.components.meetings.hooks.open_data_meetings",
                translated=(
                    "title",
                    "description",
                    "minutes",
                ),
                model="meetings.Meeting",
                columns=(
                    ("id", _("Number of the meeting")),
                    ("title", _("Title, per language")),
                    ("description", _("Description in HTML, per language")),
                    ("type", _("in_person, online or hybrid")),
                    ("address", _("Address")),
                    ("latitude", _("Latitude")),
                    ("longitude", _("Longitude")),
                    ("starts_at", _("Start (ISO 8601, with its offset)")),
                    ("ends_at", _("End (ISO 8601, with its offset)")),
                    ("time_zone", _("Time zone of the meeting")),
                    ("category", _("Category")),
                    ("scope", _("District or territory")),
                    ("services", _("Services offered: codes separated by commas")),
                    ("cancelled", _("Cancelled")),
                    ("places", _("Places offered to registration (empty: no limit)")),
                    ("registered", _("Confirmed registrations")),
                    ("attendees", _("Attendees counted at the meeting")),
                    ("minutes", _("Minutes in HTML, per language")),
                    ("ideas", _("Numbers of the linked ideas")),
                    ("url", _("Address of the meeting")),
                ),
            ),
        ),
    )
)
