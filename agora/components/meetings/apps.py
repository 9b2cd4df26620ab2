from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "agora.components.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from agora.components.meetings import rules  # noqa: F401  (permission rules)
        from agora.components.meetings.rules import register_owner

        register_owner()
