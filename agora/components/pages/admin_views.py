"""The back-office of a pages component: an ordered list (agora.web.ordered_list)."""

from django.utils.translation import gettext_lazy as _

from agora.components.pages import selectors, services
from agora.components.pages.forms import PageForm
from agora.core.translations import translated
from agora.web.ordered_list import Column, Labels, OrderedList


def _fields(form) -> dict:
    return {
        "title": form.translated_value("title"),
        "body": form.translated_value("body"),
        "slug": form.cleaned_data["slug"],
    }


class PageList(OrderedList):
    namespace, id_kwarg = "pages_admin", "page_id"
    form_class = PageForm
    error_field = "slug"  # the service refuses an address another page uses
    columns = (
        Column(_("Title"), lambda page: translated(page.title)),
        Column(_("Address"), template="pages/admin/_address.html"),
    )
    labels = Labels(
        title=_("Pages"),
        new=_("New page"),
        edit=_("Edit the page “%(title)s”"),
        delete=_("Delete the page “%(title)s”?"),
        delete_button=_("Delete the page"),
        delete_warning=_("The page will no longer be shown to the public. This cannot be undone."),
        caption=_("Pages, in the order they are shown"),
        empty=_("This component has no page yet."),
        created=_("The page has been created."),
        saved=_("The page has been saved."),
        deleted=_("The page has been deleted."),
        moved=_("The order of the pages has been saved."),
    )
    templates = {"list": "pages/admin/list.html"}

    def queryset(self, request):
        return selectors.pages_of(request.component)

    def form_kwargs(self, request, item):
        return {"organization": request.organization, "component": request.component}

    def create(self, request, form):
        return services.create_page(actor=request.user, component=request.component, **_fields(form))

    def update(self, request, item, form):
        return services.update_page(actor=request.user, page=item, **_fields(form))

    def delete(self, request, item):
        services.delete_page(actor=request.user, page=item)

    def move(self, request, item, direction):
        services.move_page(actor=request.user, page=item, direction=direction)

    def title_of(self, item):
        return translated(item.title)


PAGES = PageList()
