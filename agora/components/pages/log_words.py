"""Sentences of the pages' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "pages.page_created": _("%(actor)s created the page “%(target)s”"),
        "pages.page_updated": _("%(actor)s edited the page “%(target)s”"),
        "pages.page_moved": _("%(actor)s moved the page “%(target)s”"),
        "pages.page_deleted": _("%(actor)s deleted the page “%(target)s”"),
    }
)
