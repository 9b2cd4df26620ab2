"""Sentences of the verbs of component instances in the action log
(agora.actionlog.wording): a component's type reads as its manifest's label."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register
from agora.components.registry import registry


def _component_type(entry, _memo):
    manifest = registry.get((entry.data or {}).get("type", ""))
    return {"type": manifest.label if manifest else (entry.data or {}).get("type", "…")}


register(
    {
        "component.create": _("%(actor)s added the component “%(target)s” (%(type)s)"),
        "component.update": _("%(actor)s changed the settings of the component “%(target)s”"),
        "component.publish": _("%(actor)s published the component “%(target)s”"),
        "component.unpublish": _("%(actor)s unpublished the component “%(target)s”"),
        "component.delete": _("%(actor)s deleted the component “%(target)s” (%(type)s)"),
    },
    params=_component_type,
)
