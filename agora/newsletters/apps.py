from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "agora.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        from agora.newsletters import rules  # noqa: F401  (permission rules)
        from agora.newsletters.access import load_newsletter_target
        from agora.web.access import register_target

        register_target("newsletter", load_newsletter_target)
