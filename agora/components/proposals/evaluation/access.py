"""Access to the back-office of ideas, through the one back-office decorator
(agora.web.access.backoffice_view, target "component"): `manage_view` lets
only the space's administrators in; `evaluation_view` also lets the space's
evaluators in (the views then show them only the ideas assigned to them, and
`request.can_manage` says whether they may manage). Both answer 405 to a GET
on a POST-only screen, after the access checks."""

from functools import wraps

from agora import permissions
from agora.web.access import backoffice_view


def _decorator(action: str, post_only: bool):
    def decorator(view):
        @backoffice_view(action, target="component", post_only=post_only)
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.can_manage = bool(permissions.can(request.user, "proposal_evaluation.manage", request.component))
            return view(request, *args, **kwargs)

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
