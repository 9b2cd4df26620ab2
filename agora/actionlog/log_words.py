"""Sentences of the core's verbs: organization, accounts, spaces, phases,
members and roles, component instances, categories and scopes. Components
and the cross-cutting layers describe theirs in their own log_words.py."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register


def _role_label(entry, _memo):
    from agora.spaces.models import Role

    role = (entry.data or {}).get("role", "")
    return {"role": Role.Name(role).label if role in Role.Name.values else (role or "…")}


def _component_type(entry, _memo):
    from agora.components.registry import registry

    manifest = registry.get((entry.data or {}).get("type", ""))
    return {"type": manifest.label if manifest else (entry.data or {}).get("type", "…")}


register({
    "organization.create": _("%(actor)s created the organization “%(target)s”"),
    "organization.update": _("%(actor)s changed the organization's settings"),
    "organization.system_update": _("%(actor)s changed the installation settings of “%(target)s”"),
    "accessibility_statement.update": _("%(actor)s updated the accessibility statement"),
    "terms.publish": _("%(actor)s published version %(version)s of the terms of use"),
    "terms.accepted": _("%(actor)s accepted version %(version)s of the terms of use"),
    "account.registered": _("%(actor)s joined the organization"),
    "account.updated": _("%(actor)s updated their account"),
    "account.deleted": _("%(actor)s deleted their account"),
    "accounts.second_factor_reset": _("%(actor)s reset the two-factor authentication of %(target)s"),
    "invitation.created": _("%(actor)s sent an invitation to %(target)s"),
    "invitation.accepted": _("%(actor)s accepted an invitation"),
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
    "category.create": _("%(actor)s created the category “%(target)s”"),
    "category.update": _("%(actor)s edited the category “%(target)s”"),
    "category.delete": _("%(actor)s deleted the category “%(target)s”"),
    "scope_type.create": _("%(actor)s created the scope type “%(target)s”"),
    "scope_type.update": _("%(actor)s edited the scope type “%(target)s”"),
    "scope_type.delete": _("%(actor)s deleted the scope type “%(target)s”"),
    "scope.create": _("%(actor)s created the scope “%(target)s”"),
    "scope.update": _("%(actor)s edited the scope “%(target)s”"),
    "scope.delete": _("%(actor)s deleted the scope “%(target)s”"),
    "scope.import": _("%(actor)s imported scopes (%(created)s created, %(updated)s updated)"),
})

register({
    "role.grant": _("%(actor)s gave the role “%(role)s” to %(target)s"),
    "role.revoke": _("%(actor)s removed the role “%(role)s” from %(target)s"),
}, params=_role_label)

register({
    "component.create": _("%(actor)s added the component “%(target)s” (%(type)s)"),
    "component.update": _("%(actor)s changed the settings of the component “%(target)s”"),
    "component.publish": _("%(actor)s published the component “%(target)s”"),
    "component.unpublish": _("%(actor)s unpublished the component “%(target)s”"),
    "component.delete": _("%(actor)s deleted the component “%(target)s” (%(type)s)"),
}, params=_component_type)
