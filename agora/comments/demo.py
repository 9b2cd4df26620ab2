"""Demo data: a few comments, a reply, an official answer and votes on the
demo city's news posts (`seed_demo`), and a thread on any commentable
resource (`seed_thread`: the budget projects and follow-up results of the
2025 edition). Called by the demo loader (agora/demo/)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from agora.comments.models import Comment, CommentVote
from agora.follows.services import add_follow

THREAD = (
    ("Très bonne nouvelle, merci pour l'information !", None),
    ("Est-ce que les travaux gêneront la circulation rue des Écoles ?", "Oui, une déviation sera en place "
     "pendant deux semaines ; le plan est affiché en mairie."),
    ("Pensez aussi aux vélos, s'il vous plaît.", None),
)


@transaction.atomic
def seed_demo(organization) -> int:
    """Adds the comments directly (no permission check, no notification,
    like the components' seeds). Returns the number of comments made."""
    from agora.accounts.models import User
    from agora.components.news.models import Post
    from agora.spaces.models import Role

    # Participants comment; staff only answer (officially).
    people = list(User.objects.filter(memberships__organization=organization, is_active=True,
                                      deleted_at__isnull=True, is_superuser=False)
                  .exclude(roles__organization=organization).order_by("pk")[:6])
    if len(people) < 2:
        return 0
    staff = (User.objects.filter(roles__organization=organization, roles__name="org_admin").first()
             or people[0])
    posts = list(Post.objects.published().filter(component__space__organization=organization)
                 .select_related("component__space")[:3])
    ct = ContentType.objects.get_for_model(Post)
    made = 0
    for index, post in enumerate(posts):
        if Comment.objects.filter(content_type=ct, object_id=post.pk).exists():
            continue
        common = dict(content_type=ct, object_id=post.pk, organization=organization,
                      space=post.component.space, component=post.component)
        for n, (text, answer) in enumerate(THREAD):
            author = people[(index + n) % len(people)]
            top = Comment.objects.create(author=author, body=text, **common)
            Comment.objects.filter(pk=top.pk).update(root_id=top.pk)
            add_follow(user=author, target=post)
            made += 1
            if answer:
                Comment.objects.create(author=staff, body=answer, parent=top, root_id=top.pk, depth=1,
                                       official=staff != author and Role.objects.filter(user=staff).exists(),
                                       **common)
                made += 1
            voters = [p for p in people if p != author][:3]
            for voter in voters:
                CommentVote.objects.create(comment=top, user=voter, value=1)
            Comment.objects.filter(pk=top.pk).update(up_count=len(voters))
    return made


def seed_thread(target, entries, *, staff=None) -> int:
    """`entries`: (author, text, official answer or None); comments made
    directly, like `seed_demo`, on a registered commentable `target`. The
    authors follow the target, as they would by commenting. Returns the
    number of comments made."""
    from agora.comments.registry import adapter_for
    from agora.spaces.models import Role

    component = adapter_for(target).component(target)
    common = dict(content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
                  organization=component.space.organization, space=component.space, component=component)
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
                Comment.objects.create(author=staff, body=answer, parent=top, root_id=top.pk, depth=1,
                                       official=Role.objects.filter(user=staff).exists(), **common)
                made += 1
    return made
