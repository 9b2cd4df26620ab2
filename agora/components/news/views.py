from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from agora.components.access import component_context, component_view
from agora.components.news import selectors


def _posts_per_page(component) -> int:
    setting = next(s for s in component.manifest.settings if s.name == "posts_per_page")
    try:
        return setting.clean(component.setting("posts_per_page"))
    except ValidationError:
        return setting.default


@component_view
def index(request):
    posts = selectors.posts_for(request.component, request.user)
    page = Paginator(posts, _posts_per_page(request.component)).get_page(request.GET.get("page"))
    for post in page.object_list:
        post.component = request.component
    return render(request, "news/index.html", component_context(request, page_obj=page, posts=page.object_list))


@component_view
def detail(request, post_id):
    post = selectors.post_for(request.component, request.user, post_id)
    if post is None:
        raise Http404
    return render(request, "news/detail.html", component_context(request, post=post))
