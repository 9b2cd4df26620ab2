"""Reads of follows."""

from typing import Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, QuerySet

from agora.accounts.models import User
from agora.follows.models import Follow

_M = TypeVar("_M", bound=Model)


def _filter(target: Model) -> dict[str, Any]:
    return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}


def is_following(user: User | AnonymousUser, target: Model | None) -> bool:
    if not getattr(user, "is_authenticated", False) or target is None:
        return False
    return Follow.objects.filter(user=cast(User, user), **_filter(target)).exists()


def with_following(queryset: QuerySet[_M], user: User | AnonymousUser, name: str = "visitor_follows") -> QuerySet[_M]:
    """Annotate `visitor_follows` (whether `user`, logged in, follows each row;
    an EXISTS): the follow button of a page that read its target so asks no query."""
    if not getattr(user, "is_authenticated", False):
        return queryset
    follows = Follow.objects.filter(
        user=cast(User, user), content_type=ContentType.objects.get_for_model(queryset.model), object_id=OuterRef("pk")
    )
    return queryset.annotate(**{name: Exists(follows)})


def follower_ids(target: Model | None) -> set[int]:
    """Ids of the people who follow `target` (active accounts only)."""
    if target is None:
        return set()
    return set(
        Follow.objects.filter(**_filter(target), user__is_active=True, user__deleted_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
