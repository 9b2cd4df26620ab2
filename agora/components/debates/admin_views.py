"""The back-office of a debates component: the debates (an ordered list
without moves: official ones are created and edited here), the information
updates of a debate, and closing a debate with its conclusions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.components.debates import selectors, services
from agora.components.debates.forms import ConclusionsForm, InformationForm, OfficialDebateForm
from agora.components.debates.models import Debate, DebateUpdate
from agora.core.translations import translated
from agora.web.access import backoffice_view
from agora.web.ordered_list import Column, Labels, OrderedList
from agora.web.views import call_service


class DebateList(OrderedList):
    namespace, id_kwarg = "debates_admin", "debate_id"
    names = {"list": "index", "create": "create", "edit": "edit"}
    action = "debates.manage"
    form_class = OfficialDebateForm
    columns = (
        Column(gettext_lazy("Debate"), lambda debate: translated(debate.title)),
        Column(gettext_lazy("State"), template="debates/admin/_state.html"),
        Column(gettext_lazy("Opened by"), template="debates/admin/_opened_by.html"),
    )
    labels = Labels(
        title=gettext_lazy("Debates"),
        new=gettext_lazy("New official debate"),
        edit=gettext_lazy("Edit the debate “%(title)s”"),
        caption=gettext_lazy("Debates, newest first"),
        empty=gettext_lazy("This component has no debate yet."),
        created=gettext_lazy("The debate is open."),
        saved=gettext_lazy("The debate has been saved."),
    )
    templates = {"list": "debates/admin/list.html"}

    def queryset(self, request):
        return selectors.admin_debates(request.component)

    def edit_view(self, request, **kwargs):
        debate = self.item_or_404(request, kwargs[self.id_kwarg])
        if not debate.official:
            # A participant's debate is theirs: officers close it or hide it, never rewrite it.
            messages.info(request, _("A debate a participant opened cannot be edited here."))
            return redirect(_debate_url(request, debate, "debate"))
        return self.form_view(request, debate)

    def create(self, request, form):
        return services.create_official_debate(actor=request.user, component=request.component, **form.values())

    def update(self, request, item, form):
        return services.update_official_debate(actor=request.user, debate=item, **form.values())

    def success_url(self, request, item) -> str:
        return self.url(request, "list")

    def title_of(self, item):
        return translated(item.title)


DEBATES = DebateList()


def _debate_url(request, debate, name="debate", **extra):
    return reverse(
        f"debates_admin:{name}",
        kwargs={"space_id": request.space.pk, "component_id": request.component.pk, "debate_id": debate.pk, **extra},
    )


def _load(request, debate_id) -> Debate:
    debate = selectors.admin_debates(request.component).filter(pk=debate_id).first()
    if debate is None:
        raise Http404
    debate.component = request.component
    return debate


def _page(request, template, debate, status=200, **extra):
    return render(
        request,
        template,
        {
            "space": request.space,
            "component": request.component,
            "bo_section": "spaces",
            "debate": debate,
            "list_url": reverse(
                "debates_admin:index", kwargs={"space_id": request.space.pk, "component_id": request.component.pk}
            ),
            **extra,
        },
        status=status,
    )


@backoffice_view("debates.manage", target="component")
def debate(request, debate_id):
    """A debate for the officers: its figures, its information updates and the way to close it."""
    found = _load(request, debate_id)
    return _page(
        request,
        "debates/admin/debate.html",
        found,
        summary=selectors.summary(found),
        updates=selectors.updates_of(found),
        form=InformationForm(organization=request.organization),
    )


@backoffice_view("debates.manage", target="component")
def add_information(request, debate_id):
    found = _load(request, debate_id)
    form = InformationForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        done, refused = call_service(
            request, services.add_information, form=form, debate=found, body=form.translated_value("body")
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The information has been added; the debate's followers are told."))
            return redirect(_debate_url(request, found))
    return _page(request, "debates/admin/information.html", found, form=form, status=200 if not form.is_bound else 400)


@backoffice_view("debates.manage", target="component")
def delete_information(request, debate_id, update_id):
    found = _load(request, debate_id)
    update = get_object_or_404(DebateUpdate, pk=update_id, debate=found)
    if request.method == "POST":
        done, refused = call_service(request, services.delete_information, update=update)
        if refused is not None:
            return refused
        messages.success(request, _("The information has been removed."))
        return redirect(_debate_url(request, found))
    return render(
        request,
        "backoffice/confirm.html",
        {
            "space": request.space,
            "component": request.component,
            "bo_section": "spaces",
            "title": _("Remove this information?"),
            "submit": _("Remove the information"),
            "question": _("It disappears from the debate's page. This cannot be undone."),
            "cancel_url": _debate_url(request, found),
        },
    )


@backoffice_view("debates.manage", target="component")
def close(request, debate_id):
    found = _load(request, debate_id)
    if found.closed_at is not None:
        messages.info(request, _("This debate is already closed."))
        return redirect(_debate_url(request, found))
    form = ConclusionsForm(request.POST or None, organization=request.organization, instance=found)
    if request.method == "POST" and form.is_valid():
        done, refused = call_service(
            request, services.close_debate, form=form, debate=found, conclusions=form.translated_value("conclusions")
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The debate is closed; its followers are told of the conclusions."))
            return redirect(_debate_url(request, found))
    return _page(request, "debates/admin/close.html", found, form=form, status=200 if not form.is_bound else 400)
