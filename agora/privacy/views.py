"""The person's own data: "download my data" (ask, then download after logging in
again, for 7 days) and the record of their consents."""

from allauth.account.decorators import reauthentication_required
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agora.core.files import file_response, private_storage
from agora.privacy import selectors, services
from agora.web.views import call_service, done


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    if request.method == "POST":
        _export, response = call_service(request, services.request_personal_data, organization=request.organization)
        if response is not None:
            return response
        if _export is not None:
            return done(
                request,
                _("Your data is being prepared: you will receive an e-mail when it is ready."),
                "privacy:my_data",
            )
        return redirect("privacy:my_data")
    return render(
        request,
        "privacy/my_data.html",
        {
            "exports": selectors.exports_of(request.user),
            "consents": selectors.consents_of(request.user, request.organization),
            "now": timezone.now(),
        },
    )


@login_required
@reauthentication_required
def download(request, export_id):
    """The zip, to its owner alone (anyone else: not found), after logging in again."""
    export = selectors.downloadable(request.user, export_id)
    if export is None:
        raise Http404
    services.mark_downloaded(export)
    return file_response(private_storage(), export.name, title="my-data", private=True)
