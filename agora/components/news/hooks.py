"""Hooks of the news manifest: home block, statistics, export, search, demo seed,
and how the comments layer sees a post."""

from django import forms
from django.db.models import Count
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from agora.comments.registry import Commentable
from agora.components.news import seeds, selectors
from agora.components.news.models import Post
from agora.core.home import BlockSettings
from agora.core.translations import translated
from agora.permissions import can


class PostComments(Commentable):
    """Comments on a post: staff see (and comment) a post before it is published."""

    def is_visible(self, user, post):
        return post.is_published or bool(can(user, "component.manage", post.component))


class LatestNewsSettings(BlockSettings):
    translated = {"title": {"label": _("Title"), "max_length": 200, "help_text": _("Empty: “Latest news”.")}}

    def fields(self, organization):
        return {
            "count": forms.IntegerField(
                label=_("Number of posts"),
                min_value=1,
                max_value=12,
                initial=3,
                required=False,
                help_text=_("Empty: 3."),
            )
        }


def home_block(request, block, lead) -> str:
    """The latest posts of the organization's public news (the "news.latest" block of the home page)."""
    organization = getattr(request, "organization", None)
    if organization is None:
        return ""
    posts = selectors.latest_public_posts(organization, limit=block.settings.get("count") or 3)
    if not posts:
        return ""
    return render_to_string(
        "news/_home_block.html",
        {"posts": posts, "block": block, "title": translated(block.settings.get("title"))},
        request=request,
    )


def stats(component):
    return stats_many([component])[component.pk]


def stats_many(components):
    """The figures of many news components, in one query."""
    ids = [component.pk for component in components]
    published = dict(
        Post.objects.published()
        .filter(component_id__in=ids)
        .order_by()
        .values_list("component_id")
        .annotate(n=Count("id"))
        .values_list("component_id", "n")
    )
    return {pk: [(_("Published posts"), published.get(pk, 0))] for pk in ids}


def export_json(component):
    organization = component.space.organization
    data = {
        "component": {"id": component.pk, "name": component.name, "url": component.get_absolute_url()},
        "posts": [
            {
                "id": post.pk,
                "title": post.title,
                "body": post.body,
                "signed_by": post.signature(organization),
                "published_at": post.published_at.isoformat(),
                "image_url": post.image.url if post.image else None,
                "image_alt": post.image_alt,
                "url": post.get_absolute_url(),
            }
            for post in selectors.public_posts(component)
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="news-{component.pk}.json"'
    return response


def open_data_posts(component):
    """The published posts of a public component (the manifest's open-data table "news")."""
    organization = component.space.organization
    for post in selectors.public_posts(component):
        yield {
            "id": post.pk,
            "title": dict(post.title or {}),
            "body": dict(post.body or {}),
            "signed_by": post.signature(organization),
            "published_at": post.published_at.isoformat(),
            "image_url": post.image.url if post.image else None,
            "image_alt": dict(post.image_alt or {}),
            "url": post.get_absolute_url(),
        }


def search(component):
    return [
        (translated(post.title), strip_tags(translated(post.body)), post.get_absolute_url())
        for post in selectors.public_posts(component)
    ]


def seed(component):
    seeds.seed(component)
