from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "agora.desk"
    label = "desk"
    verbose_name = "Assisted participation"

    def ready(self):
        from agora.accounts import erasure
        from agora.desk.erasure import erase_account

        erasure.register(erase_account)
        from agora import visitor
        from agora.desk import rules  # noqa: F401 (registers the rules)
        from agora.desk.selectors import agent_columns

        visitor.register("desk.agent", agent_columns, lambda values: bool(values[0]))
