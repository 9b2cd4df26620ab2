"""Reads of moderation: what is hidden, the queues."""

from collections.abc import Iterable
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, Model, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import ngettext

from agora import permissions
from agora.accounts.models import Membership, User
from agora.core.attention import Item
from agora.core.models import Organization
from agora.core.translations import translated
from agora.moderation.models import Moderation, ModerationSettings, Report
from agora.spaces.models import Role, Space

_M = TypeVar("_M", bound=Model)

# --- hidden content: the one condition every read of reportable content uses ------------------
# Reportable models get these as queryset methods through
# agora.moderation.querysets.ModeratedQuerySet (`Idea.objects.visible()`).


def hidden_condition(model: type[Model]) -> Exists:
    """True for the rows of `model` that moderation hid (a correlated
    subquery on the unique (content type, object id) index)."""
    return Exists(
        Moderation.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            hidden_at__isnull=False,
        )
    )


def visible(queryset: QuerySet[_M]) -> QuerySet[_M]:
    """`queryset` without the content moderation hid: what every public read
    (pages, lists, map, search, exports, embeds, feeds) shows."""
    return queryset.filter(~hidden_condition(queryset.model))


def with_hidden_flag(queryset: QuerySet[_M], name: str = "is_hidden") -> QuerySet[_M]:
    """`queryset` with a boolean `is_hidden` on each row, for the reads that
    keep the place of hidden content (a thread, an idea's page, staff exports)."""
    return queryset.annotate(**{name: hidden_condition(queryset.model)})


def without_hidden_targets(
    queryset: QuerySet[_M], *, type_field: str = "target_type", id_field: str = "target_id"
) -> QuerySet[_M]:
    """Rows that point at content by content type and id as text (the action
    log behind profiles, notifications) minus those whose content is hidden."""
    hidden = (
        Moderation.objects.filter(content_type=OuterRef(type_field), hidden_at__isnull=False)
        .annotate(object_key=Cast("object_id", CharField()))
        .filter(object_key=OuterRef(id_field))
    )
    return queryset.filter(~Exists(hidden))


def hidden_ids(model_class: type[Model], ids: Iterable[int | None]) -> set[int]:
    """Ids among `ids` of `model_class` that moderation hid (one query)."""
    known = [pk for pk in ids if pk is not None]
    if not known:
        return set()
    content_type = ContentType.objects.get_for_model(model_class)
    return set(
        Moderation.objects.filter(content_type=content_type, object_id__in=known, hidden_at__isnull=False).values_list(
            "object_id", flat=True
        )
    )


def is_hidden(obj: Model) -> bool:
    return bool(hidden_ids(type(obj), [obj.pk]))


def has_reported(user: User | AnonymousUser, obj: Model) -> bool:
    if not user.is_authenticated:
        return False
    content_type = ContentType.objects.get_for_model(type(obj))
    return Report.objects.filter(
        reporter=user, moderation__content_type=content_type, moderation__object_id=obj.pk
    ).exists()


def settings_of(organization: Organization) -> ModerationSettings:
    """The organization's settings (defaults when never saved; not created)."""
    found = ModerationSettings.objects.filter(organization=organization).first()
    return found or ModerationSettings(organization=organization)


STATUSES = ("pending", "hidden", "all")


def queue(organization: Organization, *, space: Space | None = None, status: str = "pending") -> QuerySet[Moderation]:
    """Moderation items of the organization (or of one space), newest
    activity first: "pending" = visible with reports waiting for a decision,
    "hidden", or "all"."""
    items = Moderation.objects.filter(organization=organization).select_related(
        "space", "author", "content_type", "reviewed_by"
    )
    if space is not None:
        items = items.filter(space=space)
    if status == "pending":
        items = items.filter(hidden_at__isnull=True, pending_count__gt=0)
    elif status == "hidden":
        items = items.filter(hidden_at__isnull=False)
    return items.order_by("-updated_at", "-id")


def reports_of(moderation: Moderation) -> QuerySet[Report]:
    return moderation.reports.select_related("reporter").order_by("-created_at", "-id")


def blocked_memberships(organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization, blocked_at__isnull=False)
        .select_related("user")
        .order_by("-blocked_at")
    )


def attention_items(user: User, organization: Organization) -> list[Item]:
    """Moderation's cards on the back-office dashboard (agora.core.attention):
    the contributions with reports waiting for a decision (the queue's "pending" tab),
    for the whole organization to its admins, space by space to the moderators
    and administrators of those spaces. One query."""
    pending = Moderation.objects.filter(organization=organization, hidden_at__isnull=True, pending_count__gt=0)
    if permissions.can(user, "moderation.organization", organization):
        count = pending.count()
        return [
            Item(
                ngettext("reported contribution to review", "reported contributions to review", count),
                count,
                reverse("moderation_admin:queue"),
                icon="flag",
            )
        ]
    space_ids = {
        space_id
        for name, space_id in permissions.roles_in(user, organization)
        if space_id is not None and name in (Role.Name.MODERATOR, Role.Name.SPACE_ADMIN)
    }
    if not space_ids:
        return []
    rows = pending.filter(space_id__in=space_ids).values("space_id", "space__title").annotate(count=Count("id"))
    return [
        Item(
            ngettext("reported contribution to review", "reported contributions to review", row["count"]),
            row["count"],
            reverse("moderation_admin:space_queue", args=[row["space_id"]]),
            translated(row["space__title"]),
            "flag",
        )
        for row in rows.order_by("space_id")
    ]
