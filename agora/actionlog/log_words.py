"""Sentences of the core's verbs: organization, terms, accounts, categories
and scopes. Spaces (with their phases, members and roles), component
instances, the components and the cross-cutting layers describe theirs in
their own log_words.py."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "organization.create": _("%(actor)s created the organization “%(target)s”"),
        "organization.update": _("%(actor)s changed the organization's settings"),
        "organization.system_update": _("%(actor)s changed the installation settings of “%(target)s”"),
        "home_block.create": _("%(actor)s added the block “%(target)s” to the home page"),
        "home_block.update": _("%(actor)s edited the block “%(target)s” of the home page"),
        "home_block.delete": _("%(actor)s removed the block “%(target)s” from the home page"),
        "home_block.move": _("%(actor)s moved the block “%(target)s” of the home page"),
        "home_block.compose": _("%(actor)s started composing the home page from its default blocks"),
        "accessibility_statement.update": _("%(actor)s updated the accessibility statement"),
        "terms.publish": _("%(actor)s published version %(version)s of the terms of use"),
        "terms.accepted": _("%(actor)s accepted version %(version)s of the terms of use"),
        "account.registered": _("%(actor)s joined the organization"),
        "account.updated": _("%(actor)s updated their account"),
        "account.newsletter_accepted": _("%(actor)s subscribed to the newsletter"),
        "account.newsletter_withdrawn": _("%(actor)s unsubscribed from the newsletter"),
        "account.deleted": _("%(actor)s deleted their account"),
        "accounts.second_factor_reset": _("%(actor)s reset the two-factor authentication of %(target)s"),
        "invitation.created": _("%(actor)s sent an invitation to %(target)s"),
        "invitation.accepted": _("%(actor)s accepted an invitation"),
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
    }
)
