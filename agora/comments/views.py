from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agora.comments import selectors, services
from agora.comments.forms import CommentForm, EditForm
from agora.comments.models import Comment
from agora.comments.registry import adapter_for, model_for_label
from agora.comments.templatetags.comments import thread_context
from agora.core.numbers import parse_id
from agora.permissions import PermissionDenied, can
from agora.web.access import refuse_public


def _target(label, object_id, organization):
    model = model_for_label(label)
    if model is None:
        raise Http404
    target = model._default_manager.filter(pk=object_id).first()
    if target is None:
        raise Http404
    component = adapter_for(target).component(target)
    if component.space.organization_id != organization.pk:
        raise Http404
    return target


def _comment(request, comment_id):
    comment = (
        Comment.objects.select_related("content_type").filter(pk=comment_id, organization=request.organization).first()
    )
    if comment is None:
        raise Http404
    return comment


def _back(request, target, anchor=""):
    candidate = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        candidate = adapter_for(target).url(target)
    return candidate.split("#")[0] + anchor


def _refused(request, decision, target):
    return refuse_public(request, decision, next_url=_back(request, target), space=None)


def _error_page(request, target, form, *, title, action, comment=None, parent=None):
    return render(
        request,
        "comments/form_page.html",
        {
            "target": target,
            "target_url": _back(request, target),
            "form": form,
            "title": title,
            "action": action,
            "comment": comment,
            "parent": parent,
            "model_label": target._meta.label_lower,
        },
        status=400,
    )


@require_POST
def post(request, model_label, object_id):
    target = _target(model_label, object_id, request.organization)
    decision = can(request.user, "comments.create", target)
    if not decision:
        return _refused(request, decision, target)
    adapter = adapter_for(target)
    parent = None
    if request.POST.get("parent"):
        parent = Comment.objects.filter(pk=parse_id(request.POST["parent"])).first()
        if parent is None:
            return HttpResponseBadRequest("unknown parent")
    form = CommentForm(
        request.POST,
        max_length=adapter.max_length(target),
        alignment=adapter.alignment_enabled(target) and parent is None,
        official=bool(can(request.user, "comments.official", target)),
    )
    title = _("Reply") if parent else _("Add a comment")
    if form.is_valid():
        try:
            comment = services.create_comment(
                actor=request.user,
                target=target,
                body=form.cleaned_data["body"],
                parent=parent,
                alignment=form.cleaned_data.get("alignment"),
                official=form.cleaned_data.get("official", False),
            )
        except ValidationError as error:
            form.add_error("body" if error.code in ("required", "max_length", "posting_limit") else None, error)
        except PermissionDenied as refused:
            return _refused(request, refused.decision, target)
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(_back(request, target, f"#comment-{comment.pk}"))
    return _error_page(request, target, form, title=title, action=request.path, parent=parent)


@require_POST
def edit(request, comment_id):
    comment = _comment(request, comment_id)
    target = comment.target
    decision = can(request.user, "comments.edit", comment)
    if not decision:
        return _refused(request, decision, target)
    form = EditForm(request.POST)
    if form.is_valid():
        try:
            services.update_comment(actor=request.user, comment=comment, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your comment is updated."))
            return redirect(_back(request, target, f"#comment-{comment.pk}"))
    return _error_page(request, target, form, title=_("Edit your comment"), action=request.path, comment=comment)


@require_POST
def delete(request, comment_id):
    comment = _comment(request, comment_id)
    target = comment.target
    try:
        services.delete_comment(actor=request.user, comment=comment)
    except PermissionDenied as refused:
        return _refused(request, refused.decision, target)
    messages.success(request, _("Your comment is deleted."))
    return redirect(_back(request, target, f"#comment-{comment.pk}"))


@require_POST
def vote(request, comment_id):
    comment = _comment(request, comment_id)
    target = comment.target
    value = {"up": 1, "down": -1, "none": 0}.get(request.POST.get("value"))
    if value is None:
        return HttpResponseBadRequest("value must be up, down or none")
    try:
        services.vote(actor=request.user, comment=comment, value=value)
    except PermissionDenied as refused:
        if request.htmx:
            return render(
                request,
                "comments/_votes.html",
                {"comment": comment, "refusal": refused.decision, "user": request.user},
                status=403,
            )
        return _refused(request, refused.decision, target)
    if request.htmx:
        comment.my_vote = value
        return render(
            request,
            "comments/_votes.html",
            {"comment": comment, "user": request.user, "can_comment": True, "next_url": _back(request, target)},
        )
    return redirect(_back(request, target, f"#comment-{comment.pk}"))


@require_GET
def thread(request, model_label, object_id):
    """A page of the thread: the HTMX "more comments" fragment."""
    target = _target(model_label, object_id, request.organization)
    decision = can(request.user, "comments.view", target)
    if not decision:
        raise Http404
    context = thread_context(request, target, page=request.GET.get("page"), order=request.GET.get("order"))
    return render(request, "comments/_page.html", context)


@require_GET
def mentions(request):
    """JSON for the @mention autocomplete: public nicknames of the
    organization's members (never e-mails). For logged-in participants."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "login_required", "results": []}, status=403)
    query = request.GET.get("q", "")[:30]
    return JsonResponse({"results": selectors.member_nicknames(request.organization, query)})
