"""Reads of the initiatives component. A list page reads its tiers in one query;
no public read names a signer unless they chose to appear."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from agora.accounts.models import User
from agora.components.initiatives.models import (
    CommitteeMember,
    Initiative,
    InitiativeTier,
    InitiativeType,
    PaperSheet,
    Signature,
    Tier,
)
from agora.components.models import Component
from agora.permissions import can

STATES = ("collecting", "closed", "answered", "lapsed", "refused")


@dataclass(frozen=True)
class TierProgress:
    """A tier of an initiative as the public sees it: the bar and its numbers."""

    row: InitiativeTier
    count: int

    @property
    def percent(self) -> int:
        return min(100, self.count * 100 // self.row.threshold) if self.row.threshold else 100

    @property
    def dom_id(self) -> str:
        return f"tier-{self.row.pk}"

    @property
    def missing(self) -> int:
        return max(0, self.row.threshold - self.count)

    @property
    def below(self) -> bool:
        """Reached, but strikes or withdrawals took the count below its threshold since:
        the tier stays reached (docs/initiatives.md), the page says so."""
        return self.row.reached_at is not None and self.count < self.row.threshold


def progress(initiative: Initiative) -> list[TierProgress]:
    rows = getattr(initiative, "tier_rows", None)
    if rows is None:
        rows = list(initiative.tiers.select_related("tier").order_by("position"))
    return [TierProgress(row, initiative.signature_count) for row in rows]


def _with_tiers(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    return initiatives.prefetch_related(
        Prefetch(
            "tiers", queryset=InitiativeTier.objects.select_related("tier").order_by("position"), to_attr="tier_rows"
        )
    )


def initiatives_for(component: Component, *, state: str = "", scope_id: int | None = None) -> QuerySet[Initiative]:
    """The published initiatives of a component (collecting first, then newest), filtered."""
    initiatives = Initiative.objects.filter(component=component).public().visible()
    if state in STATES:
        initiatives = initiatives.filter(state=state)
    if scope_id:
        initiatives = initiatives.filter(scope_id=scope_id)
    return _with_tiers(initiatives.select_related("type", "scope")).order_by("-published_at", "-id")


def mine(component: Component, user: User | AnonymousUser) -> list[Initiative]:
    """The person's initiatives not yet published (drafts, committee, submitted) and invitations."""
    if not user.is_authenticated:
        return []
    return list(
        Initiative.objects.filter(component=component)
        .exclude(state__in=Initiative.PUBLIC_STATES)
        .filter(Q(author=user) | Q(committee__user=user))
        .distinct()
        .select_related("type")
        .order_by("-created_at")
    )


def initiative_for(component: Component, user: User | AnonymousUser, initiative_id: int) -> Initiative | None:
    initiative = (
        Initiative.objects.filter(component=component, pk=initiative_id)
        .select_related("type", "scope", "author")
        .first()
    )
    if initiative is None:
        return None
    initiative.component = component
    if not can(user, "initiatives.view", initiative):
        return None
    return initiative


def signature_of(initiative: Initiative, user: User | AnonymousUser) -> Signature | None:
    if not user.is_authenticated:
        return None
    return Signature.objects.filter(initiative=initiative, user=user).first()


def public_signers(initiative: Initiative, limit: int = 200) -> list[str]:
    """The names of the signers who chose to appear (never anyone else's)."""
    return list(
        Signature.objects.filter(initiative=initiative, public=True, struck_at__isnull=True)
        .exclude(public_name="")
        .order_by("id")
        .values_list("public_name", flat=True)[:limit]
    )


def committee_of(initiative: Initiative) -> list[CommitteeMember]:
    return list(initiative.committee.select_related("user"))


def types_of(component: Component) -> list[InitiativeType]:
    return list(
        InitiativeType.objects.filter(component=component).prefetch_related(
            Prefetch("tiers", queryset=Tier.objects.prefetch_related("scope_thresholds__scope").order_by("position"))
        )
    )


def admin_initiatives(component: Component, state: str = "") -> QuerySet[Initiative]:
    rows = Initiative.objects.filter(component=component).exclude(state=Initiative.State.DRAFT)
    if state:
        rows = rows.filter(state=state)
    return rows.select_related("type", "author", "scope").order_by("-submitted_at", "-id")


def counts(initiative: Initiative) -> dict[str, int]:
    """What the count is made of, for the staff (and the integrity check)."""
    rows = Signature.objects.filter(initiative=initiative).aggregate(
        online=Count("id", filter=Q(channel=Signature.Channel.ONLINE, struck_at__isnull=True)),
        paper=Count("id", filter=Q(channel=Signature.Channel.PAPER, struck_at__isnull=True)),
        struck=Count("id", filter=Q(struck_at__isnull=False)),
    )
    sheets = PaperSheet.objects.filter(initiative=initiative).aggregate(total=Sum("count"))["total"] or 0
    return {**rows, "counted_sheets": sheets, "total": rows["online"] + rows["paper"] + sheets}


def public_initiatives(component: Component) -> list[Initiative]:
    """For exports, search and open data, which do not know who is asking."""
    if not component.is_public:
        return []
    initiatives = list(
        _with_tiers(Initiative.objects.filter(component=component).public().visible())
        .select_related("type", "scope")
        .order_by("pk")
    )
    for initiative in initiatives:
        initiative.component = component
    return initiatives


def public_initiative(component: Component, initiative_id: int) -> Initiative | None:
    """One initiative any visitor may read (a public state, not hidden by moderation)
    of a public component, with its type and scope; None otherwise (an embed card)."""
    if not component.is_public:
        return None
    initiative = (
        Initiative.objects.filter(component=component, pk=initiative_id)
        .public()
        .visible()
        .select_related("type", "scope")
        .first()
    )
    if initiative is not None:
        initiative.component = component
    return initiative
