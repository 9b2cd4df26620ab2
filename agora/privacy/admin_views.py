"""Back-office screen of how long personal data is kept (/admin/privacy/)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from agora.privacy import selectors, services
from agora.privacy.forms import PrivacySettingsForm
from agora.web.access import backoffice_view
from agora.web.views import call_service, done


@backoffice_view("privacy.manage")
def index(request):
    organization = request.organization
    form = PrivacySettingsForm(request.POST or None, instance=selectors.settings_of(organization))
    if request.method == "POST" and form.is_valid():
        result, response = call_service(
            request,
            services.save_settings,
            form=form,
            organization=organization,
            inactive_days=form.cleaned_data["inactive_days"],
            verification_retention_days=form.cleaned_data["verification_retention_days"],
        )
        if response is not None:
            return response
        if result is not None:
            return done(request, _("The retention periods are saved."), "privacy_admin:index")
    return render(
        request,
        "backoffice/form_page.html",
        {
            "bo_section": "privacy",
            "form": form,
            "title": _("Personal data"),
            "intro": _(
                "How long the organization keeps personal data. Each night the worker warns the people concerned "
                "and applies these periods (docs/personal-data.md)."
            ),
        },
        status=400 if form.errors else 200,
    )
