"""Manifest of the follow-up component, discovered at start-up by agora.components."""

from django.utils.translation import gettext_lazy as _

from agora.comments.settings import PHASE_SETTINGS as COMMENT_PHASE_SETTINGS
from agora.comments.settings import comment_rule
from agora.comments.settings import component_settings as comment_settings
from agora.components.registry import (
    MANAGERS,
    ActionRule,
    ComponentManifest,
    NotificationEvent,
    OpenDataTable,
    Resource,
    Setting,
    TranslatableFields,
    registry,
)

manifest = registry.register(
    ComponentManifest(
        name="accountability",
        label=_("Follow-up of results"),
        description=_(
            "What became of the ideas and the voted projects: results with a status, a progress, "
            "a timeline with photos, a map."
        ),
        settings=(
            Setting(
                "group_by",
                "choice",
                "category",
                _("Group the results by"),
                help_text=_("How the public page groups the results at first (visitors can switch)."),
                choices=(("category", _("Category")), ("scope", _("District"))),
            ),
            Setting(
                "show_map",
                "bool",
                True,
                _("Show the map"),
                help_text=_("A map of the results that have a location, with the list as alternative."),
            ),
            # Comments on the results: off until an officer turns them on.
            *comment_settings(enabled=False),
        ),
        phase_settings=COMMENT_PHASE_SETTINGS,
        # Participants only comment (when the setting is on).
        rules=(
            comment_rule("accountability.Result"),
            ActionRule("accountability.manage", MANAGERS, view="accountability_admin:index", method="GET"),
        ),
        public_urls="agora.components.accountability.urls",
        admin_urls="agora.components.accountability.admin_urls",
        stats="agora.components.accountability.hooks.stats",
        stats_many="agora.components.accountability.hooks.stats_many",
        exports={
            "csv": "agora.components.accountability.hooks.export_csv",
            "json": "agora.components.accountability.hooks.export_json",
        },
        search="agora.components.accountability.hooks.search",
        seed="agora.components.accountability.hooks.seed",
        copy="agora.components.accountability.copying.copy_configuration",
        # Results are commentable (and so followable) when the component's setting says so.
        resources=(Resource("accountability.Result", commentable=True),),
        events=(
            NotificationEvent(
                "accountability.status_changed",
                label=_("What became of an idea I follow or a project I voted for"),
                message=_("“%(target)s” is now: %(status)s"),
            ),
        ),
        embed="agora.components.accountability.sharing.embed_card",
        translatable=(
            TranslatableFields(
                "accountability.Result",
                ("title", "description"),
                rows="agora.components.accountability.selectors.public_results",
                html=("description",),
            ),
            TranslatableFields(
                "accountability.Milestone",
                ("title", "description"),
                rows="agora.components.accountability.selectors.public_milestones",
                html=("description",),
            ),
        ),
        api="agora.components.accountability.public_api.router",
        api_scopes=(("accountability.write", _("Update follow-up results and milestones")),),
        open_data=(
            OpenDataTable(
                "results",
                _("Follow-up results"),
                rows="agora.components.accountability.hooks.open_data_results",
                translated=(
                    "title",
                    "description",
                    "status_name",
                ),
                model="accountability.Result",
                columns=(
                    ("id", _("Number of the result")),
                    ("parent_id", _("Number of the result it is part of, if any")),
                    ("reference", _("Reference in the services' tracking tool")),
                    ("title", _("Title, per language")),
                    ("description", _("Description in HTML, per language")),
                    ("status", _("Code of its status")),
                    ("status_name", _("Name of its status, per language")),
                    ("progress", _("Progress (%)")),
                    ("start_date", _("Start date (ISO 8601)")),
                    ("end_date", _("End date (ISO 8601)")),
                    ("category", _("Category")),
                    ("scope", _("District or territory")),
                    ("address", _("Address")),
                    ("latitude", _("Latitude (WGS 84)")),
                    ("longitude", _("Longitude (WGS 84)")),
                    ("idea_ids", _("Numbers of the ideas it comes from")),
                    ("project_ids", _("Numbers of the budget projects it comes from")),
                    ("url", _("Address of the result")),
                ),
            ),
            OpenDataTable(
                "milestones",
                _("Milestones of the follow-up results"),
                rows="agora.components.accountability.hooks.open_data_milestones",
                translated=("title", "description"),
                columns=(
                    ("id", _("Number of the milestone")),
                    ("result_id", _("Number of its result (results file)")),
                    ("date", _("Date (ISO 8601)")),
                    ("title", _("Title, per language")),
                    ("description", _("Text in HTML, per language")),
                    ("url", _("Address of its result")),
                ),
            ),
        ),
    )
)
