"""Permission rules of the initiatives component (registered in apps.ready).
The eligibility of an initiative's type (who may file, who may sign) is asked
after the component's own (agora.verifications.eligibility.check_rule)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from agora.components.initiatives import eligibility
from agora.components.initiatives.models import Initiative, InitiativeType, Signature
from agora.core.formats import long_datetime
from agora.permissions import ALLOWED, can, component_action, deny, rule
from agora.questionnaires import owners


@rule("initiatives.manage")
def _manage(user, component):
    """Types and tiers, admissibility, paper sheets, samples and responses."""
    return can(user, "component.manage", component)


@rule("initiatives.create")
def _create(user, component):
    """A resident files an initiative while the phase opens it, when the
    component has a type to file it under (each type's own rule for filing
    is asked when the type is chosen: services.create_initiative)."""
    if not component.initiative_types.exists():
        return deny(_("No kind of initiative can be filed here yet."))
    return component_action(user, component, "file", phase_setting="filing_enabled")


def _is_promoter(user, initiative) -> bool:
    if not user.is_authenticated:
        return False
    if initiative.author_id == user.pk:
        return True
    return initiative.committee.filter(user=user, accepted_at__isnull=False).exists()


@rule("initiatives.view")
def _view(user, initiative):
    """Published initiatives (collecting, refused with their reason, closed)
    are public; a draft is seen by its author, its committee and the staff."""
    decision = can(user, "component.view", initiative.component)
    if not decision:
        return decision
    if initiative.is_public or _is_promoter(user, initiative):
        return ALLOWED
    if can(user, "initiatives.manage", initiative.component):
        return ALLOWED
    if initiative.committee.filter(user=user).exists() if user.is_authenticated else False:
        return ALLOWED  # invited: reads it before accepting
    return deny(_("This initiative is not published."))


@rule("initiatives.edit")
def _edit(user, initiative):
    """The author edits the draft, invites the committee and submits it."""
    if not user.is_authenticated:
        return can(user, "participate", initiative.component.space.organization)
    if initiative.author_id != user.pk:
        return deny(_("Only the author of the initiative can do this."))
    if initiative.state not in (Initiative.State.DRAFT, Initiative.State.COMMITTEE):
        return deny(_("The initiative has been submitted: it can no longer be changed."))
    return can(user, "participate", initiative.component.space.organization)


@rule("initiatives.join")
def _join(user, initiative):
    """A person invited to the promoter committee accepts the invitation."""
    if not user.is_authenticated:
        return can(user, "participate", initiative.component.space.organization)
    if initiative.state not in (Initiative.State.DRAFT, Initiative.State.COMMITTEE):
        return deny(_("The committee of this initiative is complete."))
    if not initiative.committee.filter(user=user, accepted_at__isnull=True).exists():
        return deny(_("You have no pending invitation to this committee."))
    return can(user, "participate", initiative.component.space.organization)


@rule("initiatives.sign")
def _sign(user, initiative):
    """While the initiative collects, before the end of its current window,
    online when its type allows it, once per person, for whoever the
    component's and the type's eligibility rules let in (age on the day)."""
    if initiative.state != Initiative.State.COLLECTING:
        return deny(_("This initiative is not collecting signatures."))
    if initiative.open_until is not None and timezone.now() >= initiative.open_until:
        return deny(
            _("The collection ended on %(date)s: no more signatures are taken.")
            % {"date": long_datetime(initiative.open_until)}
        )
    if not initiative.type.online:
        return deny(_("This initiative is signed on paper only: ask the city for a signature sheet."))
    decision = component_action(
        user, initiative.component, "sign", phase_setting="signing_enabled", resource=initiative
    )
    if not decision:
        return decision
    decision = eligibility.may_sign(user, initiative)
    if not decision:
        return decision
    if Signature.objects.filter(initiative=initiative, user=user).exists():
        return deny(_("You have already signed this initiative."))
    return ALLOWED


@rule("initiatives.withdraw")
def _withdraw(user, initiative):
    """A signer takes back their signature while the initiative collects, when its type allows it."""
    if not user.is_authenticated:
        return can(user, "participate", initiative.component.space.organization)
    if not initiative.type.withdrawal_allowed:
        return deny(_("Signatures of this kind of initiative cannot be withdrawn."))
    if not initiative.collecting_at():
        return deny(_("The collection is over: signatures can no longer be withdrawn."))
    if not Signature.objects.filter(initiative=initiative, user=user, struck_at__isnull=True).exists():
        return deny(_("You have not signed this initiative."))
    return ALLOWED


def register_owner():
    """A type's extra signer fields are managed by whoever manages the component."""

    def initiative_type(questionnaire):
        return InitiativeType.objects.select_related("component__space__organization").get(questionnaire=questionnaire)

    owners.register(
        "initiatives.type",
        owners.Owner(
            manage=lambda user, questionnaire: can(
                user, "initiatives.manage", initiative_type(questionnaire).component
            ),
            component=lambda questionnaire: initiative_type(questionnaire).component,
        ),
    )
