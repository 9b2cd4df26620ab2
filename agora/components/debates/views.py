"""Public pages of a debates component: the list (filters, pagination), a
debate (summary, information updates, comments), opening a debate
(participants, when allowed) and closing it with conclusions (its author)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.components.access import component_context, component_view
from agora.components.debates import selectors, services, sharing
from agora.components.debates.forms import AuthorCloseForm, DebateForm, FilterForm
from agora.core import machine_translation
from agora.core.sanitize import html_to_plain_text, plain_text_to_html
from agora.core.translations import translated
from agora.web.access import refuse_public
from agora.web.views import add_error, querystring_without_page


@component_view
def index(request):
    component = request.component
    filters = FilterForm(request.GET or None, organization=request.organization)
    chosen = filters.values()
    debates = selectors.debates_for(component, **chosen)
    page = Paginator(debates, component.settings_of().debates_per_page).get_page(request.GET.get("page"))
    items = list(page.object_list)
    figures = selectors.summaries(items)
    likes = selectors.like_counts(items)
    for debate in items:
        debate.component = component
        setattr(debate, "summary", figures[debate.pk])
        setattr(debate, "like_count", likes[debate.pk])
    allows_participants = component.settings_of().participant_debates
    return render(
        request,
        "debates/index.html",
        component_context(
            request,
            page_obj=page,
            debates=items,
            filters=filters,
            filtered=any(chosen.values()),
            query=querystring_without_page(request),
            create_decision=permissions.can(request.user, "debates.create", component) if allows_participants else None,
        ),
    )


def _debate(request, debate_id):
    debate = selectors.debate_for(request.component, request.user, debate_id)
    if debate is None:
        raise Http404
    return debate


@component_view
def detail(request, debate_id):
    debate = _debate(request, debate_id)
    translated = machine_translation.show(request, [debate], ("title", "description"))
    liked = selectors.liked_by(debate, request.user)
    return render(
        request,
        "debates/detail.html",
        component_context(
            request,
            debate=debate,
            summary=selectors.summary(debate),
            updates=selectors.updates_of(debate),
            can_close=bool(permissions.can(request.user, "debates.close", debate)),
            can_edit=bool(permissions.can(request.user, "debates.edit", debate)),
            like_count=selectors.like_counts([debate])[debate.pk],
            liked=liked,
            like_decision=permissions.can(request.user, "debates.unlike" if liked else "debates.like", debate),
            manages=bool(permissions.can(request.user, "debates.manage", request.component)),
            **sharing.share(request, debate),
            **translated,
        ),
    )


@component_view
def create(request):
    component = request.component
    decision = permissions.can(request.user, "debates.create", component)
    if not decision:
        return refuse_public(request, decision)
    form = DebateForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            debate = services.create_debate(
                actor=request.user,
                component=component,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                scope=data["scope"],
            )
        except ValidationError as error:
            add_error(form, error)
        except permissions.PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        else:
            messages.success(request, _("Your debate is open. You follow it: you will be told of new comments."))
            return redirect(debate)
    return render(
        request, "debates/create.html", component_context(request, form=form), status=400 if form.is_bound else 200
    )


@component_view
def edit(request, debate_id):
    """The participant who opened a debate edits it while it is not closed."""
    debate = _debate(request, debate_id)
    decision = permissions.can(request.user, "debates.edit", debate)
    if not decision:
        return refuse_public(request, decision)
    initial = {
        "title": translated(debate.title),
        "description": html_to_plain_text(translated(debate.description)),
        "category": debate.category_id,
        "scope": debate.scope_id,
    }
    form = DebateForm(request.POST or None, initial=initial, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_debate(
                actor=request.user,
                debate=debate,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                scope=data["scope"],
            )
        except ValidationError as error:
            add_error(form, error)
        except permissions.PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        else:
            messages.success(request, _("Your debate has been changed."))
            return redirect(debate)
    return render(
        request,
        "debates/edit.html",
        component_context(request, debate=debate, form=form),
        status=400 if form.is_bound else 200,
    )


@require_POST
@component_view
def like(request, debate_id):
    """Like a debate, or take one's like back ("undo")."""
    debate = _debate(request, debate_id)
    undo = request.POST.get("undo") == "1"
    decision = permissions.can(request.user, "debates.unlike" if undo else "debates.like", debate)
    if not decision:
        return refuse_public(request, decision)
    try:
        if undo:
            services.unlike(actor=request.user, debate=debate)
            messages.success(request, _("Your like is taken back."))
        else:
            services.like(actor=request.user, debate=debate)
            messages.success(request, _("You like this debate."))
    except permissions.PermissionDenied as refusal:
        return refuse_public(request, refusal.decision)
    return redirect(f"{debate.get_absolute_url()}#likes")


@component_view
def close(request, debate_id):
    """The author closes their debate with conclusions (the organization does
    it from the back-office, in every language)."""
    debate = _debate(request, debate_id)
    decision = permissions.can(request.user, "debates.close", debate)
    if not decision:
        return refuse_public(request, decision)
    if permissions.can(request.user, "debates.manage", request.component):
        return redirect(
            "debates_admin:close", space_id=request.space.pk, component_id=request.component.pk, debate_id=debate.pk
        )
    form = AuthorCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        language = (request.LANGUAGE_CODE or "").split("-")[0]
        organization = request.organization
        language = language if language in organization.languages else organization.default_language
        try:
            services.close_debate(
                actor=request.user,
                debate=debate,
                conclusions={language: plain_text_to_html(form.cleaned_data["conclusions"])},
            )
        except ValidationError as error:
            add_error(form, error)
        except permissions.PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        else:
            messages.success(request, _("The debate is closed. Its followers are told of your conclusions."))
            return redirect(debate)
    return render(
        request,
        "debates/close.html",
        component_context(request, debate=debate, form=form),
        status=400 if form.is_bound else 200,
    )
