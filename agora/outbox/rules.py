"""Who may see failed e-mails and send them again: an organization's
administrators for its e-mails; platform admins for every e-mail, including
those of no organization (account e-mails)."""

from django.utils.translation import gettext_lazy as _

from agora.permissions import deny, is_organization_admin, is_platform_admin, rule


@rule("outbox.manage")
def _outbox_manage(user, organization):
    if organization is None:
        return is_platform_admin(user) or deny(_("Only platform administrators can do this."))
    return is_organization_admin(user, organization) or deny(_("Only the organization's administrators can do this."))


@rule("outbox.release")
def _outbox_release(user, _target=None):
    """Releasing the outbox held after a restore concerns every organization."""
    return is_platform_admin(user) or deny(_("Only platform administrators can do this."))
