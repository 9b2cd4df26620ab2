"""Access to back-office screens: log in, load what the URL names within the
request's organization (404 otherwise), then ask `agora.permissions`.

    @backoffice_view("space.manage", target="space")
    def space_edit(request, space_id):
        space = request.space  # loaded within request.organization

Views about a space receive `space_id`; the decorator loads the space of the
request's organization (404 for any other), sets `request.space` and asks
`can(user, action, space)`. With target="organization" (the default) the
question is asked about `request.organization`.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render

from agora import permissions


def refuse(request, decision, status=403):
    return render(request, "backoffice/refused.html", {"decision": decision, "bo_section": None}, status=status)


def load_space(request, space_id):
    from agora.spaces.models import Space

    space = (
        Space.objects.select_related("organization", "group", "parent", "scope")
        .filter(pk=space_id, organization=request.organization)
        .first()
    )
    if space is None:
        raise Http404
    return space


def backoffice_view(action: str, target: str = "organization", *, post_only: bool = False):
    """Decorate a back-office view: anonymous visitors go to the login page,
    objects of another organization are not found (404), people without the
    right get a 403 page with the reason.

    `target`: "organization" (the request's) or "space" (loaded from the
    `space_id` URL argument). Any view with a `space_id` argument gets
    `request.space`, whatever its target. `post_only` views answer 405 to
    other methods, after the access checks."""

    if target not in ("organization", "space"):
        raise ValueError(f"Unknown back-office target {target!r}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # Staff of this organization only, whatever the action.
            decision = permissions.can(request.user, "backoffice.access", request.organization)
            if decision and "space_id" in kwargs:
                request.space = load_space(request, kwargs["space_id"])
            if decision:
                subject = request.space if target == "space" else request.organization
                decision = permissions.can(request.user, action, subject)
            if not decision:
                return refuse(request, decision)
            if post_only and request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        wrapper.backoffice_action = action
        wrapper.post_only = post_only
        return wrapper

    return decorator
