"""The back-office "ordered list": list (paginated when long), create, edit,
delete (confirmation page, POST) and move up or down (POST, buttons) of one
kind of item, declared once per use by a small class:

    class PageList(OrderedList):
        namespace, id_kwarg = "pages_admin", "page_id"
        form_class = PageForm
        columns = (Column(_("Title"), lambda page: page.title), ...)
        labels = Labels(title=_("Pages"), new=_("New page"), ...)

        def queryset(self, request):
            return selectors.pages_of(request.component)

        def create(self, request, form):
            return services.create_page(actor=request.user, component=request.component, **fields(form))
        ...

    urlpatterns = PageList().urls()

Every screen goes through `backoffice_view` (the use's `action` and `target`,
"component.manage" about the URL's component by default) and every change
through the app's services, so the permission checks and the action log are
the app's own. What a service refuses (`ValidationError`) re-renders the form
with the error summary; a `PermissionDenied` is the refusal page.

The URLs, for a `prefix` ("" or "criteria/"), are `<prefix>`, `<prefix>new/`,
`<prefix><id>/`, `<prefix><id>/delete/` and `<prefix><id>/move/`; `names`
gives their URL names in the use's namespace (None leaves an action out).
A use's templates extend `web/ordered_list/list.html`, `form.html` and
`delete.html` to add what is its own (an introduction, tabs, buttons)."""

from dataclasses import dataclass, field
from typing import Any, Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from agora import permissions
from agora.web.access import backoffice_view, refuse
from agora.web.views import add_error, paginate

ACTIONS = ("list", "create", "edit", "delete", "move")


@dataclass(frozen=True)
class Column:
    """A column of the list. `value(item)` gives the text of the cell (escaped
    like any text); `template` renders a cell that needs markup (a badge, a
    code), with `item` in its context. The first column heads its row."""

    label: Any
    value: Callable[[Any], Any] | None = None
    template: str | None = None


@dataclass(frozen=True)
class Labels:
    """The words of one use. `%(title)s` is the item's name."""

    title: Any  # the list's heading
    new: Any  # the create button and page
    edit: Any = _("Edit “%(title)s”")
    delete: Any = _("Delete “%(title)s”?")
    delete_button: Any = _("Delete")
    delete_warning: Any = _("This cannot be undone.")
    caption: Any = ""  # the table's (hidden) caption: what the order means
    empty: Any = _("Nothing here yet.")
    created: Any = _("Saved.")
    saved: Any = _("Saved.")
    deleted: Any = _("Deleted.")
    moved: Any = _("The order has been saved.")


@dataclass
class Row:
    item: Any
    cells: list = field(default_factory=list)
    first: bool = False  # first of the whole list (not only of the page)
    last: bool = False


class OrderedList:
    namespace: str = ""
    names: dict = {"list": "index", "create": "create", "edit": "edit", "delete": "delete", "move": "move"}
    prefix: str = ""
    id_kwarg: str = "item_id"
    # Who: the back-office action asked about the target the URL names.
    action: str = "component.manage"
    target: str = "component"
    form_class: type[forms.ModelForm]
    columns: tuple = ()
    labels: Labels
    per_page: int = 50
    templates: dict = {}  # per action: a template extending web/ordered_list/<action>.html
    # A service's ValidationError without a field goes on this field (None: above the form).
    error_field: str | None = None
    invalid_status: int = 200  # the answer's status when a form or a deletion is refused
    bo_section: str = "spaces"

    # --- what a use declares ------------------------------------------------------------

    def queryset(self, request):
        raise NotImplementedError

    def form_kwargs(self, request, item) -> dict:
        return {"organization": request.organization}

    def create(self, request, form):
        raise NotImplementedError

    def update(self, request, item, form):
        raise NotImplementedError

    def delete(self, request, item):
        raise NotImplementedError

    def move(self, request, item, direction: str):
        raise NotImplementedError

    def context(self, request, **extra) -> dict:
        """What every page of the list shows besides the list (a use adds its own)."""
        return extra

    def prepare(self, request, items: list) -> None:
        """Called with the items a page shows: a use may annotate them."""

    def title_of(self, item) -> str:
        return str(item)

    # --- the machinery ------------------------------------------------------------------

    def has(self, action: str) -> bool:
        return bool(self.names.get(action))

    def url(self, request, action: str, item=None, **extra) -> str:
        kwargs = {name: value for name, value in request.resolver_match.kwargs.items() if name != self.id_kwarg}
        if item is not None:
            kwargs[self.id_kwarg] = item.pk
        return reverse(f"{self.namespace}:{self.names[action]}", kwargs={**kwargs, **extra})

    def item_or_404(self, request, item_id):
        item = self.queryset(request).filter(pk=item_id).first()
        if item is None:
            raise Http404
        self._attach(request, item)
        return item

    def _attach(self, request, item) -> None:
        # The component the URL named is already loaded: the item's pages need not read it again.
        component = getattr(request, "component", None)
        if component is not None and getattr(item, "component_id", None) == component.pk:
            item.component = component

    def _render(self, request, action: str, status=200, **extra):
        template = self.templates.get(action, f"web/ordered_list/{action}.html")
        context = {
            "space": getattr(request, "space", None),
            "component": getattr(request, "component", None),
            "bo_section": self.bo_section,
            "ordered_list": self,
            "labels": self.labels,
            "list_url": self.url(request, "list"),
            "create_url": self.url(request, "create") if self.has("create") else None,
            **self.context(request, **extra),
        }
        return render(request, template, context, status=status)

    def _service(self, request, call, form=None):
        """Run a service: (True, None) when it went through, (False, response)
        on a refusal, (False, None) on a ValidationError put on the form."""
        try:
            call()
        except permissions.PermissionDenied as refusal:
            return False, refuse(request, refusal.decision)
        except ValidationError as error:
            if form is not None:
                add_error(form, error, self.error_field)
            return False, error
        return True, None

    # --- the views ----------------------------------------------------------------------

    def list_view(self, request, **_kwargs):
        queryset = self.queryset(request)
        count = queryset.count()
        if count > self.per_page:
            page = paginate(request, queryset, self.per_page)
            items, start = list(page.object_list), page.start_index() - 1
        else:
            page, items, start = None, list(queryset), 0
        for item in items:
            self._attach(request, item)
        self.prepare(request, items)
        rows = []
        for position, item in enumerate(items, start):
            cells = [(column, column.value(item) if column.value else None) for column in self.columns]
            rows.append(Row(item=item, cells=cells, first=position == 0, last=position == count - 1))
        for row in rows:
            row.edit_url = self.url(request, "edit", row.item) if self.has("edit") else None
            row.delete_url = self.url(request, "delete", row.item) if self.has("delete") else None
            row.move_url = self.url(request, "move", row.item) if self.has("move") else None
            row.title = self.title_of(row.item)
        return self._render(request, "list", rows=rows, page=page, items=items, count=count)

    def form_view(self, request, item=None):
        posting = request.method == "POST"
        form = self.form_class(
            request.POST if posting else None,
            request.FILES if posting else None,
            instance=item if item is not None else self.new_instance(request),
            **self.form_kwargs(request, item),
        )
        if posting and form.is_valid():
            if item is None:
                done, refused = self._service(request, lambda: self.create(request, form), form)
            else:
                done, refused = self._service(request, lambda: self.update(request, item, form), form)
            if done:
                messages.success(request, self.labels.created if item is None else self.labels.saved)
                return redirect(self.success_url(request, item))
            if not isinstance(refused, ValidationError):
                return refused
        heading = (self.labels.edit % {"title": self.title_of(item)}) if item is not None else self.labels.new
        return self._render(
            request,
            "form",
            status=self.invalid_status if posting else 200,
            form=form,
            item=item,
            heading=heading,
            multipart=any(f.widget.needs_multipart_form for f in form.fields.values()),
        )

    def new_instance(self, request):
        model = self.form_class._meta.model
        component = getattr(request, "component", None)
        return model(component=component) if component is not None else model()

    def success_url(self, request, item) -> str:
        return self.url(request, "list")

    def create_view(self, request, **_kwargs):
        return self.form_view(request)

    def edit_view(self, request, **kwargs):
        return self.form_view(request, self.item_or_404(request, kwargs[self.id_kwarg]))

    def delete_view(self, request, **kwargs):
        item = self.item_or_404(request, kwargs[self.id_kwarg])
        error = None
        if request.method == "POST":
            done, refused = self._service(request, lambda: self.delete(request, item))
            if done:
                messages.success(request, self.labels.deleted)
                return redirect(self.url(request, "list"))
            if not isinstance(refused, ValidationError):
                return refused
            error = refused
        title = self.title_of(item)
        return self._render(
            request,
            "delete",
            status=self.invalid_status if error else 200,
            item=item,
            heading=self.labels.delete % {"title": title},
            title=title,
            errors=error.messages if error else [],
        )

    def move_view(self, request, **kwargs):
        item = self.item_or_404(request, kwargs[self.id_kwarg])
        direction = request.POST.get("direction")
        to = self.url(request, "list")
        if direction in ("up", "down"):
            done, refused = self._service(request, lambda: self.move(request, item, direction))
            if not done:
                if not isinstance(refused, ValidationError):
                    return refused
                for text in refused.messages:
                    messages.error(request, text)
            elif self.labels.moved:
                messages.success(request, self.labels.moved)
            # Back to the page of the list that shows the item, on its row.
            position = list(self.queryset(request).values_list("pk", flat=True)).index(item.pk)
            page = position // self.per_page + 1
            to += (f"?page={page}" if page > 1 else "") + f"#row-{item.pk}"
        return redirect(to)

    # --- URLs ---------------------------------------------------------------------------

    def access(self, post_only: bool = False):
        """The decorator of every screen of the list (a use may give its own,
        built on backoffice_view)."""
        return backoffice_view(self.action, target=self.target, post_only=post_only)

    def urls(self) -> list:
        item = f"{self.prefix}<int:{self.id_kwarg}>/"
        routes = {
            "list": (self.prefix, self.list_view, False),
            "create": (f"{self.prefix}new/", self.create_view, False),
            "edit": (item, self.edit_view, False),
            "delete": (f"{item}delete/", self.delete_view, False),
            "move": (f"{item}move/", self.move_view, True),
        }
        patterns = []
        for action in ACTIONS:
            if self.has(action):
                route, view, post_only = routes[action]
                patterns.append(path(route, self.access(post_only)(_named(view, action)), name=self.names[action]))
        return patterns


def _named(method, action):
    """The bound view as a plain function with a name (for the URL walk and error reports)."""

    def view(request, *args, **kwargs):
        return method(request, *args, **kwargs)

    view.__name__ = view.__qualname__ = f"{type(method.__self__).__name__}.{action}"
    view.__module__ = type(method.__self__).__module__
    return view
