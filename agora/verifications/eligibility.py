"""Who may do an action of a component: the check registered in
agora.permissions and asked at the end of every component_action.

Every refusal says exactly what is missing and, when the person can do
something about it, links to the page that does it."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import visitor
from agora.permissions import ALLOWED, deny
from agora.taxonomy.models import Scope
from agora.verifications import methods as method_registry
from agora.verifications.phrases import action_phrase, short_action
from agora.verifications.selectors import enabled_methods, rules_for, verified_attributes


def _verify_link(method_names=()):
    """The participant page of the only method that lifts the refusal, else the list."""
    pages = [method_registry.get(name) for name in method_names]
    pages = [method for method in pages if method and method.start_url]
    if len(pages) == 1:
        return reverse(pages[0].start_url), _("Verify with: %(method)s") % {"method": pages[0].label}
    return reverse("verifications:index"), _("Verify my account")


def _methods_giving(attribute, enabled):
    return [
        method.name
        for method in method_registry.all_methods()
        if attribute in method.gives and (not enabled or method.name in enabled)
    ]


def _scope_chain(scope_id):
    """The scope and its ancestors (a district is inside its city)."""
    chain, seen = [], set()
    while scope_id and scope_id not in seen and len(chain) < 10:
        seen.add(scope_id)
        chain.append(scope_id)
        scope_id = Scope.objects.filter(pk=scope_id).values_list("parent_id", flat=True).first()
    return chain


def _scope_name(scope_id):
    scope = Scope.objects.filter(pk=scope_id).first()
    return str(scope) if scope else ""


def check_eligibility(user, component, action, resource=None, when=None):
    return check_rule(user, component, rules_for(component).get(short_action(action)), action, resource, when)


def check_rule(user, component, rule, action, resource=None, when=None):
    """`rule` (an EligibilityRule, saved or not: a component's, or one a
    resource carries, as an initiative type's rule for signing) applied to the
    person for `action` of `component`, their age taken on the day `when`."""
    if rule is None or rule.is_empty:
        return ALLOWED
    if not user.is_authenticated:
        return deny(_("Log in to continue."), reverse("account_login"), _("Log in"))
    organization = component.space.organization
    attributes = verified_attributes(user, organization)
    phrase = action_phrase(action)

    def enabled():  # only asked when a refusal needs a link
        return set(enabled_methods(organization))

    if rule.methods:
        missing = [name for name in rule.methods if name not in attributes.methods]
        if (rule.require_all and missing) or (not rule.require_all and len(missing) == len(rule.methods)):
            labels = ", ".join(str(method_registry.get(name).label) for name in missing if method_registry.get(name))
            url, label = _verify_link(missing)
            if rule.require_all and len(missing) < len(rule.methods) or len(missing) == 1:
                reason = _("Verify your account with %(methods)s to %(action)s.")
            elif rule.require_all:
                reason = _("Verify your account with each of these methods to %(action)s: %(methods)s.")
            else:
                reason = _("Verify your account with one of these methods to %(action)s: %(methods)s.")
            return deny(reason % {"methods": labels, "action": phrase}, url, label)

    if rule.min_age is not None or rule.max_age is not None:
        if attributes.birth_date is None:
            url, label = _verify_link(_methods_giving("birth_date", enabled()))
            if rule.min_age is not None and rule.max_age is not None:
                why = _("it is open to people aged %(min)s to %(max)s")
            elif rule.min_age is not None:
                why = _("it is open to people aged %(min)s and over")
            else:
                why = _("it is open to people aged %(max)s and under")
            why = why % {"min": rule.min_age, "max": rule.max_age}
            return deny(
                _("Verify your date of birth to %(action)s: %(why)s.") % {"action": phrase, "why": why}, url, label
            )
        day = when or timezone.localdate()
        age = attributes.age_on(day)
        if rule.min_age is not None and age < rule.min_age:
            return deny(
                _("You must be at least %(min)s years old to %(action)s; today you are %(age)s.")
                % {"min": rule.min_age, "action": phrase, "age": age}
            )
        if rule.max_age is not None and age > rule.max_age:
            return deny(
                _("This is for people aged %(max)s and under: you cannot %(action)s here (you are %(age)s).")
                % {"max": rule.max_age, "action": phrase, "age": age}
            )

    if rule.postal_codes:
        codes = ", ".join(rule.postal_codes)
        if not attributes.postal_code:
            url, label = _verify_link(_methods_giving("postal_code", enabled()))
            return deny(
                _("Verify your address to %(action)s: this is open to residents of %(codes)s.")
                % {"action": phrase, "codes": codes},
                url,
                label,
            )
        if attributes.postal_code not in rule.postal_codes:
            return deny(
                _("This is open to residents of %(codes)s; your verified postal code is %(code)s.")
                % {"codes": codes, "code": attributes.postal_code}
            )

    if rule.match_scope:
        scope_id = getattr(resource, "scope_id", None) or component.space.scope_id
        if scope_id:
            district = _scope_name(scope_id)
            if attributes.scope_id is None:
                url, label = _verify_link(_methods_giving("scope", enabled()))
                return deny(
                    _("Verify your address to %(action)s in this district (%(district)s).")
                    % {"action": phrase, "district": district},
                    url,
                    label,
                )
            if scope_id not in _scope_chain(attributes.scope_id):
                return deny(
                    _("This is for the residents of %(district)s; your verified district is %(yours)s.")
                    % {"district": district, "yours": _scope_name(attributes.scope_id)}
                )
    return ALLOWED


def account_confirmed_by_verification(user, organization) -> bool:
    """An SMS code or an in-person check confirms an account instead of e-mail
    (the person's active verifications: the visitor fact that verified_attributes
    reads, from the page's one query while a page is read, else asked now)."""
    if organization is None:
        return False
    return bool(visitor.read(user, organization, "verifications.attributes").methods & {"sms", "in_person"})
