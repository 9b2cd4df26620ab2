"""Reads of follows."""

from django.contrib.contenttypes.models import ContentType

from agora.follows.models import Follow


def _filter(target):
    return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}


def is_following(user, target) -> bool:
    if not getattr(user, "is_authenticated", False) or target is None:
        return False
    return Follow.objects.filter(user=user, **_filter(target)).exists()


def follower_ids(target) -> set[int]:
    """Ids of the people who follow `target` (active accounts only)."""
    if target is None:
        return set()
    return set(
        Follow.objects.filter(**_filter(target), user__is_active=True, user__deleted_at__isnull=True)
        .values_list("user_id", flat=True)
    )


def follower_count(target) -> int:
    return Follow.objects.filter(**_filter(target), user__is_active=True).count()


def followed_ids(user, model) -> set[int]:
    """Ids of the objects of `model` the person follows (for lists: one query)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    content_type = ContentType.objects.get_for_model(model)
    return set(Follow.objects.filter(user=user, content_type=content_type).values_list("object_id", flat=True))
