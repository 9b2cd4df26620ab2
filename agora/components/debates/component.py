"""Manifest of the debates component, discovered at start-up by agora.components."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from agora.comments.settings import ALIGNMENT_ENABLED, comment_rule
from agora.comments.settings import COMPONENT_SETTINGS as COMMENT_SETTINGS
from agora.comments.settings import PHASE_SETTINGS as COMMENT_PHASE_SETTINGS
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

# The debates the rules are asked about, among those the demo seed makes:
# an official debate open to comments, and one a participant opened.
OPEN_DEBATE: dict[str, Any] = {"on": "debates.Debate", "where": {"official": True, "closed_at__isnull": True}}
PARTICIPANT_DEBATE: dict[str, Any] = {
    "on": "debates.Debate",
    "where": {"official": False, "closed_at__isnull": True, "author__isnull": False},
}

manifest = registry.register(
    ComponentManifest(
        name="debates",
        label=_("Debates"),
        description=_(
            "Debates opened by the organization or by participants: arguments for, against or "
            "neutral, a live summary, and conclusions when the debate closes."
        ),
        settings=(
            Setting(
                "participant_debates",
                "bool",
                False,
                _("Participants may open debates"),
                help_text=_("Otherwise only the organization opens debates. The phases say when."),
            ),
            Setting("debates_per_page", "int", 12, _("Debates per page"), min_value=5, max_value=100),
            # Comments always say for, against or neutral here: the setting is not offered.
            *(setting for setting in COMMENT_SETTINGS if setting.name != ALIGNMENT_ENABLED),
        ),
        phase_settings=(
            Setting(
                "creation_enabled",
                "bool",
                True,
                _("Participants may open debates"),
                help_text=_("When the component lets participants open debates."),
            ),
            Setting(
                "likes_enabled",
                "bool",
                True,
                _("Likes enabled"),
                help_text=_("Participants may like debates (one like per person and debate)."),
            ),
            *COMMENT_PHASE_SETTINGS,
        ),
        rules=(
            ActionRule(
                "debates.create",
                PARTICIPANTS,
                action="create",
                opened_by="creation_enabled",
                needs={"participant_debates": True},
                view="debates:create",
                method="GET",
            ),
            comment_rule(OPEN_DEBATE["on"], where=OPEN_DEBATE["where"]),
            ActionRule("debates.view", VIEWERS, **OPEN_DEBATE, view="debates:detail", method="GET"),
            ActionRule("moderation.report", READERS, **OPEN_DEBATE, view="moderation:report"),
            ActionRule("debates.close", (AUTHOR, MANAGERS), **PARTICIPANT_DEBATE, view="debates:close", method="GET"),
            ActionRule("debates.edit", AUTHOR, **PARTICIPANT_DEBATE, view="debates:edit", method="GET"),
            ActionRule(
                "debates.like",
                PARTICIPANTS,
                action="like",
                opened_by="likes_enabled",
                **OPEN_DEBATE,
                view="debates:like",
            ),
            ActionRule("debates.unlike", PARTICIPANTS, action="like", opened_by="likes_enabled", **OPEN_DEBATE),
            ActionRule("debates.manage", MANAGERS, view="debates_admin:index", method="GET"),
        ),
        public_urls="agora.components.debates.urls",
        admin_urls="agora.components.debates.admin_urls",
        stats="agora.components.debates.hooks.stats",
        stats_many="agora.components.debates.hooks.stats_many",
        participation="agora.components.debates.hooks.participation",
        participant_ids="agora.components.debates.hooks.participant_ids",
        upcoming="agora.components.debates.hooks.upcoming",
        exports={"csv": "agora.components.debates.hooks.export_csv"},
        search="agora.components.debates.hooks.search",
        seed="agora.components.debates.hooks.seed",
        copy="agora.components.debates.copying.copy_configuration",
        resources=(
            Resource(
                "debates.Debate",
                commentable="agora.components.debates.integrations.DebateComments",
                followable=True,
                reportable="agora.components.debates.integrations.DebateReports",
            ),
        ),
        events=(
            NotificationEvent(
                "debates.new_debate",
                label=_("New debate in a space I follow"),
                message=_("A debate is open: “%(target)s”"),
            ),
            NotificationEvent(
                "debates.information_added",
                label=_("New information in a debate I follow"),
                message=_("New information in the debate “%(target)s”"),
            ),
            NotificationEvent(
                "debates.closed",
                label=_("A debate I follow is closed with its conclusions"),
                message=_("The debate “%(target)s” is closed: read its conclusions"),
            ),
        ),
        translatable=(
            TranslatableFields(
                "debates.Debate",
                ("title", "description"),
                rows="agora.components.debates.selectors.public_debates",
                html=("description",),
            ),
        ),
        embed="agora.components.debates.sharing.embed_card",
        api="agora.components.debates.public_api.router",
        personal_data="agora.components.debates.hooks.personal_data",
        open_data=(
            OpenDataTable(
                "debates",
                _("Debates"),
                rows="agora.components.debates.hooks.open_data_debates",
                translated=(
                    "title",
                    "description",
                    "conclusions",
                ),
                model="debates.Debate",
                columns=(
                    ("id", _("Number of the debate")),
                    ("title", _("Title, per language")),
                    ("description", _("Description in HTML, per language")),
                    ("official", _("Opened by the organization")),
                    ("opened_by", _("Opened by (the author's public name, or the organization)")),
                    ("category", _("Category")),
                    ("scope", _("District or territory")),
                    ("state", _("open, upcoming or closed")),
                    ("starts_at", _("Start date and time (ISO 8601), if any")),
                    ("ends_at", _("End date and time (ISO 8601), if any")),
                    ("closed_at", _("Date and time it was closed with conclusions (ISO 8601)")),
                    ("conclusions", _("Conclusions in HTML, per language")),
                    ("comments", _("Number of comments")),
                    ("for", _("Comments for")),
                    ("against", _("Comments against")),
                    ("neutral", _("Neutral comments")),
                    ("url", _("Address of the debate")),
                ),
            ),
        ),
    )
)
