"""Manifest of the news component, discovered at start-up by agora.components."""

from django.utils.translation import gettext_lazy as _

from agora.components.registry import ComponentManifest, Setting, registry

manifest = registry.register(
    ComponentManifest(
        name="news",
        label=_("News"),
        description=_("The blog of a space: news with a publication date, an author and an image."),
        settings=(
            Setting(
                "posts_per_page", "int", 10, _("Posts per page"),
                help_text=_("How many posts the news page lists before the link to older ones."),
                min_value=1, max_value=50,
            ),
        ),
        # Publication dates already say when a post appears; nothing changes with phases.
        phase_settings=(),
        # Read-only for participants: nothing to gate.
        actions=(),
        public_urls="agora.components.news.urls",
        admin_urls="agora.components.news.admin_urls",
        stats="agora.components.news.hooks.stats",
        exports={"json": "agora.components.news.hooks.export_json"},
        search="agora.components.news.hooks.search",
        seed="agora.components.news.hooks.seed",
        home_block="agora.components.news.hooks.home_block",
    )
)
