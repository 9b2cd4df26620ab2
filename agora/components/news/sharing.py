"""Sharing news posts: the page's metadata, the embeddable card, the feeds."""

from django.utils.translation import gettext as _

from agora.components.news import selectors
from agora.components.registry import EmbedCard
from agora.core import formats
from agora.core.translations import translated
from agora.web import sharing


def share(request, post) -> dict:
    if not post.is_published:
        return {}  # a preview of the staff
    return sharing.share_context(
        request,
        title=translated(post.title),
        description=translated(post.body),
        picture=post.picture(wanted=1200) if post.image else None,
        url=post.get_absolute_url(),
        embed_url=f"{post.get_absolute_url()}embed/",
    )


def embed_card(request, resource_id):
    if resource_id is None:
        return None
    post = selectors.post_for(request.component, request.user, resource_id)
    if post is None or not post.is_published:
        return None
    return EmbedCard(
        title=translated(post.title),
        url=post.get_absolute_url(),
        meta=f"{request.organization.name} · {formats.long_date(post.published_at)}",
        summary=sharing.plain_description(translated(post.body), 600),
        picture=post.picture(wanted=640) if post.image else None,
        more=_("Read it on the site of %(name)s") % {"name": request.organization.name},
    )
