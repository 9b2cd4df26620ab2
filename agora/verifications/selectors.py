"""Reads of verifications. `verified_attributes` is the API other apps use."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora import permissions, visitor
from agora.accounts.models import User
from agora.core import pagecache
from agora.core.attention import Item
from agora.core.models import Organization
from agora.taxonomy.models import Scope
from agora.verifications import methods as method_registry
from agora.verifications.identity import age_on
from agora.verifications.models import (
    CensusEntry,
    CensusUpload,
    EligibilityRule,
    EnabledMethod,
    Identity,
    Verification,
)
from agora.verifications.phrases import action_phrase


@dataclass(frozen=True)
class VerifiedAttributes:
    """What the active verifications of a person say (the latest wins)."""

    birth_date: date | None = None
    postal_code: str = ""
    scope_id: int | None = None
    methods: frozenset = field(default_factory=frozenset)

    @property
    def scope(self) -> Scope | None:
        if self.scope_id is None:
            return None

        return Scope.objects.filter(pk=self.scope_id).first()

    def age_on(self, day: date) -> int | None:
        return age_on(self.birth_date, day)


NOTHING_VERIFIED = VerifiedAttributes()


def verified_attributes(user: User | AnonymousUser | None, organization: Organization | None) -> VerifiedAttributes:
    """The visitor fact "verifications.attributes" (agora.visitor: the
    page's one query while a page is read), memoised on the user object for
    the request; services that change verifications call forget_verified(user)."""
    if organization is None or not getattr(user, "is_authenticated", False):
        return NOTHING_VERIFIED
    cache = user.__dict__.setdefault("_agora_verified", {})
    if organization.pk not in cache:
        cache[organization.pk] = visitor.read(user, organization, "verifications.attributes")
    return cache[organization.pk]


def attributes_columns(user: User, organization: Organization, vendor: str) -> tuple[list[str], list[Any]]:
    """The person's active verifications in this organization, for verified_attributes."""
    return [
        visitor.json_rows(
            vendor,
            "v.method, v.birth_date, v.postal_code, v.scope_id, v.decided_at, v.id",
            f"FROM {visitor.table(Verification)} v WHERE v.organization_id = %s AND v.user_id = %s AND v.status = %s",
        )
    ], [organization.pk, user.pk, Verification.Status.ACTIVE]


def attributes_value(values: Sequence[Any]) -> VerifiedAttributes:
    """The latest verification wins (by decision time, then id; undecided last)."""
    birth_date: date | None = None
    postal_code = ""
    scope_id: int | None = None
    methods: set[str] = set()
    rows = sorted(visitor.rows(values[0]), key=lambda row: (row[4] is None, row[4] or "", row[5]))
    for method, row_birth_date, row_postal_code, row_scope_id, _decided_at, _id in rows:
        methods.add(method)
        birth_date = (date.fromisoformat(row_birth_date[:10]) if row_birth_date else None) or birth_date
        postal_code = row_postal_code or postal_code
        scope_id = row_scope_id or scope_id
    return VerifiedAttributes(birth_date, postal_code, scope_id, frozenset(methods))


def forget_verified(user: User) -> None:
    user.__dict__.pop("_agora_verified", None)
    visitor.forget(user)


def enabled_methods(organization: Organization) -> dict[str, EnabledMethod]:
    rows = EnabledMethod.objects.filter(organization=organization)
    return {row.method: row for row in rows if method_registry.get(row.method)}


def user_verifications(user: User, organization: Organization) -> QuerySet[Verification]:
    return Verification.objects.filter(organization=organization, user=user).select_related("scope")


def live_verification(user: User, organization: Organization, method: str) -> Verification | None:
    return Verification.objects.filter(
        organization=organization, user=user, method=method, status__in=Verification.LIVE
    ).first()


def _staff_list(organization: Organization, **filters: Any) -> QuerySet[Verification]:
    return (
        Verification.objects.filter(organization=organization, **filters)
        .select_related("user", "scope", "decided_by")
        .order_by("created_at", "id")
    )


def pending_letters(organization: Organization, *, sent: bool | None = None) -> QuerySet[Verification]:
    rows = _staff_list(organization, method="letter", status=Verification.Status.PENDING)
    if sent is True:
        rows = rows.filter(data__has_key="sent_at")
    elif sent is False:
        rows = rows.exclude(data__has_key="sent_at")
    return rows


def pending_documents(organization: Organization) -> QuerySet[Verification]:
    return _staff_list(organization, method="document", status=Verification.Status.PENDING)


def conflicts(organization: Organization) -> QuerySet[Verification]:
    return _staff_list(organization, status=Verification.Status.CONFLICT)


def active_verifications(organization: Organization, query: str = "") -> QuerySet[Verification]:
    rows = _staff_list(organization, status=Verification.Status.ACTIVE).order_by("-decided_at", "-id")
    if query:
        rows = (
            rows.filter(user__nickname__icontains=query)
            | rows.filter(user__name__icontains=query)
            | rows.filter(user__email__icontains=query)
        )
    return rows


def identity_holder(verification: Verification) -> User | None:
    """For a conflict: the account that holds the identity now."""
    identity = (
        Identity.objects.select_related("user")
        .filter(organization_id=verification.organization_id, key=verification.conflict_key)
        .first()
    )
    return identity.user if identity else None


def census_status(organization: Organization) -> dict:
    return {
        "entries": CensusEntry.objects.filter(organization=organization).count(),
        "last_upload": CensusUpload.objects.filter(organization=organization, status=CensusUpload.Status.DONE)
        .select_related("uploaded_by")
        .first(),
    }


# A component is Any here: agora.components sits on this app's layer, not below it.
def rules_for(component: Any) -> dict[str, EligibilityRule]:
    """{action: rule} of a component, memoised on the component object."""
    if "_agora_eligibility" not in component.__dict__:
        # Shared by the requests of one settings version (agora.core.pagecache.memo): read-only.
        component.__dict__["_agora_eligibility"] = pagecache.memo(
            ("eligibility", component.pk),
            lambda: {rule.action: rule for rule in EligibilityRule.objects.filter(component=component)},
        )
    return component.__dict__["_agora_eligibility"]


@dataclass
class ActionSetup:
    """Who may do one action of a component, in words, for the staff."""

    action: str
    phrase: str
    requirements: list  # sentences; empty: every participant
    problems: list  # required methods the organization does not offer


def component_setup(component: Any, enabled: dict) -> list[ActionSetup]:
    """For each gated action of the component, what it requires (read-only
    summary on the staff's screens: agora.verifications.templatetags)."""
    manifest = component.manifest
    if manifest is None:
        return []
    rules = {rule.action: rule for rule in EligibilityRule.objects.filter(component=component)}
    setups = []
    for action in manifest.actions:
        rule = rules.get(action)
        requirements, problems = [], []
        if rule is not None and not rule.is_empty:
            labels = [str(method.label) for method in map(method_registry.get, rule.methods) if method]
            if len(labels) == 1:
                requirements.append(_("an account verified by: %(method)s") % {"method": labels[0]})
            elif labels and rule.require_all:
                requirements.append(_("an account verified by each of: %(methods)s") % {"methods": ", ".join(labels)})
            elif labels:
                requirements.append(_("an account verified by one of: %(methods)s") % {"methods": ", ".join(labels)})
            if rule.min_age is not None and rule.max_age is not None:
                requirements.append(_("aged %(min)s to %(max)s") % {"min": rule.min_age, "max": rule.max_age})
            elif rule.min_age is not None:
                requirements.append(_("aged %(min)s and over") % {"min": rule.min_age})
            elif rule.max_age is not None:
                requirements.append(_("aged %(max)s and under") % {"max": rule.max_age})
            if rule.postal_codes:
                requirements.append(_("living in %(codes)s") % {"codes": ", ".join(rule.postal_codes)})
            if rule.match_scope:
                requirements.append(_("living in the district of the project or of the space"))
            missing = [name for name in rule.methods if name not in enabled]
            if missing and (rule.require_all or len(missing) == len(rule.methods)):
                problems.append(
                    _(
                        "Required but not offered by the organization: %(methods)s. Nobody can qualify "
                        "until it is turned on."
                    )
                    % {
                        "methods": ", ".join(
                            str(method.label) for method in map(method_registry.get, missing) if method
                        )
                    }
                )
        setups.append(ActionSetup(action, action_phrase(action), requirements, problems))
    return setups


def attention_items(user: User, organization: Organization) -> list[Item]:
    """Verifications' cards on the back-office dashboard (agora.core.attention), to
    those who manage them: letters with a code still to send, identity documents
    to check, and conflicts (an identity already verified for another account),
    as their screens list them. One query."""
    if not permissions.can(user, "verifications.manage", organization):
        return []
    pending = Q(status=Verification.Status.PENDING)
    counts = Verification.objects.filter(organization=organization).aggregate(
        letters=Count("pk", filter=pending & Q(method="letter") & ~Q(data__has_key="sent_at")),
        documents=Count("pk", filter=pending & Q(method="document")),
        conflicts=Count("pk", filter=Q(status=Verification.Status.CONFLICT)),
    )
    return [
        Item(
            ngettext("letter with a code to send", "letters with a code to send", counts["letters"]),
            counts["letters"],
            reverse("verifications_admin:letters"),
            icon="mail",
        ),
        Item(
            ngettext("identity document to check", "identity documents to check", counts["documents"]),
            counts["documents"],
            reverse("verifications_admin:documents"),
            icon="file-text",
        ),
        Item(
            ngettext(
                "verification in conflict with another account",
                "verifications in conflict with another account",
                counts["conflicts"],
            ),
            counts["conflicts"],
            reverse("verifications_admin:conflicts"),
            icon="triangle-alert",
        ),
    ]
