"""The public open-data page of the organization and its downloads (no log-in:
only public content is in the files)."""

from django.http import Http404
from django.shortcuts import render

from agora.core.files import file_response, public_storage
from agora.opendata import selectors


def index(request):
    organization = request.organization
    files = selectors.files_of(organization)
    whole = next((file for file in files if file.component_id is None), None)
    return render(
        request,
        "opendata/index.html",
        {
            "whole": whole,
            "components": [file for file in files if file.component_id is not None],
            "choice": selectors.settings_of(organization),
        },
    )


def download(request, component_id=None):
    found = selectors.file_for(request.organization, component_id)
    if found is None:
        raise Http404
    title = f"open-data-{request.organization.host}" + (f"-component-{component_id}" if component_id else "")
    response = file_response(public_storage(), found.name, title=title)
    if response.status_code == 200:  # served here (a storage without local files redirects to a signed URL)
        response["Content-Type"] = "application/zip"
    return response
