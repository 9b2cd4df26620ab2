"""Manifest of the sortitions component (citizens' panels drawn by lot with quotas),
discovered at start-up by agora.components. The engine is agora.sortition."""

from django.utils.translation import gettext_lazy as _

from agora.components.registry import (
    MANAGERS,
    PARTICIPANTS,
    VIEWERS,
    ActionRule,
    ComponentManifest,
    OpenDataTable,
    registry,
)

manifest = registry.register(
    ComponentManifest(
        name="sortitions",
        label=_("Sortitions"),
        description=_(
            "Citizens' panels drawn by lot from a pool of volunteers with quotas: the fairest selection known "
            "(LEXIMIN), each volunteer's chance, and a draw anyone can check."
        ),
        settings=(),
        phase_settings=(),
        actions=(),
        rules=(
            ActionRule(
                "sortitions.volunteer",
                PARTICIPANTS,
                action="volunteer",
                on="sortitions.Sortition",
                where={"registration_open": True},
                view="sortitions:volunteer",
                method="GET",
            ),
            ActionRule("sortitions.view", VIEWERS, view="sortitions:index", method="GET"),
            ActionRule("sortitions.manage", MANAGERS, view="sortitions_admin:index", method="GET"),
        ),
        public_urls="agora.components.sortitions.urls",
        admin_urls="agora.components.sortitions.admin_urls",
        stats="agora.components.sortitions.hooks.stats",
        seed="agora.components.sortitions.hooks.seed",
        api="agora.components.sortitions.public_api.router",
        personal_data="agora.components.sortitions.hooks.personal_data",
        open_data=(
            OpenDataTable(
                "sortition_draws",
                _("Draws by lot of citizens' panels"),
                rows="agora.components.sortitions.hooks.open_data_draws",
                columns=(
                    ("id", _("Number of the draw")),
                    ("sortition", _("Title of the sortition")),
                    ("kind", _("selection or replacement")),
                    ("algorithm", _("leximin, maximin or legacy")),
                    ("version", _("Version of the sortition engine")),
                    ("seats", _("Seats drawn")),
                    ("pool_sha256", _("SHA-256 of the canonical pool (pseudonymous ids and features)")),
                    ("distribution_sha256", _("SHA-256 of the distribution published before the draw")),
                    ("seed_sha256", _("The seed (SHA-256 of the revealed secrets and the public value)")),
                    ("min_probability", _("Smallest selection probability of a volunteer")),
                    ("drawn_at", _("Date and time of the draw (ISO 8601)")),
                    ("bundle_url", _("Address of the verification bundle (JSON)")),
                ),
            ),
            OpenDataTable(
                "sortition_idea_draws",
                _("Drawings of ideas by lot"),
                rows="agora.components.sortitions.hooks.open_data_idea_draws",
                columns=(
                    ("id", _("Number of the drawing")),
                    ("title", _("Title of the drawing")),
                    ("ideas_component_id", _("Number of the ideas component the ideas are drawn from")),
                    ("count", _("Ideas to draw")),
                    ("candidates", _("Number of candidate ideas")),
                    ("state", _("published (waiting for the seed) or drawn")),
                    ("published_at", _("Date and time the candidates were published (ISO 8601)")),
                    ("drawn_at", _("Date and time of the draw (ISO 8601)")),
                    ("candidates_sha256", _("SHA-256 of the candidates document published before the draw")),
                    ("public_value", _("The public value not known in advance (once drawn)")),
                    ("seed_sha256", _("The seed (SHA-256 of the revealed secrets and the public value)")),
                    ("parties", _("Parties of the commit–reveal (file sortition_idea_draw_parties)")),
                    ("dropped_parties", _("Parties dropped because they did not reveal their secret")),
                    ("drawn", _("Numbers of the ideas drawn (titles: file sortition_drawn_ideas)")),
                    ("url", _("Address of the drawing's public page")),
                    ("bundle_url", _("Address of the verification bundle (JSON)")),
                ),
            ),
            OpenDataTable(
                "sortition_idea_draw_parties",
                _("Parties of the commit–reveal of drawings of ideas"),
                rows="agora.components.sortitions.hooks.open_data_idea_draw_parties",
                columns=(
                    ("idea_draw_id", _("Number of the drawing")),
                    ("id", _("Number of the party")),
                    ("party", _("Name of the party")),
                    ("commitment", _("The party's commitment (SHA-256 of its secret)")),
                    ("secret", _("The secret revealed (once drawn; empty for a dropped party)")),
                    ("dropped", _("Did not reveal its secret and was dropped (once drawn)")),
                ),
            ),
            OpenDataTable(
                "sortition_drawn_ideas",
                _("Ideas drawn by lot"),
                rows="agora.components.sortitions.hooks.open_data_drawn_ideas",
                columns=(
                    ("idea_draw_id", _("Number of the drawing")),
                    ("idea_id", _("Number of the idea")),
                    ("title", _("Title of the idea when the candidates were published (empty when hidden)")),
                    ("hidden", _("Hidden by moderation since: only its number is published")),
                ),
            ),
        ),
    )
)
