"""Public pages of moderation: the report form."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agora.moderation import selectors, services
from agora.moderation.forms import ReportForm
from agora.moderation.registry import adapter_for
from agora.permissions import PermissionDenied, can


def _reportable(request, content_type_id, object_id):
    """The content named by the URL, within the request's organization and
    visible to the person (404 otherwise: nothing is revealed)."""
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    adapter = adapter_for(model) if model else None
    if adapter is None:
        raise Http404
    obj = model._default_manager.filter(pk=object_id).first()
    if obj is None or adapter.organization(obj) != request.organization:
        raise Http404
    if not adapter.can_view(request.user, obj):
        raise Http404
    return obj, adapter


def _next_url(request, default):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@require_http_methods(["GET", "POST"])
def report(request, content_type_id, object_id):
    obj, adapter = _reportable(request, content_type_id, object_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    content_url = adapter.url(obj)
    next_url = _next_url(request, content_url)
    context = {
        "object": obj,
        "adapter": adapter,
        "kind": adapter.label,
        "content_url": content_url,
        "next_url": next_url,
        "excerpt": adapter.excerpt(obj),
    }
    if selectors.has_reported(request.user, obj):
        return render(request, "moderation/report.html", {**context, "already": True})
    decision = can(request.user, "moderation.report", obj)
    if not decision:
        return render(request, "moderation/report.html", {**context, "decision": decision}, status=403)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_content(
                actor=request.user, obj=obj, reason=form.cleaned_data["reason"], details=form.cleaned_data["details"]
            )
        except PermissionDenied as refusal:
            return render(request, "moderation/report.html", {**context, "decision": refusal.decision}, status=403)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: the moderators will look at your report."))
            return redirect(next_url)
    return render(request, "moderation/report.html", {**context, "form": form})
