"""Comments are machine-translated like the resources they discuss
(agora.core.machine_translation): the public ones, in published components of
public spaces, not deleted, not hidden by moderation."""

from agora.comments.models import Comment
from agora.core.machine_translation import Translatable
from agora.spaces.models import Space


def public_comments(organization):
    return (
        Comment.objects.filter(
            organization=organization,
            deleted_at__isnull=True,
            component__published_at__isnull=False,
            space__in=Space.objects.readable_by_anyone(),
        )
        .visible()
        .only("pk", "body")
    )


COMMENTS = Translatable(model="comments.Comment", fields=("body",), rows=public_comments)
