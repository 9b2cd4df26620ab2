from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "agora.comments"
    label = "comments"
    verbose_name = "Comments"
