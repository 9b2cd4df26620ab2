"""Sentences of the spaces' verbs in the action log (agora.actionlog.wording):
spaces, process groups, phases, members and roles (role codes read as their
names)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register
from agora.spaces.models import Role


def _role_label(entry, _memo):
    role = (entry.data or {}).get("role", "")
    return {"role": Role.Name(role).label if role in Role.Name.values else (role or "…")}


register(
    {
        "space.create": _("%(actor)s created the space “%(target)s”"),
        "space.update": _("%(actor)s edited the space “%(target)s”"),
        "space.publish": _("%(actor)s published the space “%(target)s”"),
        "space.unpublish": _("%(actor)s unpublished the space “%(target)s”"),
        "space.delete": _("%(actor)s deleted the space “%(target)s”"),
        "space.copy": _("%(actor)s created “%(target)s” as a copy of “%(source_title)s”"),
        "process_group.create": _("%(actor)s created the process group “%(target)s”"),
        "process_group.update": _("%(actor)s edited the process group “%(target)s”"),
        "process_group.delete": _("%(actor)s deleted the process group “%(target)s”"),
        "phase.create": _("%(actor)s added the phase “%(target)s”"),
        "phase.update": _("%(actor)s edited the phase “%(target)s”"),
        "phase.delete": _("%(actor)s deleted the phase “%(target)s”"),
        "phase.move": _("%(actor)s moved the phase “%(target)s”"),
        "phase.activate": _("%(actor)s activated the phase “%(target)s”"),
        "phase.activate_auto": _("The phase “%(target)s” became active on its start date"),
        "phase.release": _("%(actor)s stopped keeping the phase “%(target)s” active: the dates decide again"),
        "assembly_member.add": _("%(actor)s added %(target)s to the members"),
        "assembly_member.update": _("%(actor)s changed the position of %(target)s"),
        "assembly_member.remove": _("%(actor)s removed %(target)s from the members"),
        "space_member.add": _("%(actor)s admitted %(target)s to the private space"),
        "space_member.remove": _("%(actor)s removed %(target)s from the private space"),
    }
)

register(
    {
        "role.grant": _("%(actor)s gave the role “%(role)s” to %(target)s"),
        "role.revoke": _("%(actor)s removed the role “%(role)s” from %(target)s"),
    },
    params=_role_label,
)
