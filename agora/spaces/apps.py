from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "agora.spaces"
    label = "spaces"
    verbose_name = "Participatory spaces"

    def ready(self):
        from agora.accounts import erasure
        from agora.notifications import events
        from agora.spaces.erasure import erase_account

        erasure.register(erase_account)
        from agora.spaces.selectors import load_space_target
        from agora.web.access import register_target

        register_target("space", load_space_target)
        from agora import visitor
        from agora.spaces.selectors import roles_columns, roles_value

        visitor.register("spaces.roles", roles_columns, roles_value)
        from django.utils.translation import gettext_lazy as _

        events.register("spaces.phase_started", label=_("A new phase starts in a process I follow"),
                        message=_("%(target)s: the phase “%(phase)s” has started"))
