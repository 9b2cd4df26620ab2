"""Back-office screen of the open data (/admin/open-data/): the licence the
organization chose, the files built last, and "build now"."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from agora.opendata import selectors, services
from agora.opendata.forms import LicenceForm
from agora.web.access import backoffice_view
from agora.web.views import call_service, done


@backoffice_view("opendata.manage")
def index(request):
    organization = request.organization
    choice = selectors.settings_of(organization)
    form = LicenceForm(request.POST or None, initial={"licence": choice.licence})
    if request.method == "POST" and form.is_valid():
        result, response = call_service(
            request, services.set_licence, form=form, organization=organization, licence=form.cleaned_data["licence"]
        )
        if response is not None:
            return response
        if result is not None:
            return done(request, _("The licence is saved; the next files will carry it."), "opendata_admin:index")
    return render(
        request,
        "opendata/admin/index.html",
        {"bo_section": "opendata", "form": form, "files": selectors.files_of(organization)},
        status=400 if form.errors else 200,
    )


@backoffice_view("opendata.manage", post_only=True)
def build(request):
    _result, response = call_service(request, services.request_build, organization=request.organization)
    if response is not None:
        return response
    return done(request, _("The open data will be built again in a moment."), "opendata_admin:index")
