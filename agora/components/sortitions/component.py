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
        ),
    )
)
