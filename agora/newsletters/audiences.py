"""Who a newsletter goes to. Always among the people who accepted the
organization's newsletter (`opted_in`): every audience is that set narrowed,
never widened, so nobody who did not opt in is ever a recipient.

An audience (the newsletter's `audience` JSON, cleaned by `clean`):

    groups (any of them; none: everyone who opted in)
      spaces_participants  ids of spaces: people who took part in them (what each component
                           declares in its manifest's `participant_ids`, and the comments)
      spaces_followers     ids of spaces: people who follow them
      private_members      ids of private spaces: their members
    filters (all of them)
      verification_method  verified by this method (an active verification)
      scopes               verified as living in these districts (or a district inside them)
      age_brackets, genders, categories, postal_codes   profile fields"""

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.comments.models import Comment
from agora.components.models import Component
from agora.components.registry import registry
from agora.core.models import Organization
from agora.follows.models import Follow
from agora.spaces.models import Space, SpaceMember
from agora.taxonomy.models import Scope
from agora.verifications.models import Verification

GROUPS = ("spaces_participants", "spaces_followers", "private_members")
PROFILE_FILTERS = {
    "age_brackets": ("age_bracket", User.AgeBracket),
    "genders": ("gender", User.Gender),
    "categories": ("socio_professional_category", User.SocioProfessionalCategory),
}
KEYS = (*GROUPS, "verification_method", "scopes", *PROFILE_FILTERS, "postal_codes")


def opted_in(organization: Organization) -> QuerySet[User]:
    """Everyone who accepted the organization's newsletter and may receive it:
    an active account with its address confirmed, not blocked there."""
    return User.objects.filter(
        memberships__organization=organization,
        memberships__newsletter_consent_at__isnull=False,
        memberships__blocked_at__isnull=True,
        is_active=True,
        deleted_at__isnull=True,
        pk__in=EmailAddress.objects.filter(verified=True).values("user_id"),
    )


def _ids(values: Any) -> list[int]:
    try:
        return sorted({int(value) for value in values or ()})
    except (TypeError, ValueError):
        raise ValidationError(_("The audience names something that does not exist.")) from None


def clean(organization: Organization, raw: dict) -> dict:
    """The audience to store: known keys only, ids of this organization's
    spaces and districts, known profile values."""
    raw = raw or {}
    unknown = set(raw) - set(KEYS)
    if unknown:
        raise ValidationError(_("The audience names something that does not exist."))
    audience: dict[str, Any] = {}
    spaces = Space.objects.filter(organization=organization)
    for key in GROUPS:
        ids = _ids(raw.get(key))
        allowed = spaces.filter(private=True) if key == "private_members" else spaces
        if len(allowed.filter(pk__in=ids)) != len(ids):
            raise ValidationError(_("Choose spaces of this organization."))
        if ids:
            audience[key] = ids
    method = str(raw.get("verification_method") or "")
    if method:
        if not organization.verification_methods.filter(method=method).exists():
            raise ValidationError(_("Choose a verification method the organization offers."))
        audience["verification_method"] = method
    scopes = _ids(raw.get("scopes"))
    if len(Scope.objects.filter(organization=organization, pk__in=scopes)) != len(scopes):
        raise ValidationError(_("Choose districts of this organization."))
    if scopes:
        audience["scopes"] = scopes
    for key, (_field, choices) in PROFILE_FILTERS.items():
        values = sorted({str(value) for value in raw.get(key) or ()})
        if any(value not in choices.values for value in values):
            raise ValidationError(_("Choose among the answers offered."))
        if values:
            audience[key] = values
    codes = sorted({str(code).strip() for code in raw.get("postal_codes") or () if str(code).strip()})
    if codes:
        audience["postal_codes"] = codes
    return audience


def _participants(organization: Organization, space_ids: list[int]) -> Q:
    components = Component.objects.filter(space__organization=organization, space_id__in=space_ids)
    found = Q(pk__in=Comment.objects.filter(space_id__in=space_ids, author__isnull=False).values("author_id"))
    for manifest in registry.all():
        hook = manifest.hook(manifest.participant_ids)
        if hook is not None:
            found |= Q(pk__in=hook(components.filter(manifest_name=manifest.name)))
    return found


def recipients(organization: Organization, audience: dict) -> QuerySet[User]:
    """The people an audience reaches: `opted_in(organization)` narrowed by it."""
    people = opted_in(organization)
    groups = Q()
    if audience.get("spaces_participants"):
        groups |= _participants(organization, audience["spaces_participants"])
    if audience.get("spaces_followers"):
        spaces = Space.objects.filter(organization=organization, pk__in=audience["spaces_followers"])
        groups |= Q(
            pk__in=Follow.objects.filter(
                content_type=ContentType.objects.get_for_model(Space), object_id__in=spaces.values("pk")
            ).values("user_id")
        )
    if audience.get("private_members"):
        groups |= Q(
            pk__in=SpaceMember.objects.filter(
                space__organization=organization, space__private=True, space_id__in=audience["private_members"]
            ).values("user_id")
        )
    if groups:
        people = people.filter(groups)
    verified = Verification.objects.filter(organization=organization, status=Verification.Status.ACTIVE)
    if audience.get("verification_method"):
        people = people.filter(pk__in=verified.filter(method=audience["verification_method"]).values("user_id"))
    if audience.get("scopes"):
        scopes = Scope.objects.filter(organization=organization).filter(
            Q(pk__in=audience["scopes"]) | Q(parent_id__in=audience["scopes"])
        )
        people = people.filter(pk__in=verified.filter(scope__in=scopes).values("user_id"))
    for key, (field, _choices) in PROFILE_FILTERS.items():
        if audience.get(key):
            people = people.filter(**{f"{field}__in": audience[key]})
    if audience.get("postal_codes"):
        people = people.filter(postal_code__in=audience["postal_codes"])
    return people


def count(organization: Organization, audience: dict) -> int:
    return recipients(organization, audience).count()
