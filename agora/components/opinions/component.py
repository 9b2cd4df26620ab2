"""Manifest of the opinion maps (Polis-style groups of opinion), discovered at start-up."""

from django.utils.translation import gettext_lazy as _

from agora.components.registry import (
    MANAGERS,
    PARTICIPANTS,
    ActionRule,
    ComponentManifest,
    OpenDataTable,
    Resource,
    Setting,
    registry,
)

manifest = registry.register(
    ComponentManifest(
        name="opinions",
        label=_("Opinion map"),
        description=_(
            "Participants vote agree, disagree or pass on short statements; the map shows the groups "
            "of opinion, what sets each apart and what everyone shares (Polis' method)."
        ),
        settings=(
            Setting(
                "participant_statements",
                "bool",
                True,
                _("Participants may add statements"),
                help_text=_("Statements of at most 280 characters, that the others vote on."),
            ),
            Setting(
                "moderation",
                "choice",
                "after",
                _("Moderation of the participants' statements"),
                choices=(
                    ("after", _("After: published at once, moderators may reject them")),
                    ("before", _("Before: shown once a moderator has published them")),
                ),
            ),
        ),
        phase_settings=(
            Setting("votes_enabled", "bool", True, _("Votes open")),
            Setting("statements_enabled", "bool", True, _("Participants may add statements")),
        ),
        rules=(
            ActionRule(
                "opinions.vote",
                PARTICIPANTS,
                action="vote",
                opened_by="votes_enabled",
                view="opinions:vote",
                method="GET",
            ),
            ActionRule(
                "opinions.propose",
                PARTICIPANTS,
                action="propose",
                opened_by="statements_enabled",
                needs={"participant_statements": True},
                view="opinions:propose",
                method="GET",
            ),
            ActionRule("opinions.report", MANAGERS, view="opinions:report", method="GET"),
            ActionRule("opinions.manage", MANAGERS, view="opinions_admin:index", method="GET"),
        ),
        public_urls="agora.components.opinions.urls",
        admin_urls="agora.components.opinions.admin_urls",
        stats="agora.components.opinions.hooks.stats",
        search="agora.components.opinions.hooks.search",
        seed="agora.components.opinions.hooks.seed",
        participation="agora.components.opinions.hooks.participation",
        participant_ids="agora.components.opinions.hooks.participant_ids",
        embed="agora.components.opinions.sharing.embed_card",
        api="agora.components.opinions.public_api.router",
        resources=(
            Resource("opinions.Statement", reportable="agora.components.opinions.integrations.StatementReports"),
        ),
        personal_data="agora.components.opinions.hooks.personal_data",
        open_data=(
            OpenDataTable(
                "opinion_statements",
                _("Statements of opinion maps, with the votes of each group of opinion"),
                rows="agora.components.opinions.hooks.open_data_statements",
                columns=(
                    ("id", _("Number of the statement")),
                    ("text", _("Statement")),
                    ("seed", _("Seeded by the organization")),
                    ("agree", _("Agree votes")),
                    ("disagree", _("Disagree votes")),
                    ("pass", _("Pass votes")),
                    ("groups", _("Number of groups of opinion at the last analysis")),
                    ("agree_by_group", _("Share of each group that agrees, in percent (group A first)")),
                    ("disagree_by_group", _("Share of each group that disagrees, in percent (group A first)")),
                ),
            ),
        ),
    )
)
