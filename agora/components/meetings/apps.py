from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "agora.components.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from agora.accounts import erasure
        from agora.components.meetings import rules  # noqa: F401  (permission rules)
        from agora.components.meetings.rules import register_owner
        from agora.components.meetings.selectors import idea_linked, idea_mentions
        from agora.components.meetings.services import erase_account
        from agora.components.proposals import api as proposals_api

        erasure.register(erase_account)
        register_owner()
        proposals_api.register_mentions(idea_mentions, linked=idea_linked)
