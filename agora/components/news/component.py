"""Manifest of the news component, discovered at start-up by agora.components."""

from django.utils.translation import gettext_lazy as _

from agora.comments.settings import COMPONENT_SETTINGS as COMMENT_SETTINGS
from agora.comments.settings import PHASE_SETTINGS as COMMENT_PHASE_SETTINGS
from agora.comments.settings import comment_rule
from agora.components.registry import ComponentManifest, OpenDataTable, Resource, Setting, TranslatableFields, registry
from agora.core.home import BlockKind

manifest = registry.register(
    ComponentManifest(
        name="news",
        label=_("News"),
        description=_("The blog of a space: news with a publication date, an author and an image."),
        settings=(
            Setting(
                "posts_per_page",
                "int",
                10,
                _("Posts per page"),
                help_text=_("How many posts the news page lists before the link to older ones."),
                min_value=1,
                max_value=50,
            ),
            *COMMENT_SETTINGS,
        ),
        # Publication dates already say when a post appears; only comments change with phases.
        phase_settings=COMMENT_PHASE_SETTINGS,
        # Participants comment on posts; staff screens ask component.manage.
        rules=(comment_rule("news.Post", where={"published_at__isnull": False}),),
        public_urls="agora.components.news.urls",
        admin_urls="agora.components.news.admin_urls",
        stats="agora.components.news.hooks.stats",
        stats_many="agora.components.news.hooks.stats_many",
        exports={"json": "agora.components.news.hooks.export_json"},
        search="agora.components.news.hooks.search",
        seed="agora.components.news.hooks.seed",
        home_blocks=(
            BlockKind(
                "news.latest",
                _("Latest news"),
                _("The latest posts of the news of every public space."),
                render="agora.components.news.hooks.home_block",
                settings="agora.components.news.hooks.LatestNewsSettings",
                default_position=30,
                default_settings={"count": 3},
                repeatable=False,
            ),
        ),
        resources=(Resource("news.Post", commentable="agora.components.news.hooks.PostComments"),),
        translatable=(
            TranslatableFields(
                "news.Post", ("title", "body"), rows="agora.components.news.selectors.public_posts", html=("body",)
            ),
        ),
        embed="agora.components.news.sharing.embed_card",
        api="agora.components.news.public_api.router",
        open_data=(
            OpenDataTable(
                "news",
                _("News"),
                rows="agora.components.news.hooks.open_data_posts",
                translated=(
                    "title",
                    "body",
                    "image_alt",
                ),
                model="news.Post",
                columns=(
                    ("id", _("Number of the post")),
                    ("title", _("Title, per language")),
                    ("body", _("Text in HTML, per language")),
                    ("signed_by", _("Signed by (the author's public name, or the organization)")),
                    ("published_at", _("Publication date and time (ISO 8601)")),
                    ("image_url", _("Address of the image, if any")),
                    ("image_alt", _("Description of the image, per language")),
                    ("url", _("Address of the post")),
                ),
            ),
        ),
    )
)
