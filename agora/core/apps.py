from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "agora.core"
    label = "core"
    verbose_name = "Agora core"

    def ready(self):
        from agora.core import home, home_blocks, pagecache

        pagecache.install()
        home.register_kind(home_blocks.HERO)
        home.register_kind(home_blocks.TEXT)
