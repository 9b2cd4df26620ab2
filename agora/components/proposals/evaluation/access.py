"""Access to the back-office of ideas. `component_admin_view` (shared) lets
only the space's administrators in; `evaluation_view` also lets the space's
evaluators in (the views then show them only the ideas assigned to them).
Both answer 405 to a GET on a POST-only screen, after the access checks."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed

from agora import permissions
from agora.components.models import Component
from agora.web.access import refuse


def _load(request, space_id, component_id):
    component = (
        Component.objects.select_related("space", "space__organization")
        .filter(pk=component_id, space_id=space_id, space__organization=request.organization)
        .first()
    )
    if component is None:
        raise Http404
    return component


def _decorator(action: str, post_only: bool):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, space_id, component_id, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            component = _load(request, space_id, component_id)
            decision = permissions.can(request.user, action, component)
            if not decision:
                return refuse(request, decision)
            if post_only and request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            request.space, request.component = component.space, component
            request.can_manage = bool(permissions.can(request.user, "proposal_evaluation.manage", component))
            return view(request, *args, **kwargs)

        wrapper.backoffice_action = action
        wrapper.post_only = post_only
        return wrapper

    return decorator


def manage_view(view=None, *, post_only: bool = False):
    """Space administrators only (answer, bulk, states, fields, criteria, import, export)."""
    decorator = _decorator("proposal_evaluation.manage", post_only)
    return decorator(view) if view is not None else decorator


def evaluation_view(view=None, *, post_only: bool = False):
    """Space administrators and the space's evaluators."""
    decorator = _decorator("proposal_evaluation.open", post_only)
    return decorator(view) if view is not None else decorator
