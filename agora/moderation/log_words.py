"""Sentences of the moderation's verbs in the action log (agora.actionlog.wording)."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register
from agora.moderation.registry import adapter_for


def _content(entry, _memo):
    app_label, _dot, model_name = str((entry.data or {}).get("content_type", "")).partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        model = None
    adapter = adapter_for(model) if model is not None else None
    kind = adapter.label if adapter is not None else _("content")
    return {"content": f"{kind} #{(entry.data or {}).get('object_id', '…')}"}


register(
    {
        "moderation.reported": _("%(actor)s reported a content: %(content)s"),
        "moderation.hidden": _("%(actor)s hid a content: %(content)s"),
        "moderation.hidden_automatically": _(
            "A content was hidden automatically after %(reports)s reports: %(content)s"
        ),
        "moderation.unhidden": _("%(actor)s made a content visible again: %(content)s"),
        "moderation.reports_dismissed": _("%(actor)s dismissed the reports on a content: %(content)s"),
    },
    params=_content,
)

register(
    {
        "moderation.participant_blocked": _("%(actor)s blocked %(target)s"),
        "moderation.participant_unblocked": _("%(actor)s unblocked %(target)s"),
        "moderation.settings_updated": _("%(actor)s changed the moderation settings"),
    }
)
