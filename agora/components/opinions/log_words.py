"""Sentences of the opinion maps' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "opinions.conversation_updated": _("%(actor)s edited the question of the opinion map “%(target)s”"),
        "opinions.statement_added": _("%(actor)s added a statement to the opinion map “%(target)s”"),
        "opinions.statement_moderated": _("%(actor)s moderated a statement of the opinion map “%(target)s”"),
        "opinions.imported": _("%(actor)s imported a Polis conversation into the opinion map “%(target)s”"),
    }
)
