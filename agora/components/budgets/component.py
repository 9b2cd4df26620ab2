"""Manifest of the budgets component (participatory budget votes), discovered at start-up."""

from django.utils.translation import gettext_lazy as _

from agora.comments.settings import PHASE_SETTINGS as COMMENT_PHASE_SETTINGS
from agora.comments.settings import comment_rule
from agora.comments.settings import component_settings as comment_settings
from agora.components.registry import (
    MANAGERS,
    PARTICIPANTS,
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

BUDGET_CHOICE = (
    ("all", _("Every budget: the person may vote in each one")),
    ("one", _("One budget of the person's choice")),
    ("district", _("The budget of the person's verified district (and the city-wide budgets)")),
    ("random", _("One budget drawn at random for each person (always the same for that person)")),
)
VALIDATION = (
    ("confirm", _("The person confirms the ballot with a button; it cannot be changed afterwards")),
    ("auto", _("Saved at once; the person may change it until the vote closes")),
)

manifest = registry.register(
    ComponentManifest(
        name="budgets",
        label=_("Participatory budget"),
        description=_(
            "Costed projects put to the vote under one or several budgets; paper ballots; "
            "verifiable counting (greedy or equal shares) and open data (pabulib)."
        ),
        settings=(
            Setting("budget_choice", "choice", "all", _("Which budgets a person votes in"), choices=BUDGET_CHOICE),
            Setting("validation", "choice", "confirm", _("How a ballot is validated"), choices=VALIDATION),
            # Comments on the projects: off until an officer turns them on.
            *comment_settings(enabled=False),
        ),
        phase_settings=(
            Setting(
                "votes_enabled", "bool", False, _("Votes open"), help_text=_("Participants may vote during this phase.")
            ),
            *COMMENT_PHASE_SETTINGS,
        ),
        rules=(
            # "check" asks the permission and checks the ballot without recording it.
            ActionRule(
                "budgets.vote",
                PARTICIPANTS,
                action="vote",
                on="budgets.Budget",
                opened_by="votes_enabled",
                view="budgets:budget",
                data={"check": "1"},
            ),
            comment_rule("budgets.Project"),
            ActionRule("budgets.manage", MANAGERS, view="budgets_admin:index", method="GET"),
        ),
        public_urls="agora.components.budgets.urls",
        admin_urls="agora.components.budgets.admin_urls",
        stats="agora.components.budgets.hooks.stats",
        stats_many="agora.components.budgets.hooks.stats_many",
        participation="agora.components.budgets.hooks.participation",
        participant_ids="agora.components.budgets.hooks.participant_ids",
        exports={
            "json": "agora.components.budgets.hooks.export_json",
            "csv": "agora.components.budgets.hooks.export_csv",
        },
        search="agora.components.budgets.hooks.search",
        seed="agora.components.budgets.hooks.seed",
        home_blocks=(
            BlockKind(
                "budgets.vote_open",
                _("“The vote is open” banner"),
                _(
                    "Shown only while a participatory budget vote is open: which one, until when, and the button to vote."
                ),
                render="agora.components.budgets.home.render_banner",
                settings="agora.components.budgets.home.VoteBannerSettings",
                repeatable=False,
            ),
        ),
        copy="agora.components.budgets.copying.copy_configuration",
        # Projects are commentable (and so followable) when the component's setting
        # says so; the comments layer reads the settings from the project's component.
        resources=(Resource("budgets.Project", commentable=True),),
        events=(
            NotificationEvent(
                "budgets.idea_became_project",
                label=_("My idea became a project put to the vote"),
                personal=True,
                message=_("Your idea became the project “%(target)s”, put to the vote."),
            ),
            # Told to the voters of the budget and the followers of the space (budgets.notifications).
            NotificationEvent(
                "budgets.results_published",
                label=_("Results of a vote I took part in or of a space I follow"),
                message=_("The results of “%(target)s” are published."),
            ),
            NotificationEvent(
                "budgets.results_changed",
                label=_("Changed results of a vote I took part in or of a space I follow"),
                message=_(
                    "The results of “%(target)s” have changed: %(added)s project(s) now "
                    "selected, %(dropped)s no longer selected."
                ),
            ),
            NotificationEvent(
                "budgets.results_withdrawn",
                label=_("Withdrawn results of a vote I took part in or of a space I follow"),
                message=_("The results of “%(target)s” have been withdrawn."),
            ),
        ),
        embed="agora.components.budgets.sharing.embed_card",
        translatable=(
            TranslatableFields(
                "budgets.Project",
                ("title", "description"),
                rows="agora.components.budgets.selectors.public_projects",
                html=("description",),
            ),
        ),
        api="agora.components.budgets.public_api.router",
        open_data_files="agora.components.budgets.hooks.open_data_files",
        personal_data="agora.components.budgets.hooks.personal_data",
        open_data=(
            OpenDataTable(
                "budgets",
                _("Budgets"),
                rows="agora.components.budgets.hooks.open_data_budgets",
                translated=("title",),
                columns=(
                    ("id", _("Number of the budget")),
                    ("title", _("Title, per language")),
                    ("envelope", _("Amount to share (euros)")),
                    ("rule", _("Ballot rule: approval, envelope, points, ranking or savings")),
                    ("method", _("Counting method: greedy, or mes (the method of equal shares)")),
                    ("completion", _("Completion of the method of equal shares: none or add1")),
                    ("results_published_at", _("Publication date and time of the results (ISO 8601), if published")),
                    ("selected", _("Numbers of the selected projects, once the results are published")),
                ),
            ),
            OpenDataTable(
                "projects",
                _("Budget projects"),
                rows="agora.components.budgets.hooks.open_data_projects",
                translated=("title",),
                model="budgets.Project",
                columns=(
                    ("id", _("Number of the project")),
                    ("budget_id", _("Number of its budget")),
                    ("title", _("Title, per language")),
                    ("cost", _("Cost (euros)")),
                    ("category", _("Category")),
                    ("scope", _("District or territory")),
                    ("address", _("Address")),
                    ("latitude", _("Latitude (WGS 84)")),
                    ("longitude", _("Longitude (WGS 84)")),
                    ("votes_online", _("Votes cast online, once the results are published")),
                    ("votes_paper", _("Votes cast on paper, once the results are published")),
                    ("selected", _("Selected by the published count")),
                    ("url", _("Address of the project")),
                ),
            ),
        ),
    )
)
