"""Reads of follows."""

from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from agora.accounts.models import User
from agora.follows.models import Follow


def _filter(target: Model) -> dict[str, Any]:
    return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}


def is_following(user: User | AnonymousUser, target: Model | None) -> bool:
    if not getattr(user, "is_authenticated", False) or target is None:
        return False
    return Follow.objects.filter(user=cast(User, user), **_filter(target)).exists()


def follower_ids(target: Model | None) -> set[int]:
    """Ids of the people who follow `target` (active accounts only)."""
    if target is None:
        return set()
    return set(
        Follow.objects.filter(**_filter(target), user__is_active=True, user__deleted_at__isnull=True)
        .values_list("user_id", flat=True)
    )
