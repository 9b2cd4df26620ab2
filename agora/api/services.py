"""Writes of the public API's core: staff tokens (created, revoked, used)."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.services import log_action
from agora.api.errors import ApiError
from agora.api.models import ApiToken
from agora.components.registry import registry
from agora.core.models import Organization
from agora.permissions import can, require

PREFIX = "agora_"


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def known_scopes() -> set[str]:
    return {name for manifest in registry.all() for name, _label in manifest.api_scopes}


@transaction.atomic
def create_token(*, actor: User, organization: Organization, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """A new token of `actor` for `organization`: (the row, the token itself, to show
    once). Only its SHA-256 is stored."""
    require(actor, "api.tokens", organization)
    name = " ".join((name or "").split())[:100]
    if not name:
        raise ValidationError(_("Give the token a name (what it is for)."))
    unknown = set(scopes) - known_scopes()
    if unknown or not scopes:
        raise ValidationError(_("Choose at least one scope among those offered."))
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organization=organization,
        user=actor,
        name=name,
        scopes=sorted(set(scopes)),
        digest=digest_of(raw),
        prefix=raw[: len(PREFIX) + 4],
    )
    log_action(
        actor=actor, verb="api.token_created", target=token, organization=organization, data={"scopes": token.scopes}
    )
    return token, raw


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one's own token (an organization admin may revoke anyone's)."""
    if token.user_id != actor.pk:
        require(actor, "organization.manage", token.organization)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.revoked_at)
        log_action(actor=actor, verb="api.token_revoked", target=token, organization=token.organization)
    return token


def use_token(*, raw: str, organization: Organization, scope: str, method: str, path: str) -> ApiToken:
    """The token of a request, checked: known in this organization (401), not
    revoked (401), with `scope` (403), its owner still staff here (403). Each use
    is logged (the action log, verb api.token_used) and dated."""
    token = (
        ApiToken.objects.select_related("user", "organization")
        .filter(digest=digest_of(raw), organization=organization)
        .first()
    )
    if token is None or not token.user.is_active:
        raise ApiError(401, "unauthorized", "This token is not valid here.")
    if token.revoked_at is not None:
        raise ApiError(401, "unauthorized", "This token was revoked.")
    if scope not in token.scopes:
        raise ApiError(403, "forbidden", f"This token does not have the scope {scope!r}.")
    decision = can(token.user, "api.tokens", organization)
    if not decision:
        raise ApiError(403, "forbidden", decision.reason)
    with transaction.atomic():
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        log_action(
            actor=token.user,
            verb="api.token_used",
            target=token,
            organization=organization,
            data={"scope": scope, "method": method, "path": path[:300]},
        )
    return token
