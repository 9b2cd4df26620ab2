"""One place that answers every permission question.

    decision = can(user, "space.manage", space)
    if not decision:
        show(decision.reason)

`can` returns a `Decision`: truthy when allowed, otherwise carrying a reason
the page can show and, when the person can do something about it, a link.
Rules are registered by action name; components register theirs in their
component.py with `@rule("proposals.create")`. Views, templates (the `can`
template tag), services and the API all ask here; nothing else decides.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Callable

from django.urls import reverse
from django.utils.translation import gettext as _

from agora import visitor


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    fix_url: str = ""  # where the person can lift the refusal (log in, accept terms ...)
    fix_label: str = ""

    def __bool__(self):
        return self.allowed


ALLOWED = Decision(True)


def deny(reason: str, fix_url: str = "", fix_label: str = "") -> Decision:
    return Decision(False, str(reason), fix_url, str(fix_label))


class PermissionDenied(Exception):
    """Raised by services when `can` refuses; carries the decision."""

    def __init__(self, decision: Decision):
        super().__init__(decision.reason)
        self.decision = decision


_rules: dict[str, Callable] = {}


def rule(action: str):
    def register(function):
        if action in _rules:
            raise ValueError(f"A rule for {action!r} is already registered")
        _rules[action] = function
        return function

    return register


def can(user, action: str, target=None) -> Decision:
    try:
        function = _rules[action]
    except KeyError:
        raise KeyError(f"No permission rule for action {action!r}") from None
    result = function(user, target)
    if isinstance(result, Decision):
        return result
    return ALLOWED if result else deny(_("You are not allowed to do this."))


def require(user, action: str, target=None) -> None:
    """For services: raise PermissionDenied unless allowed."""
    decision = can(user, action, target)
    if not decision:
        raise PermissionDenied(decision)


# --- memo of a page being read ---------------------------------------------

_page_memo: ContextVar[dict | None] = ContextVar("agora_page_memo", default=None)


@contextmanager
def memoised_decisions():
    """Inside this block (a page being read: GET, nothing changes), the
    checks that cost queries and depend only on the person and the
    organization or space (confirmed account and terms, space membership)
    are computed once. Outside it every call asks the database again; the
    memo never outlives the block (nothing kept between requests)."""
    token = _page_memo.set({})
    try:
        yield
    finally:
        _page_memo.reset(token)


def _memoised(key, compute):
    memo = _page_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


# --- roles -------------------------------------------------------------------


def _held_roles(user, organization) -> set[tuple[str, int | None]]:
    """(role name, space id) pairs the user holds in the organization,
    memoised on the user object for the request."""
    if not user.is_authenticated or organization is None:
        return set()
    cache = user.__dict__.setdefault("_agora_roles", {})
    if organization.pk not in cache:
        # The visitor fact the spaces register (the page's one query while a page is read).
        cache[organization.pk] = visitor.read(user, organization, "spaces.roles")
    return cache[organization.pk]


def second_factor_missing(user, organization) -> bool:
    """The organization requires two-factor authentication of its staff and
    the person has not set it up: their staff powers wait until they do
    (memoised on the user object for the request)."""
    if organization is None or not organization.staff_mfa_required or not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_agora_mfa", {})
    if "totp" not in cache:
        cache["totp"] = visitor.read(user, organization, "accounts.totp")
    return not cache["totp"]


def _roles(user, organization) -> set[tuple[str, int | None]]:
    """The roles that give powers now: none at all, anywhere (back-office,
    previews, staff buttons on public pages, moderation, evaluation), for a
    staff member who still has to set up the second factor the organization
    requires. Every role check goes through here."""
    held = _held_roles(user, organization)
    if held and second_factor_missing(user, organization):
        return set()
    return held


def roles_in(user, organization) -> set[tuple[str, int | None]]:
    """(role name, space id) pairs that give powers now (see `_roles`)."""
    return set(_roles(user, organization))


def holds_staff_role(user, organization) -> bool:
    """Staff of the organization, second factor or not: who is sent to set it
    up (agora.accounts.middleware) rather than refused as a non-staff person."""
    return is_platform_admin(user) or bool(_held_roles(user, organization))


def role_space_ids(user, organization) -> set[int]:
    """Spaces where the person holds a role that gives powers now."""
    return {space_id for _name, space_id in _roles(user, organization) if space_id is not None}


def forget_roles(user) -> None:
    user.__dict__.pop("_agora_roles", None)
    user.__dict__.pop("_agora_mfa", None)
    visitor.forget(user)


def is_platform_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def is_organization_admin(user, organization) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if is_platform_admin(user):
        return not second_factor_missing(user, organization)
    return ("org_admin", None) in _roles(user, organization)


def space_roles(user, space) -> set[str]:
    return {name for name, space_id in _roles(user, space.organization) if space_id == space.pk}


def _is_space_admin(user, space) -> bool:
    return is_organization_admin(user, space.organization) or "space_admin" in space_roles(user, space)


def _login_decision():
    return deny(_("Log in to continue."), reverse("account_login"), _("Log in"))


# --- core rules --------------------------------------------------------------


@rule("system.manage")
def _system_manage(user, _target=None):
    """The installation's screens at /system/ (organizations): platform admins only."""
    if not user.is_authenticated:
        return _login_decision()
    if is_platform_admin(user):
        return ALLOWED
    return deny(_("Only the platform's administrators manage the organizations of the installation."))


@rule("backoffice.access")
def _backoffice_access(user, organization):
    if not user.is_authenticated:
        return _login_decision()
    if is_organization_admin(user, organization) or _roles(user, organization):
        return ALLOWED
    return deny(_("The back-office is for the organization's staff."))


def staff_mfa_decision(user, organization) -> Decision:
    """Staff of an organization that requires two-factor authentication must have
    set it up before they use any staff power (`_roles`); the back-office shows
    this refusal with the link to set it up (agora.accounts.middleware)."""
    if not second_factor_missing(user, organization):
        return ALLOWED
    return deny(
        _(
            "This organization requires its staff to use two-factor authentication. Set up an "
            "authenticator app for your account, then come back."
        ),
        reverse("mfa_activate_totp"),
        _("Set up two-factor authentication"),
    )


for _action in ("organization.manage", "participants.manage", "taxonomy.manage", "space.create"):
    rule(_action)(
        lambda user, organization: (
            is_organization_admin(user, organization) or deny(_("Only the organization's administrators can do this."))
        )
    )


@rule("actionlog.view")
def _actionlog_view(user, target):
    # A space's log, or the organization's (a space is in an organization; the
    # ground never imports the spaces app).
    if hasattr(target, "organization_id"):
        return _is_space_admin(user, target) or deny(_("Only this space's administrators can see its log."))
    return is_organization_admin(user, target) or deny(_("Only the organization's administrators can do this."))


@rule("space.manage")
def _space_manage(user, space):
    return _is_space_admin(user, space) or deny(_("Only this space's administrators can do this."))


@rule("space.copy")
def _space_copy(user, space):
    """Copying a space creates one: organization admins, as for creating."""
    if is_organization_admin(user, space.organization):
        return ALLOWED
    return deny(_("Only the organization's administrators can copy a space."))


@rule("space.preview")
def _space_preview(user, space):
    """Staff of a space see it before it is published (read-only for collaborators)."""
    if _is_space_admin(user, space) or space_roles(user, space):
        return ALLOWED
    return deny(_("This page is not published yet."))


def _is_space_member(user, space) -> bool:
    if not user.is_authenticated:
        return False
    return _memoised(("space_member", user.pk, space.pk), lambda: space.members.filter(user=user).exists())


@rule("space.view")
def _space_view(user, space):
    if space.organization_id is None:
        return deny(_("This page does not exist."))
    if not space.is_published and not _space_preview(user, space):
        return deny(_("This page is not published yet."))
    if space.private and not space.transparent:
        if _space_preview(user, space) or _is_space_member(user, space):
            return ALLOWED
        if not user.is_authenticated:  # a member logs in first
            return deny(_("This space is private: only its members can see it."), reverse("account_login"), _("Log in"))
        return deny(_("This space is private: only its members can see it."))
    return ALLOWED


@rule("space.participate")
def _space_participate(user, space):
    viewing = _space_view(user, space)
    if not viewing:
        return viewing
    decision = _participate(user, space.organization)
    if not decision:
        return decision
    if space.private and not (_is_space_member(user, space) or _space_preview(user, space)):
        return deny(_("Only the members of this space can take part."))
    return ALLOWED


@rule("moderation.manage")
def _moderation_manage(user, space):
    if _is_space_admin(user, space) or "moderator" in space_roles(user, space):
        return ALLOWED
    return deny(_("Only this space's moderators can do this."))


@rule("evaluation.access")
def _evaluation_access(user, space):
    if _is_space_admin(user, space) or "evaluator" in space_roles(user, space):
        return ALLOWED
    return deny(_("Only this space's evaluators can do this."))


@rule("component.view")
def _component_view(user, component):
    viewing = _space_view(user, component.space)
    if not viewing:
        return viewing
    if not component.is_published and not _space_preview(user, component.space):
        return deny(_("This page is not published yet."))
    return ALLOWED


@rule("component.manage")
def _component_manage(user, component):
    return _space_manage(user, component.space)


@rule("participate")
def _participate(user, organization):
    """Anyone taking part must be logged in, have confirmed their e-mail,
    accepted the current terms and not be blocked."""
    if not user.is_authenticated:
        return _participate_uncached(user, organization)
    return _memoised(
        ("participate", user.pk, getattr(organization, "pk", None)), lambda: _participate_uncached(user, organization)
    )


def _participate_uncached(user, organization):
    if not user.is_authenticated:
        return deny(_("Log in or create an account to take part."), reverse("account_login"), _("Log in"))
    if not user.is_active or user.is_deleted:
        return deny(_("This account is deactivated."))
    # Confirmed e-mail, current terms and not blocked: one query (the accounts app's).
    email_verified, status = _participation_status[0](user, organization)
    if not email_verified and not any(check(user, organization) for check in _confirmation_checks):
        return deny(_("Confirm your e-mail address to take part."), reverse("account_email"), _("Confirm my e-mail"))
    if status.blocked:
        return deny(_("Your account has been blocked by the moderators."))
    if status.needs_acceptance:
        return deny(
            _("Accept the terms of use to take part."), reverse("accounts:terms"), _("Read and accept the terms")
        )
    return ALLOWED


# Extension points filled by agora.verifications (kept here so components never import it).
_eligibility_checks: list[Callable] = []
_confirmation_checks: list[Callable] = []
# Filled by agora.accounts (AccountsConfig.ready): the ground never imports accounts.
_participation_status: list[Callable] = []


def register_participation_status(function: Callable) -> Callable:
    """function(user, organization) -> (e-mail confirmed, terms status with
    `blocked` and `needs_acceptance`): agora.accounts.selectors.participation_status."""
    _participation_status[:] = [function]
    return function


def register_eligibility_check(function: Callable) -> Callable:
    """function(user, component, action, resource=None, when=None) -> Decision,
    asked at the end of every component_action (who may take part: age,
    address, district, verification methods)."""
    if function not in _eligibility_checks:
        _eligibility_checks.append(function)
    return function


def register_account_confirmation(function: Callable) -> Callable:
    """function(user, organization) -> bool: the account is confirmed another
    way than by e-mail (SMS code, managed participant created at a desk)."""
    if function not in _confirmation_checks:
        _confirmation_checks.append(function)
    return function


def component_action(user, component, action: str, *, phase_setting: str | None = None, resource=None) -> Decision:
    """The common part of every participant action in a component: the
    component is visible, the person may take part in the space, when
    given, the phase setting that opens the action is on, and the person
    meets the eligibility rules of this action (`resource`: the object acted
    on, whose scope a district rule compares with the person's)."""
    viewing = _component_view(user, component)
    if not viewing:
        return viewing
    if phase_setting and not component.phase_settings_of().get(phase_setting):
        return deny(_("This is not open during the current phase."))
    decision = _space_participate(user, component.space)
    if not decision:
        return decision
    for check in _eligibility_checks:
        decision = check(user, component, action, resource=resource)
        if not decision:
            return decision
    return ALLOWED
