"""Demo data for any commentable resource, called by the components' demo
seeds (their manifest's `seed`): `seed_discussion` (a few comments, an
official answer and votes, written by the organization's participants) and
`seed_thread` (given entries: the budget projects and follow-up results of the
2025 edition). The comments layer never names a component: the news seed
starts a discussion on its latest post."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from agora.accounts.models import User
from agora.comments.models import Comment, CommentVote
from agora.comments.registry import adapter_of
from agora.follows.services import add_follow
from agora.spaces.models import Role

THREAD = (
    ("Très bonne nouvelle, merci pour l'information !", None),
    (
        "Est-ce que les travaux gêneront la circulation rue des Écoles ?",
        "Oui, une déviation sera en place pendant deux semaines ; le plan est affiché en mairie.",
    ),
    ("Pensez aussi aux vélos, s'il vous plaît.", None),
)


@transaction.atomic
def seed_discussion(target, *, turn: int = 0) -> int:
    """THREAD on a registered commentable `target`, made directly (no
    permission check, no notification, like the components' seeds): the
    organization's participants comment (starting with the `turn`-th, so two
    resources are not discussed by the same people), staff answer officially,
    the others vote. Nothing when the target has comments or the organization
    fewer than two participants. Returns the number of comments made."""

    component = adapter_of(target).component(target)
    organization = component.space.organization
    # Participants comment; staff only answer (officially).
    people = list(
        User.objects.filter(
            memberships__organization=organization, is_active=True, deleted_at__isnull=True, is_superuser=False
        )
        .exclude(roles__organization=organization)
        .order_by("pk")[:6]
    )
    if len(people) < 2:
        return 0
    staff = User.objects.filter(roles__organization=organization, roles__name="org_admin").first() or people[0]
    common = dict(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        organization=organization,
        space=component.space,
        component=component,
    )
    if Comment.objects.filter(content_type=common["content_type"], object_id=target.pk).exists():
        return 0
    made = 0
    for n, (text, answer) in enumerate(THREAD):
        author = people[(turn + n) % len(people)]
        top = Comment.objects.create(author=author, body=text, **common)
        Comment.objects.filter(pk=top.pk).update(root_id=top.pk)
        add_follow(user=author, target=target)
        made += 1
        if answer:
            Comment.objects.create(
                author=staff,
                body=answer,
                parent=top,
                root_id=top.pk,
                depth=1,
                official=staff != author and Role.objects.filter(user=staff).exists(),
                **common,
            )
            made += 1
        voters = [p for p in people if p != author][:3]
        for voter in voters:
            CommentVote.objects.create(comment=top, user=voter, value=1)
        Comment.objects.filter(pk=top.pk).update(up_count=len(voters))
    return made


def seed_thread(target, entries, *, staff=None) -> int:
    """`entries`: (author, text, official answer or None); comments made
    directly, like `seed_discussion`, on a registered commentable `target`.
    The authors follow the target, as they would by commenting. Returns the
    number of comments made."""
    component = adapter_of(target).component(target)
    common = dict(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        organization=component.space.organization,
        space=component.space,
        component=component,
    )
    if Comment.objects.filter(content_type=common["content_type"], object_id=target.pk).exists():
        return 0
    made = 0
    with transaction.atomic():
        for author, text, answer in entries:
            top = Comment.objects.create(author=author, body=text, **common)
            Comment.objects.filter(pk=top.pk).update(root_id=top.pk)
            add_follow(user=author, target=target)
            made += 1
            if answer and staff is not None:
                Comment.objects.create(
                    author=staff,
                    body=answer,
                    parent=top,
                    root_id=top.pk,
                    depth=1,
                    official=Role.objects.filter(user=staff).exists(),
                    **common,
                )
                made += 1
    return made
