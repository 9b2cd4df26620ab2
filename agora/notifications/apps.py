from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "agora.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from agora.accounts import erasure
        from agora.notifications.erasure import erase_account

        erasure.register(erase_account)
        from agora import visitor
        from agora.notifications import events, rules  # noqa: F401  (registers events and rules)
        from agora.notifications.selectors import unread_columns

        visitor.register("notifications.unread", unread_columns)
        from agora.actionlog.services import register_notifier
        from agora.notifications.services import send_notice

        register_notifier(send_notice)  # the notices of actionlog.services.trace
        from agora.notifications import phases
        from agora.spaces.services import on_phase_started

        on_phase_started(phases.announce_phase)
