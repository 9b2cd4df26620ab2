from django.apps import AppConfig


class WebConfig(AppConfig):
    """Installed for its templates (web/ordered_list/) and its message catalogue."""

    name = "agora.web"
    label = "web"
    verbose_name = "Web"
