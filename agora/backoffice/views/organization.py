from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.backoffice.forms import AccessibilityStatementForm, OrganizationForm, TermsForm
from agora.core import services
from agora.core.forms import model_values
from agora.core.models import AccessibilityStatement, Organization
from agora.web.access import backoffice_view
from agora.web.views import call_service, done


@backoffice_view("organization.manage")
def organization_settings(request):
    organization = Organization.objects.get(pk=request.organization.pk)  # a copy the form may change
    form = OrganizationForm(
        request.POST or None, request.FILES or None, instance=organization, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        _result, refused = call_service(
            request,
            services.update_organization,
            form=form,
            organization=request.organization,
            values=model_values(form),
        )
        if refused:
            return refused
        if not form.errors:
            return done(request, _("The settings were saved."), "backoffice:organization")
    return render(request, "backoffice/organization_form.html", {"bo_section": "organization", "form": form})


@backoffice_view("organization.manage")
def terms(request):
    versions = request.organization.terms_versions.order_by("-version")
    return render(request, "backoffice/terms.html", {"bo_section": "terms", "versions": versions})


@backoffice_view("organization.manage")
def terms_new(request):
    current = request.organization.current_terms()
    form = TermsForm(request.POST or None, instance=None, organization=request.organization)
    if request.method == "GET" and current:
        for code in request.organization.languages:
            form.fields[f"body__{code}"].initial = (current.body or {}).get(code, "")
    if request.method == "POST" and form.is_valid():
        terms_version, refused = call_service(
            request,
            services.publish_terms,
            form=form,
            organization=request.organization,
            body=form.translated_value("body"),
            summary_of_changes=form.translated_value("summary_of_changes"),
        )
        if refused:
            return refused
        if terms_version:
            return done(
                request,
                _("Version %(version)s of the terms is published; participants will be asked to accept it.")
                % {"version": terms_version.version},
                "backoffice:terms",
            )
    return render(
        request,
        "backoffice/form_page.html",
        {
            "bo_section": "terms",
            "form": form,
            "title": _("Publish a new version of the terms"),
            "intro": _("Participants will be asked to read and accept the new version before taking part again."),
            "submit": _("Publish this version"),
            "cancel_url": reverse("backoffice:terms"),
        },
    )


@backoffice_view("organization.manage")
def accessibility_statement(request):
    organization = request.organization
    statement = AccessibilityStatement.objects.filter(organization=organization).first() or AccessibilityStatement(
        organization=organization
    )
    form = AccessibilityStatementForm(
        request.POST or None, instance=statement, organization=organization, status=organization.accessibility_status
    )
    if request.method == "POST" and form.is_valid():
        _result, refused = call_service(
            request,
            services.save_accessibility_statement,
            form=form,
            organization=organization,
            status=form.cleaned_data["status"],
            values=form.statement_values(),
        )
        if refused:
            return refused
        if not form.errors:
            return done(request, _("The accessibility statement was saved."), "backoffice:accessibility_statement")
    return render(
        request,
        "backoffice/accessibility_form.html",
        {
            "bo_section": "accessibility",
            "form": form,
            "title": _("Accessibility statement"),
            "cancel_url": reverse("backoffice:organization"),
        },
    )
