from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from agora.notifications import selectors, services
from agora.notifications.forms import PreferencesForm
from agora.notifications.models import Notification

PER_PAGE = 20


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user, request.organization), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {
            "page_obj": page,
            "unread": selectors.unread_count(request.user, request.organization),
        },
    )


def _back(request):
    candidate = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return "notifications:list"


@login_required
@require_POST
def mark_read(request, notification_id):
    notification = Notification.objects.filter(
        pk=notification_id, recipient=request.user, organization=request.organization
    ).first()
    if notification is None:
        raise Http404  # never say whether someone else's notification exists
    services.mark_read(user=request.user, notification=notification)
    if request.POST.get("open") and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user, organization=request.organization)
    messages.success(
        request, _("All your notifications are marked as read.") if count else _("You had no unread notification.")
    )
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = services.preference_for(request.user, request.organization)
    form = PreferencesForm(request.POST or None, preference=preference)
    if request.method == "POST" and form.is_valid():
        services.update_preferences(
            user=request.user,
            organization=request.organization,
            email_frequency=form.cleaned_data["email_frequency"],
            muted_events=form.muted_events(),
        )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form}, status=400 if form.errors else 200)


@csrf_exempt  # one-click unsubscribe (RFC 8058) comes without a session; the signed token is the permission
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    parsed = services.read_unsubscribe_token(token)
    if parsed is None or parsed[1] != request.organization.pk:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.unsubscribe(token=token, organization=request.organization)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"token": token})
