from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.components.access import component_admin_view
from agora.components.news import selectors, services
from agora.components.news.forms import PostForm
from agora.components.news.models import Post


def _context(request, **extra):
    return {"space": request.space, "component": request.component, "bo_section": "spaces", **extra}


def _post_or_404(request, post_id) -> Post:
    post = selectors.admin_posts(request.component).filter(pk=post_id).first()
    if post is None:
        raise Http404
    post.component = request.component
    return post


def _back(request):
    return redirect("news_admin:index", space_id=request.space.pk, component_id=request.component.pk)


@component_admin_view
def post_list(request):
    posts = list(selectors.admin_posts(request.component))
    for post in posts:
        post.component = request.component
    return render(request, "news/admin/list.html", _context(request, posts=posts))


def _save(request, post=None):
    component = request.component
    posting = request.method == "POST"
    form = PostForm(
        request.POST if posting else None, request.FILES if posting else None,
        instance=post or Post(component=component), organization=request.organization,
    )
    if posting and form.is_valid():
        published_at = form.cleaned_data["published_at"]
        if "publish_now" in request.POST and (published_at is None or published_at > timezone.now()):
            published_at = timezone.now()
        fields = {
            "title": form.translated_value("title"),
            "body": form.translated_value("body"),
            "image_alt": form.translated_value("image_alt"),
            "official": form.cleaned_data["official"],
            "published_at": published_at,
            "image": form.image_change(),
        }
        try:
            if post is None:
                services.create_post(actor=request.user, component=component, **fields)
                messages.success(request, _("The post has been created."))
            else:
                services.update_post(actor=request.user, post=post, **fields)
                messages.success(request, _("The post has been saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _back(request)
    return render(request, "news/admin/form.html", _context(request, form=form, post=post))


@component_admin_view
def post_create(request):
    return _save(request)


@component_admin_view
def post_edit(request, post_id):
    return _save(request, _post_or_404(request, post_id))


@component_admin_view
def post_delete(request, post_id):
    post = _post_or_404(request, post_id)
    if request.method == "POST":
        services.delete_post(actor=request.user, post=post)
        messages.success(request, _("The post has been deleted."))
        return _back(request)
    return render(request, "news/admin/delete.html", _context(request, post=post))
