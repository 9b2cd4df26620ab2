"""Manifest of the proposals (ideas) component, discovered at start-up by agora.components."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from agora.comments.settings import COMPONENT_SETTINGS, PHASE_SETTINGS, comment_rule
from agora.components.registry import (
    ASSIGNED,
    AUTHOR,
    EVALUATORS,
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

MODES = (("off", _("Not asked")), ("optional", _("Optional")), ("required", _("Required")))
SUPPORT_MODES = (
    ("enabled", _("Open: participants support ideas")),
    ("blocked", _("Frozen: supports are shown but nobody can add or remove one")),
    ("hidden", _("Hidden: no supports shown")),
)
ORDERS = (
    ("random", _("Random (stable for each visitor)")),
    ("recent", _("Most recent")),
    ("most_supported", _("Most supported")),
    ("most_commented", _("Most commented")),
)
ATTACHMENT_KINDS = ("image", "pdf", "docx", "odt")
# The resource most rules are about: a published idea of a participant.
IDEA: dict[str, Any] = {
    "on": "proposals.Proposal",
    "where": {"status": "published", "official": False, "author__isnull": False},
}
SUPPORTS_OPEN: dict[str, Any] = {"opened_by": "supports", "open_value": "enabled", "closed_value": "blocked"}

manifest = registry.register(
    ComponentManifest(
        name="proposals",
        label=_("Ideas"),
        description=_(
            "Participants file ideas, support and discuss them; the city's services study and answer each one."
        ),
        settings=(
            Setting(
                "proposal_limit",
                "int",
                5,
                _("Ideas per participant"),
                help_text=_("How many ideas one person may publish (withdrawn ones excepted). 0: no limit."),
                min_value=0,
                max_value=1000,
            ),
            Setting(
                "title_max_length",
                "int",
                150,
                _("Maximum length of a title"),
                help_text=_("In characters."),
                min_value=10,
                max_value=300,
            ),
            Setting(
                "body_max_length",
                "int",
                1500,
                _("Maximum length of a description"),
                help_text=_("In characters. A live counter shows what is left while typing."),
                min_value=50,
                max_value=20000,
            ),
            Setting("body_min_length", "int", 15, _("Minimum length of a description"), min_value=0, max_value=1000),
            Setting(
                "category_mode",
                "choice",
                "optional",
                _("Category"),
                choices=MODES,
                help_text=_("Which categories are offered is set in the component's setup screen."),
            ),
            Setting("scope_mode", "choice", "off", _("Scope (district, commune)"), choices=MODES),
            Setting("geolocation_mode", "choice", "off", _("Address and map pin"), choices=MODES),
            Setting("attachments_enabled", "bool", False, _("Attachments allowed")),
            Setting(
                "attachment_kinds",
                "str",
                "image,pdf,docx,odt",
                _("Allowed attachment types"),
                help_text=_(
                    "Comma-separated among: image (JPEG, PNG, WebP), pdf, docx, odt. "
                    "Files are checked by their content, not by their name."
                ),
            ),
            Setting("attachment_max_mb", "int", 10, _("Maximum size of an attachment (MB)"), min_value=1, max_value=50),
            Setting("attachments_max_count", "int", 3, _("Attachments per idea"), min_value=1, max_value=10),
            Setting(
                "edit_window_minutes",
                "int",
                15,
                _("Editing time after publishing (minutes)"),
                help_text=_("Authors may edit an idea during this time, and never once someone supported it."),
                min_value=0,
                max_value=10080,
            ),
            Setting(
                "supports_limit",
                "int",
                0,
                _("Supports per participant"),
                help_text=_("0: no limit."),
                min_value=0,
                max_value=1000,
            ),
            Setting(
                "supports_minimum",
                "int",
                0,
                _("Minimum supports before they count"),
                help_text=_("A person's supports only count once they have given at least this many. 0: always."),
                min_value=0,
                max_value=1000,
            ),
            Setting(
                "support_threshold",
                "int",
                0,
                _("Supports threshold per idea"),
                help_text=_("Shows each idea's progress towards this number. 0: no threshold."),
                min_value=0,
                max_value=1000000,
            ),
            Setting("supports_beyond_threshold", "bool", True, _("Supports may go beyond the threshold")),
            Setting("default_order", "choice", "random", _("Default order of the list"), choices=ORDERS),
            Setting("per_page", "int", 12, _("Ideas per page"), min_value=5, max_value=100),
            Setting("official_ideas_enabled", "bool", True, _("The organization may publish official ideas")),
            *COMPONENT_SETTINGS,
        ),
        phase_settings=(
            Setting("creation_enabled", "bool", True, _("Participants may file ideas")),
            Setting("supports", "choice", "enabled", _("Supports"), choices=SUPPORT_MODES),
            *PHASE_SETTINGS,
        ),
        rules=(
            # The form also serves the staff's official ideas (proposals.create_official).
            ActionRule(
                "proposals.create",
                PARTICIPANTS,
                action="create",
                opened_by="creation_enabled",
                view="proposals:create",
                method="GET",
            ),
            ActionRule(
                "proposals.support", PARTICIPANTS, action="support", **IDEA, **SUPPORTS_OPEN, view="proposals:support"
            ),
            ActionRule("proposals.unsupport", PARTICIPANTS, action="support", **IDEA, **SUPPORTS_OPEN),
            comment_rule(IDEA["on"], where=IDEA["where"]),
            ActionRule("proposals.view", VIEWERS, **IDEA, view="proposals:detail", method="GET"),
            # Reporting to the moderators: whoever reads the idea and takes part in the organization.
            ActionRule("moderation.report", READERS, **IDEA, view="moderation:report"),
            ActionRule("proposals.view_attachments", VIEWERS, **IDEA),
            ActionRule("proposals.view_confidential", (AUTHOR, EVALUATORS), **IDEA),
            # Drafts are their author's; a published idea is published once.
            ActionRule("proposals.publish", AUTHOR, **IDEA),
            ActionRule("proposals.edit", AUTHOR, **IDEA),
            ActionRule("proposals.withdraw", AUTHOR, **IDEA),
            ActionRule("proposals.create_official", MANAGERS, view="proposals:create", method="GET"),
            ActionRule("proposals.enter_on_behalf", MANAGERS, view="proposals_admin:paper_enter", method="GET"),
            # The evaluation back-office (agora.components.proposals.evaluation).
            ActionRule("proposal_evaluation.open", EVALUATORS, view="proposals_admin:index", method="GET"),
            ActionRule("proposal_evaluation.manage", MANAGERS, view="proposals_admin:states", method="GET"),
            ActionRule(
                "proposal_evaluation.see", (MANAGERS, ASSIGNED), **IDEA, view="proposals_admin:detail", method="GET"
            ),
            ActionRule(
                "proposal_evaluation.evaluate",
                (MANAGERS, ASSIGNED),
                **IDEA,
                view="proposals_admin:evaluate",
                method="GET",
            ),
        ),
        public_urls="agora.components.proposals.urls",
        admin_urls="agora.components.proposals.admin_urls",
        stats="agora.components.proposals.hooks.stats",
        stats_many="agora.components.proposals.hooks.stats_many",
        participation="agora.components.proposals.hooks.participation",
        participant_ids="agora.components.proposals.hooks.participant_ids",
        exports={
            "csv": "agora.components.proposals.evaluation.exports.public_csv",
            "json": "agora.components.proposals.evaluation.exports.public_json",
            "xlsx": "agora.components.proposals.evaluation.exports.public_xlsx",
        },
        search="agora.components.proposals.hooks.search",
        seed="agora.components.proposals.hooks.seed",
        copy="agora.components.proposals.copying.copy_configuration",
        attention="agora.components.proposals.evaluation.attention.items",
        resources=(
            Resource(
                "proposals.Proposal",
                commentable="agora.components.proposals.integrations.ProposalComments",
                reportable="agora.components.proposals.integrations.ProposalReports",
            ),
        ),
        events=(
            NotificationEvent(
                "proposals.new_idea",
                label=_("New idea in a space I follow"),
                message=_("%(actor)s proposed “%(target)s”"),
            ),
            # Told by the evaluation (agora.components.proposals.evaluation.notifications).
            NotificationEvent(
                "proposals.answer_published",
                label=_("The city answered an idea I wrote or follow"),
                message=_("The city answered the idea “%(target)s”"),
            ),
            NotificationEvent(
                "proposals.state_changed",
                label=_("The state of an idea I wrote or follow changed"),
                message=_("The idea “%(target)s” is now “%(state)s”"),
            ),
        ),
        translatable=(
            TranslatableFields(
                "proposals.Proposal", ("title", "body"), rows="agora.components.proposals.selectors.public_proposals"
            ),
        ),
        embed="agora.components.proposals.embeds.embed_card",
        api="agora.components.proposals.public_api.router",
        api_scopes=(("proposals.paper", _("Import ideas from paper campaigns")),),
        personal_data="agora.components.proposals.hooks.personal_data",
        open_data=(
            OpenDataTable(
                "ideas",
                _("Ideas"),
                rows="agora.components.proposals.evaluation.exports.open_data_ideas",
                model="proposals.Proposal",
                columns=(
                    ("id", _("Number of the idea")),
                    ("reference", _("Reference of the idea")),
                    ("title", _("Title")),
                    ("body", _("Description, in plain text")),
                    ("status", _("published or withdrawn")),
                    ("author", _("The author's public name, or the organization for an official idea")),
                    ("official", _("Filed by the organization")),
                    ("channel", _("How it was filed: online, paper, desk or meeting")),
                    ("category", _("Category")),
                    ("scope", _("District or territory")),
                    ("address", _("Address")),
                    ("latitude", _("Latitude (WGS 84)")),
                    ("longitude", _("Longitude (WGS 84)")),
                    ("supports", _("Number of supports")),
                    ("comments", _("Number of comments")),
                    ("published_at", _("Publication date and time (ISO 8601)")),
                    ("withdrawn_at", _("Withdrawal date and time (ISO 8601), if withdrawn")),
                    ("state", _("The state the organization published (accepted, rejected ...)")),
                    ("answer", _("The organization's published answer, in plain text")),
                    ("answer_published_at", _("Publication date and time of the answer (ISO 8601)")),
                    ("url", _("Address of the idea")),
                ),
            ),
        ),
    )
)
