from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from agora import permissions


def backoffice_view(action: str, target: str = "organization"):
    """Decorate a back-office view: anonymous visitors go to the login page,
    people without the right get a 403 page with the reason.

    `target` says what `can` is asked about: "organization" (the request's),
    or the name of a view argument resolved by the view's `load` step."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            decision = permissions.can(request.user, action, request.organization)
            if not decision:
                return render(request, "backoffice/refused.html", {"decision": decision}, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
