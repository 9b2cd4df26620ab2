"""Manifest of the citizen-vote component, discovered at start-up by agora.components."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from agora.components.registry import (
    MANAGERS,
    PARTICIPANTS,
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

# The vote the rules are asked about, among those the demo seed makes: one open.
OPEN: dict[str, Any] = {"on": "votations.Votation", "where": {"state": "open"}}

manifest = registry.register(
    ComponentManifest(
        name="votations",
        label=_("Citizen votes"),
        description=_(
            "Residents vote on one or several questions (yes or no, a list, a ranking) with an explanatory "
            "booklet, online, at a desk or on paper; one ballot per person; results with the adoption rule "
            "of each question (majority, votes in favour, turnout quorum)."
        ),
        settings=(Setting("votations_per_page", "int", 10, _("Votes per page"), min_value=5, max_value=100),),
        phase_settings=(
            Setting(
                "votes_enabled",
                "bool",
                True,
                _("Votes open"),
                help_text=_("Turn it off to pause every vote of the component (their dates still run)."),
            ),
        ),
        rules=(
            ActionRule(
                "votations.vote",
                PARTICIPANTS,
                action="vote",
                opened_by="votes_enabled",
                view="votations:vote",
                **OPEN,
            ),
            ActionRule("votations.view", VIEWERS, **OPEN, view="votations:detail", method="GET"),
            ActionRule("votations.manage", MANAGERS, view="votations_admin:index", method="GET"),
        ),
        public_urls="agora.components.votations.urls",
        admin_urls="agora.components.votations.admin_urls",
        stats="agora.components.votations.hooks.stats",
        exports={"csv": "agora.components.votations.hooks.export_csv"},
        search="agora.components.votations.hooks.search",
        seed="agora.components.votations.hooks.seed",
        participation="agora.components.votations.hooks.participation",
        participant_ids="agora.components.votations.hooks.participant_ids",
        resources=(Resource("votations.Votation", followable=True),),
        events=(
            NotificationEvent(
                "votations.opened",
                label=_("A citizen vote opens in a space I follow"),
                message=_("The vote “%(target)s” is open"),
            ),
            NotificationEvent(
                "votations.closed",
                label=_("A citizen vote I follow is closed"),
                message=_("The vote “%(target)s” is closed: see the results"),
            ),
        ),
        embed="agora.components.votations.sharing.embed_card",
        translatable=(
            TranslatableFields(
                "votations.Votation",
                ("title", "description"),
                rows="agora.components.votations.selectors.public_votations",
                html=("description",),
            ),
            TranslatableFields(
                "votations.Question",
                ("title", "booklet"),
                rows="agora.components.votations.selectors.public_questions",
                html=("booklet",),
            ),
        ),
        api="agora.components.votations.public_api.router",
        personal_data="agora.components.votations.hooks.personal_data",
        open_data=(
            OpenDataTable(
                "votations",
                _("Citizen votes"),
                rows="agora.components.votations.hooks.open_data_votations",
                translated=("title",),
                model="votations.Votation",
                columns=(
                    ("id", _("Number of the vote")),
                    ("title", _("Title, per language")),
                    ("state", _("open or closed")),
                    ("opens_at", _("Opening (ISO 8601)")),
                    ("closes_at", _("Closing (ISO 8601)")),
                    ("electorate", _("People called to vote, if given")),
                    ("ballots_online", _("Ballots online and at a desk, once results are shown")),
                    ("ballots_paper", _("Ballots on paper, once results are shown")),
                    ("initiative_url", _("The citizen initiative the vote follows, if any")),
                    ("url", _("Address of the vote")),
                ),
            ),
            OpenDataTable(
                "votation_results",
                _("Results of the citizen votes"),
                rows="agora.components.votations.hooks.open_data_results",
                translated=("title", "question", "option"),
                columns=(
                    ("votation", _("Number of the vote")),
                    ("title", _("Title of the vote, per language")),
                    ("question", _("The question")),
                    ("option", _("The option")),
                    ("votes_online", _("Votes online and at a desk")),
                    ("votes_paper", _("Votes on paper")),
                    ("points", _("Points (rankings)")),
                    ("adopted", _("Whether the question is adopted under its rule")),
                    ("url", _("Address of the vote")),
                ),
            ),
        ),
    )
)
