"""Reads of the follow-up component."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import JSONField, Model, OuterRef, Prefetch, QuerySet, Subquery

from agora import permissions
from agora.accounts.models import User
from agora.components.accountability import links
from agora.components.accountability.models import Milestone, MilestonePhoto, Result, Status
from agora.components.budgets import api as budgets_api
from agora.components.models import Component
from agora.components.proposals import api as proposals_api
from agora.core import pagecache
from agora.core.models import Organization
from agora.core.translations import translated


def statuses(component: Component) -> list[Status]:
    return list(Status.objects.filter(component=component))


def _base(component: Component) -> QuerySet[Result]:
    return Result.objects.filter(component=component).select_related("status", "category", "scope")


def _with_cover(queryset: QuerySet[Result]) -> QuerySet[Result]:
    """Each result with the first photo of its milestones (by date, then the
    photos' order) for its card: cover_image, cover_alt, cover_variants,
    read in the same query."""
    first = MilestonePhoto.objects.filter(milestone__result=OuterRef("pk")).order_by(
        "milestone__date", "milestone__id", "weight", "id"
    )
    return queryset.annotate(
        cover_image=Subquery(first.values("image")[:1]),
        cover_alt=Subquery(first.values("alt")[:1], output_field=JSONField()),
        cover_variants=Subquery(first.values("variants")[:1], output_field=JSONField()),
    )


def results(component: Component) -> list[Result]:
    """Every result of the component with what the lists show, one query per relation."""
    items = list(_with_cover(_base(component)).prefetch_related("proposals"))
    for item in items:
        item.component = component
    links.mark_sources(items)
    return items


def top_level_results(component: Component) -> list[Result]:
    items = [item for item in results(component) if item.parent_id is None]
    return items


def tree(component: Component) -> list[tuple[Result, int]]:
    """[(result, depth)] in reading order: each parent followed by its sub-results
    (each result gets `depth` and `child_count` for the template)."""
    items = results(component)
    children: dict[int | None, list[Result]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    ordered: list[tuple[Result, int]] = []
    stack = [(item, 0) for item in reversed(children.get(None, []))]
    while stack:
        item, depth = stack.pop()
        setattr(item, "depth", depth)
        setattr(item, "child_count", len(children.get(item.pk, [])))
        ordered.append((item, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(item.pk, [])))
    return ordered


def result_for(component: Component, result_id: int) -> Result | None:
    """One result with its milestones (and their photos), sub-results,
    linked ideas and projects, for its page."""
    photos = Prefetch("photos", queryset=MilestonePhoto.objects.order_by("weight", "id"))
    prefetch: list[str | Prefetch] = [
        Prefetch("milestones", queryset=Milestone.objects.order_by("date", "id").prefetch_related(photos)),
        Prefetch(
            "children",
            queryset=_with_cover(Result.objects.select_related("status", "category").order_by("weight", "id")),
        ),
        Prefetch("proposals", queryset=_public_ideas()),
        "projects",
    ]
    result = _base(component).select_related("parent").prefetch_related(*prefetch).filter(pk=result_id).first()
    if result is not None:
        result.component = component
        for child in result.children.all():
            child.component = component
        if result.parent is not None:
            result.parent.component = component
        links.mark_sources([result, *result.children.all()])
    return result


def _public_ideas() -> QuerySet:
    return proposals_api.public_ideas()


def visible_ideas(result: Result, user: User | AnonymousUser) -> list[proposals_api.Proposal]:
    """The linked ideas the person may open (their component is visible)."""
    return [idea for idea in result.proposals.all() if permissions.can(user, "component.view", idea.component)]


def visible_projects(result: Result, user: User | AnonymousUser) -> list[budgets_api.Project]:
    return [project for project in result.projects.all() if permissions.can(user, "component.view", project.component)]


def mean(values: Iterable[Decimal]) -> Decimal:
    values = list(values)
    if not values:
        return Decimal("0")
    return (sum(values, Decimal("0")) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Group:
    """Results sharing a category or a district, with their mean progress."""

    label: str
    key: str
    results: list = field(default_factory=list)

    @property
    def progress(self) -> Decimal:
        return mean(result.progress for result in self.results)

    @property
    def progress_percent(self) -> int:
        return int(self.progress.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def overview(component: Component, group_by: str = "category") -> tuple[Group, list[Group], dict[Status, int]]:
    """Overall progress of the edition (mean of the top-level results) and
    the top-level results grouped by category or by district ("scope")."""
    items = top_level_results(component)
    overall = Group(label="", key="all", results=items)
    groups: dict = {}
    for item in items:
        related = item.category if group_by == "category" else item.scope
        key = str(related.pk) if related is not None else "none"
        if key not in groups:
            groups[key] = Group(label=translated(related.name) if related is not None else "", key=key)
        groups[key].results.append(item)
    ordered = sorted(groups.values(), key=lambda group: (group.key == "none", group.label.lower()))
    status_counts: dict = {}
    for item in items:
        status_counts[item.status] = status_counts.get(item.status, 0) + 1
    return overall, ordered, status_counts


def map_points(items: Iterable[Result]) -> list[dict]:
    """What the map script needs (escaped by json_script in the page)."""
    return [
        {
            "title": translated(item.title),
            "url": item.get_absolute_url(),
            "lat": float(item.latitude),  # type: ignore[arg-type]  # has_location
            "lng": float(item.longitude),  # type: ignore[arg-type]  # has_location
            "progress": item.progress_percent,
            "status": str(item.status) if item.status else "",
        }
        for item in items
        if item.has_location
    ]


def results_from(obj: Model, user: User | AnonymousUser | None = None) -> list[Result]:
    """The results that come from an idea or a budget project and that the
    person may see (their follow-up component is visible), for "what
    became of it" on the idea's or project's page."""
    source = links.source_filter(obj)
    if source is None:
        return []

    def load() -> list[Result]:
        found = list(
            Result.objects.filter(**source)
            .select_related("status", "component__space__organization")
            .order_by("component_id", "weight", "id")
        )
        links.mark_sources(found)
        return found

    # Kept per process for the settings version (results, their links and the
    # budgets' published counts are content): the pages only read them.
    items = pagecache.memo(("results_from", obj._meta.label_lower, obj.pk), load)
    visible: dict[int, bool] = {}
    for item in items:
        if item.component_id not in visible:
            if user is None:
                visible[item.component_id] = item.component.is_public
            else:
                visible[item.component_id] = bool(permissions.can(user, "component.view", item.component))
    return [item for item in items if visible[item.component_id]]


def public_results(component: Component) -> list[Result]:
    """Results, only when the component is public: for exports and search."""
    if not component.is_public:
        return []
    return results(component)


def public_milestones_of(component_ids: Iterable[int]) -> QuerySet[Milestone]:
    """The milestones of the results of these components (public ones, chosen by
    the caller: agora.api.kit.public_components), as the results' pages show them."""
    return Milestone.objects.filter(result__component__in=list(component_ids)).select_related("result")


def result_to_manage(organization: Organization, result_id: int) -> Result | None:
    """A result of the organization's follow-up, published or not (the services check who may change it)."""
    return (
        Result.objects.filter(component__space__organization=organization, pk=result_id)
        .select_related("component__space__organization", "status")
        .first()
    )


def milestone_to_manage(organization: Organization, milestone_id: int) -> Milestone | None:
    return (
        Milestone.objects.filter(result__component__space__organization=organization, pk=milestone_id)
        .select_related("result__component__space__organization")
        .first()
    )


def public_milestones(component: Component) -> list[Milestone]:
    """The milestones of a public component's results (nothing of one that is not
    public): what the worker machine-translates."""
    if not component.is_public:
        return []
    return list(public_milestones_of([component.pk]).order_by("pk"))
