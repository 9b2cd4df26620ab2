"""Who may hold staff tokens of the public API (agora.permissions)."""

from django.utils.translation import gettext as _

from agora import permissions


@permissions.rule("api.tokens")
def _tokens(user, organization):
    """Creating, listing and using one's own tokens: the organization's staff (the
    back-office's people). A token of someone who is no longer staff stops working."""
    if permissions.can(user, "backoffice.access", organization):
        return permissions.ALLOWED
    return permissions.deny(_("Only the organization's staff may hold API tokens."))
