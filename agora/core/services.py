"""Writes on organizations: settings and terms of use."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from agora.actionlog.services import log_action
from agora.core.forms import contrast_ratio
from agora.core.models import Organization, TermsVersion
from agora.core.sanitize import clean_translated_html
from agora.permissions import require

MINIMUM_CONTRAST = 4.5

# What officers may change from the back-office (the host names stay with
# the platform admins in /system/).
EDITABLE_FIELDS = {
    "name", "logo", "primary_colour", "secondary_colour", "default_language", "available_languages",
    "reference_prefix", "contact_email", "description", "registration_mode", "profile_fields",
    "staff_mfa_required",
}


def check_colour_contrast(colour: str) -> None:
    ratio = contrast_ratio(colour, "#ffffff")
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            _("White text on this colour has a contrast of %(ratio).1f:1; choose a darker colour "
              "(at least %(minimum)s:1) so that everyone can read the menus and buttons."),
            params={"ratio": ratio, "minimum": MINIMUM_CONTRAST},
            code="contrast",
        )


def update_organization(*, actor, organization, values: dict) -> Organization:
    """Change the organization's settings; `values` maps field names to new values."""
    require(actor, "organization.manage", organization)
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable from the back-office: {sorted(unknown)}")
    if values.get("staff_mfa_required") and not organization.staff_mfa_required:
        from allauth.mfa.utils import is_mfa_enabled

        if not is_mfa_enabled(actor):
            # Turning it on without a second factor of one's own would lock oneself out.
            raise ValidationError({"staff_mfa_required": _(
                "Protect your own account with two-factor authentication first (Account settings).")})
    if "primary_colour" in values:
        check_colour_contrast(values["primary_colour"])
    if "description" in values:
        values = {**values, "description": clean_translated_html(values["description"])}
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        changed = []
        for name, value in values.items():
            if name == "logo" or getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        locked.full_clean(exclude=["host", "secondary_hosts"])
        locked.save()
        log_action(actor=actor, verb="organization.update", target=locked, organization=locked,
                   data={"fields": sorted(changed)})
    return locked


def publish_terms(*, actor, organization, body: dict, summary_of_changes: dict) -> TermsVersion:
    """Publish a new version of the terms of use; participants accept it
    again before taking part (agora.accounts)."""
    require(actor, "organization.manage", organization)
    if not any((text or "").strip() for text in (body or {}).values()):
        raise ValidationError(_("The text of the terms cannot be empty."))
    with transaction.atomic():
        # Lock the organization so two officers publishing at once get versions n+1 and n+2.
        Organization.objects.select_for_update().get(pk=organization.pk)
        current = organization.terms_versions.aggregate(top=Max("version"))["top"] or 0
        terms = TermsVersion.objects.create(
            organization=organization,
            version=current + 1,
            body=clean_translated_html(body),
            summary_of_changes={code: text.strip() for code, text in (summary_of_changes or {}).items() if text},
        )
        log_action(actor=actor, verb="terms.publish", target=terms, organization=organization,
                   data={"version": terms.version})
    return terms
