"""Manifest of the pages component, discovered at start-up by agora.components."""

from django.utils.translation import gettext_lazy as _

from agora.components.registry import ComponentManifest, OpenDataTable, Setting, registry

manifest = registry.register(
    ComponentManifest(
        name="pages",
        label=_("Pages"),
        description=_("Static pages of a space: frequently asked questions, rules, charter."),
        settings=(
            Setting(
                "show_table_of_contents",
                "bool",
                False,
                _("Show a table of contents"),
                help_text=_("Lists the headings of a page at its top, with links to each section."),
            ),
        ),
        # Pages do not change with the phases of a process.
        phase_settings=(),
        # Read-only for participants: nothing to gate.
        actions=(),
        public_urls="agora.components.pages.urls",
        admin_urls="agora.components.pages.admin_urls",
        stats="agora.components.pages.hooks.stats",
        stats_many="agora.components.pages.hooks.stats_many",
        exports={"json": "agora.components.pages.hooks.export_json"},
        search="agora.components.pages.hooks.search",
        seed="agora.components.pages.hooks.seed",
        copy="agora.components.pages.copying.copy_configuration",
        api="agora.components.pages.public_api.router",
        open_data=(
            OpenDataTable(
                "pages",
                _("Pages"),
                rows="agora.components.pages.hooks.open_data_pages",
                translated=(
                    "title",
                    "body",
                ),
                columns=(
                    ("id", _("Number of the page")),
                    ("slug", _("Name of the page in its address")),
                    ("title", _("Title, per language")),
                    ("body", _("Text in HTML, per language")),
                    ("updated_at", _("Last change (ISO 8601)")),
                    ("url", _("Address of the page")),
                ),
            ),
        ),
    )
)
