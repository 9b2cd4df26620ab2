"""Every write of verifications: permission, transaction, action log.

Pattern of a method: a pending Verification while it waits (code sent,
letter to mail, scan to check), then `_activate` claims the identity key;
if another account already holds it, the verification becomes a conflict
that an officer settles (transfer or reject)."""

import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from agora.accounts.models import User
from agora.actionlog.services import log_action, trace
from agora.core.files import delete_file_after_commit
from agora.core.models import Organization
from agora.core.outgoing import OutgoingRequestRefused, check_url
from agora.core.validators import validate_image
from agora.permissions import require
from agora.taxonomy.models import Scope
from agora.verifications import methods as method_registry
from agora.verifications.census import (  # noqa: F401 (the census's writes, importable from here)
    CensusImportError,
    census_columns,
    import_census_csv,
    parse_date,
)
from agora.verifications.identity import (
    code_hash,
    hashed,
    normalize,
    normalize_phone,
    person_key,
    phone_key,
)
from agora.verifications.models import CensusEntry, EligibilityRule, EnabledMethod, Identity, Verification
from agora.verifications.selectors import forget_verified
from agora.verifications.sms import SmsError, send_sms

MAX_CODE_ATTEMPTS = 5
SMS_CODE_MINUTES = 15
MAX_SMS_PER_HOUR = 3
MAX_CENSUS_FAILURES_PER_HOUR = 5
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
LETTER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


# --- common ---------------------------------------------------------------------------------


def _about(verification: Verification, **data: Any) -> dict:
    """The data of a verification's log row: its method and person, and `data`."""
    return {"method": verification.method, "user": verification.user_id, **data}


def _require_enabled(organization: Organization, method: str) -> EnabledMethod:
    enabled = EnabledMethod.objects.filter(organization=organization, method=method).first()
    if enabled is None:
        raise ValidationError(_("This verification method is not offered here."), code="disabled")
    return enabled


def _no_active(organization: Organization, user: User, method: str) -> None:
    """A new attempt replaces a pending one; an active one must be revoked first."""
    live = Verification.objects.select_for_update().filter(
        organization=organization, user=user, method=method, status__in=Verification.LIVE
    )
    for verification in live:
        if verification.status == Verification.Status.ACTIVE:
            raise ValidationError(_("Your account is already verified with this method."), code="already")
        _close(verification, Verification.Status.REJECTED, _("Replaced by a new request."))


def _close(verification: Verification, status: str, reason: str = "", actor: User | None = None) -> None:
    if verification.document:
        delete_file_after_commit(verification.document)
        verification.document = ""
    verification.status, verification.reason = status, str(reason)[:300]
    verification.data, verification.conflict_key = {}, ""
    verification.decided_at, verification.decided_by = timezone.now(), actor
    verification.save()


def _release_identity(identity: Identity | None) -> None:
    """An identity with no active verification left is freed."""
    if identity and not identity.verifications.filter(status=Verification.Status.ACTIVE).exists():
        identity.delete()


def _claim(organization: Organization, user: User, key: str) -> Identity | None:
    """The identity `key` for `user`, or None when another account holds it.
    The unique constraint (organization, key) decides races."""
    identity = Identity.objects.select_for_update().filter(organization=organization, key=key).first()
    if identity is None:
        try:
            with transaction.atomic():
                identity = Identity.objects.create(organization=organization, key=key, user=user)
        except IntegrityError:
            identity = Identity.objects.get(organization=organization, key=key)
    return identity if identity.user_id == user.pk else None


def _activate(
    verification: Verification,
    *,
    key: str = "",
    birth_date: date | None = None,
    postal_code: str = "",
    scope: Scope | None = None,
    actor: User | None = None,
) -> Verification:
    verification.birth_date, verification.postal_code, verification.scope = birth_date, postal_code or "", scope
    verification.data, verification.decided_at, verification.decided_by = {}, timezone.now(), actor
    if verification.document:
        delete_file_after_commit(verification.document)
        verification.document = ""
    if key:
        identity = _claim(verification.organization, verification.user, key)
        if identity is None:
            verification.status, verification.conflict_key = Verification.Status.CONFLICT, key
            verification.save()
            trace(
                actor or verification.user,
                "verification.conflict",
                verification,
                organization=verification.organization,
                data=_about(verification),
            )
            return verification
        verification.identity = identity
    verification.status = Verification.Status.ACTIVE
    verification.save()
    forget_verified(verification.user)
    trace(
        actor or verification.user,
        "verification.granted",
        verification,
        organization=verification.organization,
        data=_about(verification),
    )
    return verification


def _new(organization: Organization, user: User, method: str, **fields: Any) -> Verification:
    return Verification.objects.create(organization=organization, user=user, method=method, **fields)


def _throttle(key: str, limit: int, seconds: int = 3600) -> bool:
    """Count an attempt; False when over the limit (shared cache, any server)."""
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, seconds)
        count = 1
    return count <= limit


def _check_scope(organization: Organization, scope: Scope | None) -> None:
    if scope is not None and scope.organization_id != organization.pk:
        raise ValidationError(_("This choice belongs to another organization."))


# --- methods offered ---------------------------------------------------------------------


def enable_method(
    *, actor: User, organization: Organization, method: str, options: dict | None = None
) -> EnabledMethod:
    require(actor, "verifications.manage", organization)
    if method_registry.get(method) is None:
        raise ValidationError(_("Unknown verification method."))
    with transaction.atomic():
        enabled, created = EnabledMethod.objects.get_or_create(organization=organization, method=method)
        if options is not None:
            enabled.options = {**enabled.options, **options}
            enabled.save(update_fields=["options"])
        log_action(
            actor=actor,
            verb="verification.method_enabled" if created else "verification.method_updated",
            target=enabled,
            organization=organization,
            data={"method": method},
        )
    return enabled


def disable_method(*, actor: User, organization: Organization, method: str) -> None:
    require(actor, "verifications.manage", organization)
    with transaction.atomic():
        for enabled in EnabledMethod.objects.filter(organization=organization, method=method):
            log_action(
                actor=actor,
                verb="verification.method_disabled",
                target=enabled,
                organization=organization,
                data={"method": method},
            )
            enabled.delete()


def configure_oidc(
    *, actor: User, organization: Organization, name: str, slug: str, server_url: str, client_id: str, secret: str = ""
) -> EnabledMethod:
    """One allauth SocialApp per organization's provider (provider_id
    "org<id>-<slug>", so organizations never share one)."""
    require(actor, "verifications.manage", organization)
    provider_id = f"org{organization.pk}-{normalize(slug).replace(' ', '-')}"[:100]
    if not server_url.startswith(("https://", "http://")):
        raise ValidationError(_("Enter the address of the provider, starting with https://."))
    try:  # the server will fetch it: a public address only (agora.core.outgoing)
        check_url(server_url)
    except OutgoingRequestRefused as refused:
        raise ValidationError(str(refused), code="address") from None
    with transaction.atomic():
        app = SocialApp.objects.filter(provider="openid_connect", provider_id=provider_id).first() or SocialApp(
            provider="openid_connect", provider_id=provider_id
        )
        app.name, app.client_id = name, client_id
        if secret or not app.pk:
            app.secret = secret
        app.settings = {**(app.settings or {}), "server_url": server_url}
        app.save()
        return enable_method(
            actor=actor, organization=organization, method="oidc", options={"provider_id": provider_id, "name": name}
        )


# --- census ---------------------------------------------------------------------------------
# Uploads, their confirmation and the background import: agora.verifications.census.


def verify_by_census(
    *, user: User, organization: Organization, last_name: str, first_name: str, birth_date: date
) -> Verification:
    require(user, "verifications.verify", organization)
    _require_enabled(organization, "census")
    if not _throttle(f"verif-census-{organization.pk}-{user.pk}", MAX_CENSUS_FAILURES_PER_HOUR):
        raise ValidationError(_("Too many attempts: try again in an hour or ask at a desk."), code="throttled")
    key = person_key(organization, last_name=last_name, first_name=first_name, birth_date=birth_date)
    entry = CensusEntry.objects.filter(organization=organization, key=key).first()
    if entry is None:
        raise ValidationError(
            _(
                "No one in the census has these names and date of birth. Check the spelling (as on your identity "
                "card) or ask at a desk."
            ),
            code="no_match",
        )
    cache.delete(f"verif-census-{organization.pk}-{user.pk}")
    with transaction.atomic():
        _no_active(organization, user, "census")
        verification = _new(organization, user, "census")
        return _activate(
            verification, key=key, birth_date=entry.birth_date, postal_code=entry.postal_code, scope=entry.scope
        )


# --- postal letter -------------------------------------------------------------------------


def request_letter(
    *,
    user: User,
    organization: Organization,
    full_name: str,
    address: str,
    postal_code: str,
    city: str,
    scope: Scope | None = None,
) -> Verification:
    require(user, "verifications.verify", organization)
    _require_enabled(organization, "letter")
    _check_scope(organization, scope)
    code = "".join(secrets.choice(LETTER_CODE_ALPHABET) for _ in range(8))
    with transaction.atomic():
        _no_active(organization, user, "letter")
        verification = _new(
            organization,
            user,
            "letter",
            postal_code=postal_code.replace(" ", ""),
            scope=scope,
            data={
                "code": code,
                "code_hash": code_hash(organization, code),
                "attempts": 0,
                "address": {"name": full_name, "street": address, "postal_code": postal_code, "city": city},
            },
        )
        trace(
            user,
            "verification.letter_requested",
            verification,
            organization=verification.organization,
            data=_about(verification),
        )
    return verification


def mark_letters_sent(*, actor: User, organization: Organization, verifications: Iterable[Verification]) -> int:
    """The letters were printed: forget the codes in clear, keep their hashes."""
    require(actor, "verifications.manage", organization)
    count = 0
    with transaction.atomic():
        for verification in verifications:
            if (
                verification.organization_id != organization.pk
                or verification.method != "letter"
                or verification.status != Verification.Status.PENDING
                or verification.data.get("sent_at")
            ):
                continue
            data = dict(verification.data)
            data.pop("code", None)
            data["sent_at"] = timezone.now().isoformat()
            verification.data = data
            verification.save(update_fields=["data"])
            trace(
                actor,
                "verification.letter_sent",
                verification,
                organization=verification.organization,
                data=_about(verification),
            )
            count += 1
    return count


def _check_code(verification: Verification, code: str, *, expires_key: str | None = None) -> bool:
    """Count the attempt (committed even when the code is wrong)."""
    data = dict(verification.data)
    data["attempts"] = data.get("attempts", 0) + 1
    verification.data = data
    if data["attempts"] > MAX_CODE_ATTEMPTS:
        _close(verification, Verification.Status.REJECTED, _("Too many wrong codes."))
        return False
    verification.save(update_fields=["data"])
    return secrets.compare_digest(data.get("code_hash", ""), code_hash(verification.organization, code))


def confirm_letter(*, user: User, organization: Organization, code: str) -> Verification:
    require(user, "verifications.verify", organization)
    with transaction.atomic():
        verification = (
            Verification.objects.select_for_update()
            .filter(organization=organization, user=user, method="letter", status=Verification.Status.PENDING)
            .first()
        )
        if verification is None:
            raise ValidationError(_("You have no letter waiting: ask for one first."), code="none")
        if _check_code(verification, code):
            return _activate(verification, postal_code=verification.postal_code, scope=verification.scope)
        attempts_left = MAX_CODE_ATTEMPTS - verification.data.get("attempts", MAX_CODE_ATTEMPTS)
    if attempts_left <= 0:
        raise ValidationError(_("Too many wrong codes: ask for a new letter."), code="locked")
    raise ValidationError(
        _("This code is not the one in your letter (%(left)s attempts left).") % {"left": attempts_left}, code="wrong"
    )


# --- SMS -------------------------------------------------------------------------------------


def send_sms_code(*, user: User, organization: Organization, phone: str) -> Verification:
    require(user, "verifications.verify", organization)
    _require_enabled(organization, "sms")
    number = normalize_phone(phone)
    if not (number.startswith("+") and number[1:].isascii() and number[1:].isdigit() and 8 <= len(number) <= 16):
        raise ValidationError(_("Enter a mobile phone number, for example 06 12 34 56 78."), code="phone")
    if not _throttle(f"verif-sms-{organization.pk}-{user.pk}", MAX_SMS_PER_HOUR):
        raise ValidationError(_("Too many codes sent: try again in an hour."), code="throttled")
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        _no_active(organization, user, "sms")
        verification = _new(
            organization,
            user,
            "sms",
            data={
                "code_hash": code_hash(organization, code),
                "phone_key": phone_key(organization, number),
                "attempts": 0,
                "expires_at": (timezone.now() + timedelta(minutes=SMS_CODE_MINUTES)).isoformat(),
            },
        )
        trace(
            user,
            "verification.sms_sent",
            verification,
            organization=verification.organization,
            data=_about(verification),
        )
        try:
            send_sms(
                number,
                _("%(organization)s: your verification code is %(code)s.")
                % {"organization": organization.name, "code": code},
            )
        except SmsError:
            raise ValidationError(_("The SMS could not be sent: try again later."), code="gateway") from None
    return verification


def confirm_sms_code(*, user: User, organization: Organization, code: str) -> Verification:
    require(user, "verifications.verify", organization)
    with transaction.atomic():
        verification = (
            Verification.objects.select_for_update()
            .filter(organization=organization, user=user, method="sms", status=Verification.Status.PENDING)
            .first()
        )
        if verification is None:
            raise ValidationError(_("No code is waiting: ask for a new one."), code="none")
        if timezone.now() > datetime.fromisoformat(verification.data["expires_at"]):
            _close(verification, Verification.Status.REJECTED, _("The code expired."))
            expired = True
        else:
            expired = False
            if _check_code(verification, code):
                return _activate(verification, key=verification.data["phone_key"])
            attempts_left = MAX_CODE_ATTEMPTS - verification.data.get("attempts", MAX_CODE_ATTEMPTS)
    if expired:
        raise ValidationError(_("This code has expired: ask for a new one."), code="expired")
    if attempts_left <= 0:
        raise ValidationError(_("Too many wrong codes: ask for a new one."), code="locked")
    raise ValidationError(
        _("This code is not the one we sent (%(left)s attempts left).") % {"left": attempts_left}, code="wrong"
    )


# --- identity document -----------------------------------------------------------------------


def validate_document(upload: File) -> str:
    """A JPEG/PNG/WebP/GIF picture or a PDF, by content. Returns the extension."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("This file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_DOCUMENT_BYTES)}
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "pdf"
    try:
        validate_image(upload)
    except ValidationError:
        raise ValidationError(
            _("Upload a photo (JPEG, PNG, WebP) or a PDF of your identity document."), code="format"
        ) from None

    with Image.open(upload) as image:
        extension = (image.format or "img").lower()
    upload.seek(0)
    return "jpg" if extension == "jpeg" else extension


def submit_document(
    *,
    user: User,
    organization: Organization,
    document: File,
    last_name: str,
    first_name: str,
    birth_date: date,
    postal_code: str = "",
    scope: Scope | None = None,
) -> Verification:
    require(user, "verifications.verify", organization)
    _require_enabled(organization, "document")
    _check_scope(organization, scope)
    validate_document(document)  # stored under a random name (agora.core.files), nothing personal in it
    with transaction.atomic():
        _no_active(organization, user, "document")
        verification = Verification(
            organization=organization,
            user=user,
            method="document",
            postal_code=postal_code.replace(" ", ""),
            scope=scope,
            data={"last_name": last_name, "first_name": first_name, "birth_date": birth_date.isoformat()},
        )
        verification.document = document
        verification.save()
        trace(
            user,
            "verification.document_submitted",
            verification,
            organization=verification.organization,
            data=_about(verification),
        )
    return verification


def decide_document(*, actor: User, verification: Verification, accept: bool, reason: str = "") -> Verification:
    """The officer compared the scan with the details; the scan is deleted
    from storage whatever the decision."""
    organization = verification.organization
    require(actor, "verifications.manage", organization)
    with transaction.atomic():
        verification = Verification.objects.select_for_update().get(pk=verification.pk)
        if verification.method != "document" or verification.status != Verification.Status.PENDING:
            raise ValidationError(_("This document was already decided."))
        if not accept:
            _close(verification, Verification.Status.REJECTED, reason or _("The document did not match."), actor)
            trace(
                actor,
                "verification.rejected",
                verification,
                organization=verification.organization,
                data=_about(verification, reason=verification.reason),
            )
            return verification
        data = verification.data
        birth_date = date.fromisoformat(data["birth_date"])
        key = person_key(
            organization, last_name=data["last_name"], first_name=data["first_name"], birth_date=birth_date
        )
        return _activate(
            verification,
            key=key,
            birth_date=birth_date,
            postal_code=verification.postal_code,
            scope=verification.scope,
            actor=actor,
        )


# --- in person -------------------------------------------------------------------------------


def record_in_person(
    *,
    actor: User,
    organization: Organization,
    user: User,
    last_name: str,
    first_name: str,
    birth_date: date,
    postal_code: str = "",
    scope: Scope | None = None,
) -> Verification:
    """A desk agent checked an identity document in front of the person."""
    require(actor, "verifications.record_in_person", organization)
    _check_scope(organization, scope)
    with transaction.atomic():
        _no_active(organization, user, "in_person")
        verification = _new(organization, user, "in_person")
        key = person_key(organization, last_name=last_name, first_name=first_name, birth_date=birth_date)
        return _activate(
            verification,
            key=key,
            birth_date=birth_date,
            postal_code=postal_code.replace(" ", ""),
            scope=scope,
            actor=actor,
        )


# --- OpenID Connect ---------------------------------------------------------------------------


def oidc_provider_id(organization: Organization) -> str | None:
    enabled = EnabledMethod.objects.filter(organization=organization, method="oidc").first()
    return (enabled.options or {}).get("provider_id") if enabled else None


def verify_by_oidc(*, user: User, organization: Organization, claims: dict) -> Verification:
    """Claims of the identity provider (userinfo, id_token) to attributes.
    The civil identity (names + birth date) gives the same key as the
    census and the desk; without it the provider's subject is the key."""
    require(user, "verifications.verify", organization)
    provider_id = oidc_provider_id(organization)
    if provider_id is None:
        raise ValidationError(_("This verification method is not offered here."), code="disabled")
    birth_date = parse_date(str(claims.get("birthdate") or ""))
    address = claims.get("address")
    if not isinstance(address, dict):
        address = {}
    postal_code = str(address.get("postal_code") or claims.get("postal_code") or "").replace(" ", "")[:10]
    last_name = claims.get("family_name") or ""
    first_name = (claims.get("given_name") or "").split(" ")[0]
    if last_name and first_name and birth_date:
        key = person_key(organization, last_name=last_name, first_name=first_name, birth_date=birth_date)
    elif claims.get("sub"):
        key = hashed(organization, "oidc", provider_id, str(claims["sub"]))
    else:
        raise ValidationError(_("The identity provider did not say who you are."), code="claims")
    with transaction.atomic():
        _no_active(organization, user, "oidc")
        verification = _new(organization, user, "oidc")
        return _activate(verification, key=key, birth_date=birth_date, postal_code=postal_code)


# --- officers: revoke, conflicts ------------------------------------------------------------


def revoke_verification(*, actor: User, verification: Verification, reason: str = "") -> Verification:
    require(actor, "verifications.manage", verification.organization)
    with transaction.atomic():
        verification = Verification.objects.select_for_update().get(pk=verification.pk)
        if verification.status not in Verification.LIVE:
            raise ValidationError(_("This verification is no longer in force."))
        identity = verification.identity
        _close(verification, Verification.Status.REVOKED, reason or _("Revoked by an officer."), actor)
        _release_identity(identity)
        forget_verified(verification.user)
        trace(
            actor,
            "verification.revoked",
            verification,
            organization=verification.organization,
            data=_about(verification, reason=verification.reason),
        )
    return verification


def transfer_identity(*, actor: User, verification: Verification) -> Verification:
    """A conflict settled for the new account: the account that held the
    identity loses its verifications based on it."""
    organization = verification.organization
    require(actor, "verifications.manage", organization)
    with transaction.atomic():
        verification = Verification.objects.select_for_update().get(pk=verification.pk)
        if verification.status != Verification.Status.CONFLICT:
            raise ValidationError(_("This conflict was already settled."))
        identity = (
            Identity.objects.select_for_update()
            .filter(organization=organization, key=verification.conflict_key)
            .first()
        )
        previous = identity.user if identity else None
        if identity is not None:
            for old in identity.verifications.filter(status=Verification.Status.ACTIVE):
                _close(old, Verification.Status.REVOKED, _("Identity transferred to another account."), actor)
                trace(
                    actor,
                    "verification.revoked",
                    old,
                    organization=old.organization,
                    data=_about(old, reason=old.reason),
                )
            identity.user = verification.user
            identity.save(update_fields=["user"])
        else:
            identity = Identity.objects.create(
                organization=organization, key=verification.conflict_key, user=verification.user
            )
        verification.identity, verification.conflict_key = identity, ""
        verification.status, verification.decided_at, verification.decided_by = (
            Verification.Status.ACTIVE,
            timezone.now(),
            actor,
        )
        verification.save()
        if previous is not None:
            forget_verified(previous)
        forget_verified(verification.user)
        trace(
            actor,
            "verification.transferred",
            verification,
            organization=verification.organization,
            data=_about(verification, previous_user=previous.pk if previous else None),
        )
    return verification


def reject_conflict(*, actor: User, verification: Verification, reason: str = "") -> Verification:
    require(actor, "verifications.manage", verification.organization)
    with transaction.atomic():
        verification = Verification.objects.select_for_update().get(pk=verification.pk)
        if verification.status != Verification.Status.CONFLICT:
            raise ValidationError(_("This conflict was already settled."))
        _close(
            verification, Verification.Status.REJECTED, reason or _("The identity belongs to another account."), actor
        )
        trace(
            actor,
            "verification.rejected",
            verification,
            organization=verification.organization,
            data=_about(verification, reason=verification.reason),
        )
    return verification


# --- eligibility rules ----------------------------------------------------------------------


def save_eligibility_rule(
    *,
    actor: User,
    component: Any,
    action: str,
    methods: list[str],
    require_all: bool = False,
    min_age: int | None = None,
    max_age: int | None = None,
    postal_codes: list[str] | None = None,
    match_scope: bool = False,
) -> EligibilityRule:
    # (`component`: an agora.components Component, an app of this app's layer.)
    require(actor, "verifications.eligibility", component)
    manifest = component.manifest
    if manifest is None or action not in manifest.actions:
        raise ValidationError(_("This component has no such action."))
    unknown = [name for name in methods if method_registry.get(name) is None]
    if unknown:
        raise ValidationError(_("Unknown verification method."))
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ValidationError(_("The minimum age must not be above the maximum age."))
    codes = sorted({code.replace(" ", "") for code in (postal_codes or []) if code.strip()})
    rule = EligibilityRule(
        component=component,
        action=action,
        methods=list(methods),
        require_all=require_all,
        min_age=min_age,
        max_age=max_age,
        postal_codes=codes,
        match_scope=match_scope,
    )
    with transaction.atomic():
        EligibilityRule.objects.filter(component=component, action=action).delete()
        if not rule.is_empty:
            rule.save()
        log_action(
            actor=actor,
            verb="verification.eligibility_saved",
            target=component,
            organization=component.space.organization,
            space=component.space,
            component=component,
            data={
                "action": action,
                "methods": rule.methods,
                "min_age": min_age,
                "max_age": max_age,
                "postal_codes": codes,
                "match_scope": match_scope,
            },
        )
    component.__dict__.pop("_agora_eligibility", None)
    return rule


# --- retention --------------------------------------------------------------------------------


def purge_stale(*, organization: Organization | None = None, now: datetime | None = None) -> int:
    """Close verifications pending longer than AGORA_VERIFICATION_PENDING_DAYS:
    their codes, addresses and scans are erased (run daily)."""
    limit = (now or timezone.now()) - timedelta(days=settings.AGORA_VERIFICATION_PENDING_DAYS)
    stale = Verification.objects.filter(status=Verification.Status.PENDING, created_at__lt=limit)
    if organization is not None:
        stale = stale.filter(organization=organization)
    count = 0
    for verification in stale:
        with transaction.atomic():
            _close(verification, Verification.Status.REJECTED, _("Expired without being completed."))
            count += 1
    return count
