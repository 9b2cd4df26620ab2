from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from agora.components import feeds
from agora.components.access import component_context, component_view
from agora.components.news import selectors, sharing
from agora.core import machine_translation


@component_view
def index(request):
    posts = selectors.posts_for(request.component, request.user)
    page = Paginator(posts, request.component.settings_of().posts_per_page).get_page(request.GET.get("page"))
    for post in page.object_list:
        post.component = request.component
    return render(
        request,
        "news/index.html",
        component_context(request, page_obj=page, posts=page.object_list, **feeds.links(request.component, "news")),
    )


@component_view
def detail(request, post_id):
    post = selectors.post_for(request.component, request.user, post_id)
    if post is None:
        raise Http404
    translated = machine_translation.show(request, [post], ("title", "body")) if post.is_published else {}
    context = component_context(request, post=post, **translated, **sharing.share(request, post))
    return render(request, "news/detail.html", context)
