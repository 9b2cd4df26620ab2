"""Access to back-office screens: one decorator for every one of them. It
logs in, loads what the URL names within the request's organization (404
otherwise), then asks `agora.permissions`.

    @backoffice_view("space.manage", target="space")
    def space_edit(request, space_id):
        space = request.space  # loaded within request.organization

Views about a space receive `space_id`; the decorator loads the space of the
request's organization (404 for any other), sets `request.space` and asks
`can(user, action, space)`. With target="organization" (the default) the
question is asked about `request.organization`. Targets other than the
organization are registered by the app that owns them (`register_target`):
spaces registers "space" (URL argument `space_id`), the components app
"component" (`space_id` and `component_id`), so this layer imports neither.

Public pages and participants' actions refuse with `refuse_public`: an
anonymous visitor whom logging in may let in goes to the login page and comes
back (`?next=`), anyone else gets the 403 page with the reason and the way to
lift it. Back-office screens refuse with `refuse`.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from agora import permissions


def refuse(request, decision, status=403):
    return render(request, "backoffice/refused.html", {"decision": decision, "bo_section": None}, status=status)


def refuse_public(request, decision, status=403, *, next_url: str = "", **context):
    """The refusal of a public page or of a participant's action.

    An anonymous visitor refused because they are not logged in goes to the
    login page (with the reason as a message) and comes back to `next_url`;
    anyone else gets the page with the reason and the link that lifts it
    (log in, accept the terms, confirm one's e-mail ...), with `status`.
    `next_url` defaults to this page for a GET, and for a form posted to an
    action URL to the page the form was on (a safe `next` field or the
    Referer of this site), else the component's or the space's page."""
    next_url = next_url or _back_here(request)
    if not request.user.is_authenticated and decision.fix_url == reverse("account_login"):
        messages.info(request, decision.reason)
        return redirect_to_login(next_url, decision.fix_url)
    context.setdefault("space", getattr(request, "space", None))
    return render(
        request, "spaces/refused.html", {"decision": decision, "next_url": next_url, **context}, status=status
    )


def _back_here(request) -> str:
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    for candidate in (request.POST.get("next"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(candidate)
            return parts.path + (f"?{parts.query}" if parts.query else "")
    place = getattr(request, "component", None) or getattr(request, "space", None)
    return place.get_absolute_url() if place is not None else "/"


# A target loader takes (request, URL kwargs), returns the object the action is
# asked about (Http404 when the organization has none) and may set request attributes.
_TARGETS: dict = {}


def register_target(name: str, loader) -> None:
    _TARGETS[name] = loader


def backoffice_view(action: str, target: str = "organization", *, post_only: bool = False):
    """Decorate a back-office view: anonymous visitors go to the login page,
    objects of another organization are not found (404), people without the
    right get a 403 page with the reason.

    `target`: "organization" (the request's) or a registered target whose
    loader reads (and may consume) URL arguments: "space" reads `space_id`
    and sets `request.space`; "component" takes `space_id` and
    `component_id` and sets `request.space` and `request.component`. An
    organization screen with a `space_id` argument gets `request.space` too.
    `post_only` views answer 405 to other methods, after the access checks."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # What the URL names is looked up first: another organization's is not found (404).
            if target == "organization":
                if "space_id" in kwargs:  # a screen about a space, whatever it asks about
                    _TARGETS["space"](request, {"space_id": kwargs["space_id"]})
                subject = request.organization
            else:
                subject = _TARGETS[target](request, kwargs)
            # Staff of this organization only, whatever the action.
            decision = permissions.can(request.user, "backoffice.access", request.organization)
            if decision:
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
