"""Every write of follows: permission, transaction, action log."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from agora.accounts.models import User
from agora.actionlog.services import log_action
from agora.core.models import Organization
from agora.follows.context import place_of
from agora.follows.models import Follow
from agora.permissions import require


def _organization(target: Model, organization: Organization | None) -> Organization | None:
    if organization is not None:
        return organization
    place = place_of(target)
    if place.organization_id is None:
        return None

    return Organization.objects.get(pk=place.organization_id)


def add_follow(*, user: User | AnonymousUser, target: Model | None) -> bool:
    """The write itself, without permission or log, for services of other
    apps whose own permission check covers it (an author follows what they
    create or comment). Returns True when a follow was created."""
    if not user.is_authenticated or target is None or target.pk is None:
        return False
    content_type = ContentType.objects.get_for_model(target)
    # One statement, no savepoint (it runs inside the caller's write, a registration or an idea
    # under load): a follow that exists, or that a concurrent request has just made, stays as it is.
    table = Follow._meta.db_table
    with connections[router.db_for_write(Follow)].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, content_type_id, object_id, created_at) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (user_id, content_type_id, object_id) DO NOTHING RETURNING id",
            [user.pk, content_type.pk, target.pk, timezone.now()],
        )
        return cursor.fetchone() is not None


@transaction.atomic
def follow(*, user: User, target: Model, organization: Organization | None = None) -> bool:
    """`user` follows `target` (a Space, a User or any followable object).
    `organization`: where it happens (required to follow a participant, whose
    account spans organizations). Returns True when newly followed."""
    organization = _organization(target, organization)
    require(user, "follows.follow", (target, organization))
    created = add_follow(user=user, target=target)
    if created and organization is not None:
        place = place_of(target)
        log_action(
            actor=user,
            verb="follows.followed",
            target=target,
            organization=organization,
            space=place.space,
            component=place.component,
        )
    return created


@transaction.atomic
def unfollow(*, user: User, target: Model, organization: Organization | None = None) -> bool:
    organization = _organization(target, organization)
    require(user, "follows.unfollow", (target, organization))
    deleted, _rows = Follow.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).delete()
    if deleted and organization is not None:
        place = place_of(target)
        log_action(
            actor=user,
            verb="follows.unfollowed",
            target=target,
            organization=organization,
            space=place.space,
            component=place.component,
        )
    return bool(deleted)
