"""An ordered list made only for the tests of agora.web.ordered_list: pages of
a pages component (a model with an order and services that log), two per
page of the list, and a service that refuses some changes."""

from django.core.exceptions import ValidationError
from django.urls import include, path

from agora.components.pages import services
from agora.components.pages.forms import PageForm
from agora.components.pages.models import Page
from agora.core.translations import translated
from agora.urls import urlpatterns as site
from agora.web.ordered_list import Column, Labels, OrderedList


def _fields(form):
    return {
        "title": form.translated_value("title"),
        "body": form.translated_value("body"),
        "slug": form.cleaned_data["slug"],
    }


class ThingList(OrderedList):
    namespace, id_kwarg, per_page = "things_admin", "thing_id", 2
    form_class = PageForm
    columns = (Column("Title", lambda page: translated(page.title)), Column("Address", lambda page: page.slug))
    labels = Labels(
        title="Things",
        new="New thing",
        caption="Things, in order",
        empty="No thing yet.",
        created="Thing created.",
        saved="Thing saved.",
        deleted="Thing deleted.",
        moved="Thing moved.",
    )

    def queryset(self, request):
        return Page.objects.filter(component=request.component).order_by("weight", "id")

    def form_kwargs(self, request, item):
        return {"organization": request.organization, "component": request.component}

    def create(self, request, form):
        if form.translated_value("title").get("fr") == "Refusé":
            raise ValidationError({"slug": "The service refuses this address.", "other": "Not a field of the form."})
        return services.create_page(actor=request.user, component=request.component, **_fields(form))

    def update(self, request, item, form):
        return services.update_page(actor=request.user, page=item, **_fields(form))

    def delete(self, request, item):
        if item.slug == "kept":
            raise ValidationError("This thing is kept.")
        services.delete_page(actor=request.user, page=item)

    def move(self, request, item, direction):
        services.move_page(actor=request.user, page=item, direction=direction)

    def title_of(self, item):
        return translated(item.title)


THINGS = ThingList()

urlpatterns = [
    path("admin/test/<int:space_id>/<int:component_id>/things/", include((THINGS.urls(), "things_admin"))),
    *site,
]
