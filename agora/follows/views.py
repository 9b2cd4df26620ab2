from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.core.numbers import parse_id
from agora.follows import registry, selectors, services
from agora.permissions import PermissionDenied
from agora.web.access import refuse_public


def _target_from(request):
    model = registry.model_for_label(request.POST.get("model", ""))
    object_id = parse_id(request.POST.get("object_id"))
    if model is None or object_id is None:
        return None
    return model._default_manager.filter(pk=object_id).first()


def _next_url(request, target):
    candidate = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    url = getattr(target, "get_absolute_url", None)
    return url() if callable(url) else "/"


@require_POST
def toggle(request):
    """POST model + object_id + action (follow|unfollow) + next. Works
    without JavaScript (redirects back); an HTMX request gets the button."""
    target = _target_from(request)
    if target is None:
        raise Http404
    action = request.POST.get("action")
    if action not in ("follow", "unfollow"):
        return HttpResponseBadRequest("action must be follow or unfollow")
    service = services.follow if action == "follow" else services.unfollow
    try:
        service(user=request.user, target=target, organization=request.organization)
    except PermissionDenied as refused:
        if request.htmx:
            return render(
                request, "follows/_button.html", _button_context(request, target, refused.decision), status=403
            )
        return refuse_public(request, refused.decision, next_url=_next_url(request, target), space=None)
    if request.htmx:
        return render(request, "follows/_button.html", _button_context(request, target))
    messages.success(request, _("You follow it now.") if action == "follow" else _("You no longer follow it."))
    return redirect(_next_url(request, target))


def _button_context(request, target, refusal=None, next_url=None):
    return {
        "target": target,
        "model_label": registry.label_of(target),
        "following": selectors.is_following(request.user, target),
        "next_url": next_url or request.POST.get("next") or request.get_full_path(),
        "refusal": refusal,
        "request": request,
    }
