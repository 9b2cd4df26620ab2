from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "agora.core"
    label = "core"
    verbose_name = "Agora core"

    def ready(self):
        from agora.core import pagecache

        pagecache.install()
