"""Writes on organizations: their creation by platform admins, settings,
terms of use, accessibility statement."""

import re
from collections.abc import Callable
from typing import Any, Literal

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from agora.actionlog.services import log_action
from agora.core import fonts, home, home_page, images, tasks
from agora.core.files import delete_file_after_commit
from agora.core.formats import percent
from agora.core.forms import contrast_ratio
from agora.core.models import AccessibilityStatement, AccessibilityStatus, HomeBlock, Organization, TermsVersion
from agora.core.sanitize import clean_translated_html
from agora.permissions import require

MINIMUM_CONTRAST = 4.5

# What officers may change from the back-office (the host names stay with
# the platform admins in /system/).
EDITABLE_FIELDS = {
    "name",
    "machine_translation",
    "logo",
    "favicon",
    "font",
    "font_use",
    "primary_colour",
    "secondary_colour",
    "default_language",
    "available_languages",
    "reference_prefix",
    "contact_email",
    "description",
    "registration_mode",
    "profile_fields",
    "staff_mfa_required",
    "sender_email",
}


# The ground layer does not import agora.accounts: the actor is any user model
# (agora.accounts.models.User), and an invitation is Any.


def check_sender_email(organization: Organization, address: str) -> None:
    """An organization sends from its own domain: one of its host names or a
    domain above them (participez.ville.fr sends as ...@ville.fr), never from
    another organization's (the relay signs whatever it is given)."""
    domain = address.rpartition("@")[2].lower().strip()
    hosts = [organization.host, *(organization.secondary_hosts or [])]
    if "." in domain and any(host == domain or host.endswith("." + domain) for host in hosts):
        return
    raise ValidationError(
        {
            "sender_email": _("Use an address of the organization's own domain (%(domain)s or a domain above it).")
            % {"domain": organization.host}
        }
    )


def check_colour_contrast(colour: str) -> None:
    ratio = contrast_ratio(colour, "#ffffff")
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            _(
                "White text on this colour has a contrast of %(ratio).1f:1; choose a darker colour "
                "(at least %(minimum)s:1) so that everyone can read the menus and buttons."
            ),
            params={"ratio": ratio, "minimum": MINIMUM_CONTRAST},
            code="contrast",
        )


def update_organization(*, actor: AbstractBaseUser, organization: Organization, values: dict) -> Organization:
    """Change the organization's settings; `values` maps field names to new values."""
    require(actor, "organization.manage", organization)
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable from the back-office: {sorted(unknown)}")
    if values.get("staff_mfa_required") and not organization.staff_mfa_required:
        if not is_mfa_enabled(actor):
            # Turning it on without a second factor of one's own would lock oneself out.
            raise ValidationError(
                {
                    "staff_mfa_required": _(
                        "Protect your own account with two-factor authentication first (Account settings)."
                    )
                }
            )
    if values.get("sender_email"):
        check_sender_email(organization, values["sender_email"])
    if "primary_colour" in values:
        check_colour_contrast(values["primary_colour"])
    if "description" in values:
        values = {**values, "description": clean_translated_html(values["description"])}
    if values.get("font"):
        # Checked by its content (WOFF2, size), stored under a random name.
        try:
            values = {**values, "font": fonts.clean_font(values["font"])}
        except ValidationError as error:
            raise ValidationError({"font": error.error_list}) from None
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if "font" in values and locked.font:
            delete_file_after_commit(locked.font.storage, locked.font.name)
        changed = []
        for name, value in values.items():
            if name in ("logo", "favicon", "font") or getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        locked.full_clean(exclude=["host", "secondary_hosts"])
        locked.save()
        if "machine_translation" in changed and locked.machine_translation:
            tasks.machine_translate_task.enqueue(locked.pk)  # what is already published
        log_action(
            actor=actor,
            verb="organization.update",
            target=locked,
            organization=locked,
            data={"fields": sorted(changed)},
        )
    return locked


def publish_terms(
    *, actor: AbstractBaseUser, organization: Organization, body: dict, summary_of_changes: dict
) -> TermsVersion:
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
        log_action(
            actor=actor, verb="terms.publish", target=terms, organization=organization, data={"version": terms.version}
        )
    return terms


# --- accessibility statement ------------------------------------------------------

STATEMENT_FIELDS = {
    "standard",
    "audit_date",
    "audited_by",
    "conformance_rate",
    "audit_method",
    "non_conformities",
    "derogations",
    "exempt_content",
    "contact",
    "plan_url",
    "established_on",
}


def _check_statement(status: str, values: dict) -> None:
    """The status must say what the audit found (RGAA): "totalement conforme"
    when every criterion is met, "partiellement" from half of them, and no
    status but "non conforme" without an audit."""
    if status not in AccessibilityStatus.values:
        raise ValidationError({"status": _("Choose one of the conformance statuses.")})
    if status == AccessibilityStatus.NON_COMPLIANT:
        return
    errors = {}
    rate = values.get("conformance_rate")
    if not values.get("audit_date"):
        errors["audit_date"] = _("Give the date of the audit: without an audit the site is not compliant.")
    if not (values.get("audited_by") or "").strip():
        errors["audited_by"] = _("Say who made the audit.")
    if rate is None:
        errors["conformance_rate"] = _("Give the rate of conformance the audit found.")
    elif status == AccessibilityStatus.FULLY_COMPLIANT and rate < 100:
        errors["conformance_rate"] = _(
            "A fully compliant site meets %(full)s of the criteria; with %(rate)s it is partially compliant."
        ) % {"full": percent(100), "rate": percent(rate, None)}
    elif status == AccessibilityStatus.PARTIALLY_COMPLIANT and rate < 50:
        errors["conformance_rate"] = _("Below %(half)s of the criteria met (%(rate)s) the site is not compliant.") % {
            "half": percent(50),
            "rate": percent(rate, None),
        }
    if errors:
        raise ValidationError(errors)


def save_accessibility_statement(
    *, actor: AbstractBaseUser, organization: Organization, status: str, values: dict
) -> AccessibilityStatement:
    """Write the organization's accessibility statement and the status the
    footer of every page shows."""
    require(actor, "organization.manage", organization)
    unknown = set(values) - STATEMENT_FIELDS
    if unknown:
        raise ValueError(f"Not a field of the statement: {sorted(unknown)}")
    _check_statement(status, values)
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        statement, created = AccessibilityStatement.objects.get_or_create(organization=locked)
        changed = [name for name, value in values.items() if getattr(statement, name) != value]
        for name, value in values.items():
            setattr(statement, name, value)
        statement.full_clean()
        statement.save()
        if locked.accessibility_status != status:
            changed.append("status")
            locked.accessibility_status = status
            locked.save(update_fields=["accessibility_status"])  # save(): the host cache forgets it
        log_action(
            actor=actor,
            verb="accessibility_statement.update",
            target=statement,
            organization=locked,
            data={"status": status, "fields": sorted(changed), "created": created},
        )
    return statement


# --- organizations of the installation (/system/, platform admins) ----------------

# How an organization's administrator is invited: the accounts app's invitation (its
# row, its log, its e-mail; agora.accounts.services.create_invitation), registered in
# AccountsConfig.ready, since the ground never imports accounts.
_admin_invitations: list[Callable] = []


def register_admin_invitation(function: Callable) -> Callable:
    """function(*, actor, organization, email, role) -> the invitation."""
    _admin_invitations[:] = [function]
    return function


def _invite(*, actor: AbstractBaseUser, organization: Organization, email: str, role: str) -> Any:
    return _admin_invitations[0](actor=actor, organization=organization, email=email, role=role)


HOST_RE = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$")


def clean_host(host: str, *, organization: Organization | None = None) -> str:
    """A host name as requests carry it (lower case, no scheme, port or path),
    used by no other organization, as main or other host name."""
    host = (host or "").strip().lower().rstrip(".")
    if not HOST_RE.match(host):
        raise ValidationError(
            {
                "host": _(
                    "Enter a host name such as participation.ville.fr: letters, digits, "
                    "hyphens and dots, without http:// or a port."
                )
            }
        )
    others = Organization.objects.exclude(pk=organization.pk) if organization is not None else Organization.objects
    taken = others.filter(host=host).first() or next(
        (other for other in others.exclude(secondary_hosts=[]) if host in other.secondary_hosts), None
    )
    if taken is not None:
        raise ValidationError(
            {
                "host": _("The host name %(host)s is already used by %(organization)s.")
                % {"host": host, "organization": taken.name}
            }
        )
    return host


def _check_languages(default_language: str, available_languages: list[str]) -> list[str]:
    offered = dict(settings.LANGUAGES)
    languages = [code for code in dict.fromkeys(available_languages or []) if code]
    if not languages or any(code not in offered for code in languages):
        raise ValidationError({"available_languages": _("Choose the languages among those offered.")})
    if default_language not in languages:
        raise ValidationError({"default_language": _("The default language must be one of the available languages.")})
    return languages


def create_organization(
    *,
    actor: AbstractBaseUser,
    name: str,
    host: str,
    default_language: str,
    available_languages: list[str],
    first_admin_email: str,
) -> tuple[Organization, object]:
    """A platform admin creates an organization and invites its first
    administrator (an invitation e-mail; the role comes with accepting it)."""
    require(actor, "system.manage")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the organization a name.")})
    host = clean_host(host)
    languages = _check_languages(default_language, available_languages)
    email = (first_admin_email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"first_admin_email": _("Enter the e-mail address of the first administrator.")}
        ) from None
    with transaction.atomic():
        organization = Organization(
            name=name[:200], host=host, default_language=default_language, available_languages=languages
        )
        organization.full_clean()
        try:
            with transaction.atomic():
                organization.save()
        except IntegrityError:  # another admin took the host name a moment ago
            raise ValidationError(
                {"host": _("The host name %(host)s is already used by another organization.") % {"host": host}}
            ) from None
        log_action(
            actor=actor,
            verb="organization.create",
            target=organization,
            organization=organization,
            data={"host": host, "languages": languages, "first_admin": email},
        )
    # The invitation is the accounts' own (its row, its log, its e-mail), once the
    # organization is committed: a mail server that fails leaves an organization
    # whose admin can be invited again from its page, not a lost creation.
    invitation = _invite(actor=actor, organization=organization, email=email, role="org_admin")
    return organization, invitation


def update_organization_system(
    *,
    actor: AbstractBaseUser,
    organization: Organization,
    name: str,
    host: str,
    default_language: str,
    available_languages: list[str],
) -> Organization:
    """What only a platform admin changes: the host name (and the name and
    languages, which the organization's admins may change too)."""
    require(actor, "system.manage")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the organization a name.")})
    host = clean_host(host, organization=organization)
    languages = _check_languages(default_language, available_languages)
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        values = {
            "name": name[:200],
            "host": host,
            "default_language": default_language,
            "available_languages": languages,
        }
        changed = sorted(field for field, value in values.items() if getattr(locked, field) != value)
        for field, value in values.items():
            setattr(locked, field, value)
        locked.full_clean(exclude=["host"])
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:
            raise ValidationError(
                {"host": _("The host name %(host)s is already used by another organization.") % {"host": host}}
            ) from None
        log_action(
            actor=actor,
            verb="organization.system_update",
            target=locked,
            organization=locked,
            data={"fields": changed, "host": host},
        )
    return locked


def invite_organization_admin(*, actor: AbstractBaseUser, organization: Organization, email: str) -> Any:
    """Another administrator invited from /system/ (the first invitation lost, a new team)."""
    require(actor, "system.manage")
    return _invite(actor=actor, organization=organization, email=email, role="org_admin")


# --- the home page's blocks (agora.core.home) -------------------------------------------------


def _locked_blocks(organization: Organization) -> list[HomeBlock]:
    """The organization's blocks in their order, the organization's row locked:
    changes of the composition are one at a time (positions stay 0, 1, 2 ...)."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    return list(HomeBlock.objects.filter(organization=organization).order_by("position", "id"))


def _renumber(blocks: list[HomeBlock]) -> None:
    for position, block in enumerate(blocks):
        if block.position != position:
            block.position = position
            HomeBlock.objects.filter(pk=block.pk).update(position=position)


def _compose_default(actor: AbstractBaseUser, organization: Organization, blocks: list[HomeBlock]) -> list[HomeBlock]:
    """An organization that changes its home page for the first time starts
    from what it showed: the default composition is saved first."""
    if blocks:
        return blocks
    saved = []
    for block in home_page.default_blocks(organization):
        kind = home.kind_of(block.kind)
        if kind is not None:
            block.settings = kind.check(block.settings, organization)
            block.save()
            saved.append(block)
    log_action(actor=actor, verb="home_block.compose", target=organization, organization=organization)
    return saved


def _store_image(block: HomeBlock, image: File | Literal[False] | None, stored: HomeBlock | None) -> None:
    """`image`: None keeps it, False removes it, a file replaces it (upright,
    without metadata, with its smaller copies: agora.core.images)."""
    if image is None:
        if stored is not None:
            block.image, block.image_variants = stored.image.name, stored.image_variants
        return
    block.image = images.clean_image(image) if image else ""
    block.image_variants = {}
    block.save()
    if image:
        block.image_variants = images.make_variants(block.image.storage, block.image.name)
        block.save(update_fields=["image_variants"])
    if stored is not None and stored.image:
        images.delete_image_after_commit(stored.image.storage, stored.image.name, stored.image_variants)


def _checked_settings(
    kind: home.BlockKind,
    organization: Organization,
    settings: dict,
    image: File | Literal[False] | None,
    stored_image: FieldFile | None,
) -> dict:
    values = kind.check(settings, organization)
    if kind.image:
        images.check_picture(stored_image if image is None else image, values.get("image_alt"))
    return values


@transaction.atomic
def compose_home_page(*, actor: AbstractBaseUser, organization: Organization) -> list[HomeBlock]:
    """Save the default composition, so that each block can be changed."""
    require(actor, "organization.manage", organization)
    return _compose_default(actor, organization, _locked_blocks(organization))


@transaction.atomic
def add_home_block(
    *,
    actor: AbstractBaseUser,
    organization: Organization,
    kind: str,
    settings: dict,
    is_enabled: bool = True,
    image: File | Literal[False] | None = None,
) -> HomeBlock:
    require(actor, "organization.manage", organization)
    block_kind = home.kind_of(kind)
    if block_kind is None:
        raise ValidationError(home.NO_KIND)
    blocks = _compose_default(actor, organization, _locked_blocks(organization))
    if not block_kind.repeatable and any(block.kind == kind for block in blocks):
        raise ValidationError(_("The home page already has this block: edit it instead."))
    values = _checked_settings(block_kind, organization, settings, image, None)
    block = HomeBlock(
        organization=organization, kind=kind, settings=values, is_enabled=is_enabled, position=len(blocks)
    )
    block.save()
    if image:
        _store_image(block, image, None)
    log_action(actor=actor, verb="home_block.create", target=block, organization=organization)
    return block


@transaction.atomic
def update_home_block(
    *,
    actor: AbstractBaseUser,
    block: HomeBlock,
    settings: dict,
    is_enabled: bool,
    image: File | Literal[False] | None = None,
) -> HomeBlock:
    organization = block.organization
    require(actor, "organization.manage", organization)
    _locked_blocks(organization)
    stored = HomeBlock.objects.get(pk=block.pk, organization=organization)
    block_kind = home.kind_of(stored.kind)
    if block_kind is None:
        raise ValidationError(home.NO_KIND)
    block.settings = _checked_settings(block_kind, organization, settings, image, stored.image)
    block.is_enabled = is_enabled
    block.kind, block.position = stored.kind, stored.position
    _store_image(block, image, stored)
    block.save()
    log_action(
        actor=actor, verb="home_block.update", target=block, organization=organization, data={"enabled": is_enabled}
    )
    return block


@transaction.atomic
def set_home_block_enabled(*, actor: AbstractBaseUser, block: HomeBlock, enabled: bool) -> HomeBlock:
    organization = block.organization
    require(actor, "organization.manage", organization)
    _locked_blocks(organization)
    HomeBlock.objects.filter(pk=block.pk).update(is_enabled=enabled)
    block.is_enabled = enabled
    log_action(
        actor=actor, verb="home_block.update", target=block, organization=organization, data={"enabled": enabled}
    )
    return block


@transaction.atomic
def delete_home_block(*, actor: AbstractBaseUser, block: HomeBlock) -> None:
    organization = block.organization
    require(actor, "organization.manage", organization)
    blocks = _locked_blocks(organization)
    log_action(actor=actor, verb="home_block.delete", target=block, organization=organization)
    HomeBlock.objects.filter(pk=block.pk).delete()
    images.delete_image_after_commit(block.image.storage, block.image.name, block.image_variants)
    _renumber([each for each in blocks if each.pk != block.pk])


@transaction.atomic
def move_home_block(*, actor: AbstractBaseUser, block: HomeBlock, direction: str) -> None:
    organization = block.organization
    require(actor, "organization.manage", organization)
    blocks = _locked_blocks(organization)
    index = next((i for i, each in enumerate(blocks) if each.pk == block.pk), None)
    if index is None:
        return
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(blocks):
        blocks[index], blocks[other] = blocks[other], blocks[index]
        _renumber(blocks)
        log_action(
            actor=actor, verb="home_block.move", target=block, organization=organization, data={"direction": direction}
        )
