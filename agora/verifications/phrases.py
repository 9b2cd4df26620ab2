"""The actions of components in words ("… to %(action)s"), for refusals, the
staff's summaries and the action log."""

from django.utils.translation import gettext_lazy

# What the person wants to do, to finish "… to %(action)s".
ACTION_PHRASES = {
    "create": gettext_lazy("submit a proposal"),
    "propose": gettext_lazy("submit a proposal"),
    "support": gettext_lazy("support"),
    "endorse": gettext_lazy("endorse"),
    "vote": gettext_lazy("vote"),
    "comment": gettext_lazy("comment"),
    "register": gettext_lazy("register"),
    "sign": gettext_lazy("sign"),
    "file": gettext_lazy("file an initiative"),
    "answer": gettext_lazy("answer"),
    "amend": gettext_lazy("amend"),
}


def short_action(action: str) -> str:
    return action.rsplit(".", 1)[-1]


def action_phrase(action: str) -> str:
    return str(ACTION_PHRASES.get(short_action(action), gettext_lazy("take part")))
