from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "agora.spaces"
    label = "spaces"
    verbose_name = "Participatory spaces"

    def ready(self):
        from agora import visitor
        from agora.accounts import erasure, staff
        from agora.core import home, search
        from agora.spaces import home_blocks, selectors
        from agora.spaces.erasure import erase_account
        from agora.spaces.staff import STAFF_ROLES
        from agora.web.access import register_target

        erasure.register(erase_account)
        register_target("space", selectors.load_space_target)
        visitor.register("spaces.roles", selectors.roles_columns, selectors.roles_value)
        staff.register(STAFF_ROLES)
        home.register_kind(home_blocks.OPEN_PROCESSES)
        home.register_kind(home_blocks.HIGHLIGHTED_SPACE)
        search.register(selectors.search_candidates)
