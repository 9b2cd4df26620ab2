"""Sentences of the news' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "news.post_created": _("%(actor)s wrote the news item “%(target)s”"),
        "news.post_updated": _("%(actor)s edited the news item “%(target)s”"),
        "news.post_published": _("%(actor)s published the news item “%(target)s”"),
        "news.post_scheduled": _("%(actor)s scheduled the news item “%(target)s”"),
        "news.post_deleted": _("%(actor)s deleted the news item “%(target)s”"),
    }
)
