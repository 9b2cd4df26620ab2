"""Manifest of the initiatives component, discovered at start-up by agora.components."""

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

# The initiative the rules are asked about, among those the demo seed makes: one collecting signatures.
COLLECTING: dict[str, Any] = {"on": "initiatives.Initiative", "where": {"state": "collecting"}}
DRAFT: dict[str, Any] = {"on": "initiatives.Initiative", "where": {"state": "committee"}}

manifest = registry.register(
    ComponentManifest(
        name="initiatives",
        label=_("Citizen initiatives"),
        description=_(
            "Residents file initiatives (petitions, right of interpellation) that collect signatures online and "
            "on paper; each tier reached (a number of signatures within a window) brings a mediation, a "
            "workshop, a council debate or a citizen vote, and the city's response."
        ),
        settings=(
            Setting("initiatives_per_page", "int", 12, _("Initiatives per page"), min_value=5, max_value=100),
            *COMMENT_SETTINGS,
        ),
        phase_settings=(
            Setting(
                "filing_enabled",
                "bool",
                True,
                _("Residents may file initiatives"),
                help_text=_("When residents may file new initiatives."),
            ),
            Setting(
                "signing_enabled",
                "bool",
                True,
                _("Initiatives collect signatures"),
                help_text=_("Turn it off to pause every collection of the component (the windows still run)."),
            ),
            *COMMENT_PHASE_SETTINGS,
        ),
        rules=(
            ActionRule(
                "initiatives.create",
                PARTICIPANTS,
                action="file",
                opened_by="filing_enabled",
                view="initiatives:create",
                method="GET",
            ),
            ActionRule(
                "initiatives.sign",
                PARTICIPANTS,
                action="sign",
                opened_by="signing_enabled",
                view="initiatives:sign",
                **COLLECTING,
            ),
            comment_rule(COLLECTING["on"], where=COLLECTING["where"]),
            ActionRule("initiatives.view", VIEWERS, **COLLECTING, view="initiatives:detail", method="GET"),
            ActionRule("moderation.report", READERS, **COLLECTING, view="moderation:report"),
            # The signer alone (nobody of the matrix signed the demo's initiative).
            ActionRule("initiatives.withdraw", AUTHOR, **COLLECTING, view="initiatives:withdraw"),
            # The author of a draft; the people invited to its committee.
            ActionRule("initiatives.edit", AUTHOR, **DRAFT),
            ActionRule("initiatives.join", AUTHOR, **DRAFT),
            ActionRule("initiatives.manage", MANAGERS, view="initiatives_admin:index", method="GET"),
        ),
        public_urls="agora.components.initiatives.urls",
        admin_urls="agora.components.initiatives.admin_urls",
        stats="agora.components.initiatives.hooks.stats",
        exports={"csv": "agora.components.initiatives.hooks.export_csv"},
        search="agora.components.initiatives.hooks.search",
        participation="agora.components.initiatives.hooks.participation",
        seed="agora.components.initiatives.hooks.seed",
        resources=(
            Resource(
                "initiatives.Initiative",
                commentable="agora.components.initiatives.integrations.InitiativeComments",
                followable=True,
                reportable="agora.components.initiatives.integrations.InitiativeReports",
            ),
        ),
        events=(
            NotificationEvent(
                "initiatives.published",
                label=_("A new initiative collects signatures in a space I follow"),
                message=_("The initiative “%(target)s” collects signatures"),
            ),
            NotificationEvent(
                "initiatives.progress",
                label=_("An initiative I follow or signed is on its way to its next tier"),
                message=_("The initiative “%(target)s” has %(mark)s %% of the signatures of its next tier"),
            ),
            NotificationEvent(
                "initiatives.tier_reached",
                label=_("An initiative I follow or signed reached a tier"),
                message=_("The initiative “%(target)s” reached its tier %(tier)s (%(threshold)s signatures)"),
            ),
            NotificationEvent(
                "initiatives.changed",
                label=_("News of an initiative I follow, signed or promote"),
                message=_("News of the initiative “%(target)s”"),
            ),
            NotificationEvent(
                "initiatives.invited",
                label=_("I am invited to the committee of an initiative"),
                message=_("%(actor)s invites you to the promoter committee of “%(target)s”"),
                mutable=False,
                personal=True,
            ),
        ),
        embed="agora.components.initiatives.sharing.embed_card",
        translatable=(
            TranslatableFields(
                "initiatives.Initiative",
                ("title", "question", "body"),
                rows="agora.components.initiatives.selectors.public_initiatives",
                html=("body",),
            ),
        ),
        api="agora.components.initiatives.public_api.router",
        personal_data="agora.components.initiatives.hooks.personal_data",
        open_data=(
            OpenDataTable(
                "initiatives",
                _("Citizen initiatives"),
                rows="agora.components.initiatives.hooks.open_data_initiatives",
                translated=("type",),
                model="initiatives.Initiative",
                columns=(
                    ("id", _("Number of the initiative")),
                    ("title", _("Title")),
                    ("type", _("Kind of initiative, per language")),
                    ("scope", _("District or territory")),
                    ("state", _("collecting, closed, answered, lapsed or refused")),
                    ("refusal_reason", _("Why it was not admissible, if so")),
                    ("published_at", _("Date it started collecting (ISO 8601)")),
                    ("open_until", _("End of the current window (ISO 8601)")),
                    ("signatures", _("Valid signatures, online and on paper")),
                    ("tiers_reached", _("Positions of the tiers reached")),
                    ("url", _("Address of the initiative")),
                ),
            ),
            OpenDataTable(
                "initiative_tiers",
                _("Tiers of the citizen initiatives"),
                rows="agora.components.initiatives.hooks.open_data_tiers",
                columns=(
                    ("initiative", _("Number of the initiative")),
                    ("position", _("Rank of the tier")),
                    ("kind", _("mediation, workshop, council, vote or other")),
                    ("threshold", _("Signatures required")),
                    ("window_ends_at", _("End of its window (ISO 8601)")),
                    ("reached_at", _("Date it was reached (ISO 8601), if so")),
                    ("response_due", _("Date the city's response is due, if any")),
                    ("answered_at", _("Date the city answered, if so")),
                    ("sample_seed", _("Seed of the verification sample, once published")),
                    ("sample", _("Numbers of the signatures drawn for checking")),
                ),
            ),
        ),
    )
)
