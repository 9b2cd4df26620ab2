"""The back-office of a news component: the posts, newest first, as an
ordered list (agora.web.ordered_list) without moves."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.components.news import selectors, services
from agora.components.news.forms import PostForm
from agora.core.translations import translated
from agora.web.ordered_list import Column, Labels, OrderedList


def _fields(request, form) -> dict:
    published_at = form.cleaned_data["published_at"]
    if "publish_now" in request.POST and (published_at is None or published_at > timezone.now()):
        published_at = timezone.now()
    return {
        "title": form.translated_value("title"),
        "body": form.translated_value("body"),
        "image_alt": form.translated_value("image_alt"),
        "official": form.cleaned_data["official"],
        "published_at": published_at,
        "image": form.image_change(),
    }


class PostList(OrderedList):
    namespace, id_kwarg = "news_admin", "post_id"
    names = {"list": "index", "create": "create", "edit": "edit", "delete": "delete"}
    form_class = PostForm
    columns = (
        Column(_("Title"), lambda post: translated(post.title)),
        Column(_("Status"), template="news/admin/_status.html"),
        Column(_("Signed by"), template="news/admin/_signature.html"),
    )
    labels = Labels(
        title=_("News"),
        new=_("New post"),
        edit=_("Edit the post “%(title)s”"),
        delete=_("Delete the post “%(title)s”?"),
        delete_button=_("Delete the post"),
        delete_warning=_("The post and its image will be removed. This cannot be undone."),
        caption=_("Posts, newest first"),
        empty=_("This component has no post yet."),
        created=_("The post has been created."),
        saved=_("The post has been saved."),
        deleted=_("The post has been deleted."),
    )
    templates = {"list": "news/admin/list.html", "form": "news/admin/form.html"}

    def queryset(self, request):
        return selectors.admin_posts(request.component)

    def create(self, request, form):
        return services.create_post(actor=request.user, component=request.component, **_fields(request, form))

    def update(self, request, item, form):
        return services.update_post(actor=request.user, post=item, **_fields(request, form))

    def delete(self, request, item):
        services.delete_post(actor=request.user, post=item)

    def title_of(self, item):
        return translated(item.title)


POSTS = PostList()
