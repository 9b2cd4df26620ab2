"""One human-readable sentence per admin log entry."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.spaces.models import Role

VERBS = {
    "organization.update": gettext_lazy("%(actor)s changed the organization's settings"),
    "terms.publish": gettext_lazy("%(actor)s published version %(version)s of the terms of use"),
    "space.create": gettext_lazy("%(actor)s created the space “%(target)s”"),
    "space.update": gettext_lazy("%(actor)s edited the space “%(target)s”"),
    "space.publish": gettext_lazy("%(actor)s published the space “%(target)s”"),
    "space.unpublish": gettext_lazy("%(actor)s unpublished the space “%(target)s”"),
    "space.delete": gettext_lazy("%(actor)s deleted the space “%(target)s”"),
    "process_group.create": gettext_lazy("%(actor)s created the process group “%(target)s”"),
    "process_group.update": gettext_lazy("%(actor)s edited the process group “%(target)s”"),
    "process_group.delete": gettext_lazy("%(actor)s deleted the process group “%(target)s”"),
    "phase.create": gettext_lazy("%(actor)s added the phase “%(target)s”"),
    "phase.update": gettext_lazy("%(actor)s edited the phase “%(target)s”"),
    "phase.delete": gettext_lazy("%(actor)s deleted the phase “%(target)s”"),
    "phase.move": gettext_lazy("%(actor)s moved the phase “%(target)s”"),
    "phase.activate": gettext_lazy("%(actor)s activated the phase “%(target)s”"),
    "phase.activate_auto": gettext_lazy("The phase “%(target)s” became active on its start date"),
    "assembly_member.add": gettext_lazy("%(actor)s added %(target)s to the members"),
    "assembly_member.update": gettext_lazy("%(actor)s changed the position of %(target)s"),
    "assembly_member.remove": gettext_lazy("%(actor)s removed %(target)s from the members"),
    "space_member.add": gettext_lazy("%(actor)s admitted %(target)s to the private space"),
    "space_member.remove": gettext_lazy("%(actor)s removed %(target)s from the private space"),
    "role.grant": gettext_lazy("%(actor)s gave the role “%(role)s” to %(target)s"),
    "role.revoke": gettext_lazy("%(actor)s removed the role “%(role)s” from %(target)s"),
    "component.create": gettext_lazy("%(actor)s added the component “%(target)s”"),
    "component.update": gettext_lazy("%(actor)s changed the settings of the component “%(target)s”"),
    "component.publish": gettext_lazy("%(actor)s published the component “%(target)s”"),
    "component.unpublish": gettext_lazy("%(actor)s unpublished the component “%(target)s”"),
    "component.delete": gettext_lazy("%(actor)s deleted the component “%(target)s”"),
    "category.create": gettext_lazy("%(actor)s created the category “%(target)s”"),
    "category.update": gettext_lazy("%(actor)s edited the category “%(target)s”"),
    "category.delete": gettext_lazy("%(actor)s deleted the category “%(target)s”"),
    "scope_type.create": gettext_lazy("%(actor)s created the scope type “%(target)s”"),
    "scope_type.update": gettext_lazy("%(actor)s edited the scope type “%(target)s”"),
    "scope_type.delete": gettext_lazy("%(actor)s deleted the scope type “%(target)s”"),
    "scope.create": gettext_lazy("%(actor)s created the scope “%(target)s”"),
    "scope.update": gettext_lazy("%(actor)s edited the scope “%(target)s”"),
    "scope.delete": gettext_lazy("%(actor)s deleted the scope “%(target)s”"),
    "scope.import": gettext_lazy("%(actor)s imported scopes (%(created)s created, %(updated)s updated)"),
}


def describe(entry) -> str:
    """"Camille published the space “Budget 2026”" for an ActionLog row."""
    data = entry.data or {}
    role = data.get("role", "")
    params = {
        "actor": entry.actor.public_name if entry.actor_id and entry.actor else _("The platform"),
        "target": entry.target_repr or "—",
        "version": data.get("version", ""),
        "role": Role.Name(role).label if role in Role.Name.values else role,
        "created": data.get("created", 0),
        "updated": data.get("updated", 0),
    }
    template = VERBS.get(entry.verb)
    if template is None:
        # Components log their own verbs; say what we know.
        return _("%(actor)s: %(verb)s “%(target)s”") % {**params, "verb": entry.verb}
    return str(template) % params


def verb_label(verb: str) -> str:
    """The sentence of a verb with blanks, for the log's filter ("… published the space “…”")."""
    template = VERBS.get(verb)
    if template is None:
        return verb
    blank = "…"
    return str(template) % {"actor": blank, "target": blank, "version": blank, "role": blank, "created": blank,
                            "updated": blank}


def verb_choices(verbs):
    return [(verb, verb_label(verb)) for verb in verbs]
