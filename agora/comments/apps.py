from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "agora.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self):
        from agora.comments import rules  # noqa: F401  (registers the permission rules)
        from agora.comments.moderation import register_reportable
        from agora.comments.participation import comments_of
        from agora.comments.translations import COMMENTS
        from agora.core import machine_translation
        from agora.statistics.api import register_source

        register_reportable()
        register_source(comments_of)
        machine_translation.register(COMMENTS)
