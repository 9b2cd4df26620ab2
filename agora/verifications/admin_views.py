"""Back-office screens of verifications: methods, census, letters,
documents, verifications in force, conflicts, and who may take part in
each component's actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora.components.models import Component
from agora.core.csvfiles import SafeWriter
from agora.core.files import private_file_response
from agora.core.numbers import parse_id
from agora.verifications import census_uploads, selectors, services
from agora.verifications import methods as method_registry
from agora.verifications.census import census_columns
from agora.verifications.forms import (
    CensusColumnsForm,
    CensusUploadForm,
    DecisionForm,
    EligibilityForm,
    MethodsForm,
    OidcForm,
)
from agora.verifications.models import CensusUpload, Verification
from agora.verifications.phrases import action_phrase
from agora.web.access import backoffice_view

MANAGE = "verifications.manage"


def _render(request, template, **context):
    return render(request, f"verifications/admin/{template}", {"bo_section": "verifications", **context})


def _verification(request, verification_id, **filters) -> Verification:
    verification = (
        Verification.objects.select_related("user", "organization", "scope")
        .filter(pk=verification_id, organization=request.organization, **filters)
        .first()
    )
    if verification is None:
        raise Http404
    return verification


@backoffice_view(MANAGE)
def overview(request):
    organization = request.organization
    enabled = selectors.enabled_methods(organization)
    methods_form = MethodsForm(
        request.POST if "methods" in request.POST else None,
        initial={"methods": [name for name in enabled if name != "oidc"]},
    )
    oidc_options = enabled["oidc"].options if "oidc" in enabled else {}
    oidc_form = OidcForm(
        request.POST if "oidc" in request.POST else None,
        initial={key: value for key, value in (("name", oidc_options.get("name")),) if value},
    )
    if request.method == "POST" and "methods" in request.POST and methods_form.is_valid():
        chosen = set(methods_form.cleaned_data["methods"])
        for method in method_registry.all_methods():
            if method.name == "oidc":
                continue
            if method.name in chosen and method.name not in enabled:
                services.enable_method(actor=request.user, organization=organization, method=method.name)
            elif method.name not in chosen and method.name in enabled:
                services.disable_method(actor=request.user, organization=organization, method=method.name)
        messages.success(request, _("The verification methods have been saved."))
        return redirect("verifications_admin:overview")
    if request.method == "POST" and "oidc" in request.POST and oidc_form.is_valid():
        try:
            services.configure_oidc(actor=request.user, organization=organization, **oidc_form.cleaned_data)
        except ValidationError as error:
            oidc_form.add_error(None, error)
        else:
            messages.success(request, _("The identity provider has been saved."))
            return redirect("verifications_admin:overview")
    if request.method == "POST" and "oidc_off" in request.POST:
        services.disable_method(actor=request.user, organization=organization, method="oidc")
        messages.success(request, _("Verification by an identity provider is turned off."))
        return redirect("verifications_admin:overview")
    counts = {
        "letters": selectors.pending_letters(organization).count(),
        "documents": selectors.pending_documents(organization).count(),
        "conflicts": selectors.conflicts(organization).count(),
        "active": selectors.active_verifications(organization).count(),
    }
    return _render(
        request,
        "overview.html",
        methods_form=methods_form,
        oidc_form=oidc_form,
        oidc_enabled="oidc" in enabled,
        oidc_options=oidc_options,
        counts=counts,
        census=selectors.census_status(organization),
    )


@backoffice_view(MANAGE)
def census(request):
    organization = request.organization
    census_uploads.drop_stale_uploads(organization)
    columns = census_columns(organization)
    upload_form = CensusUploadForm(
        request.POST if "upload" in request.POST else None, request.FILES if "upload" in request.POST else None
    )
    columns_form = CensusColumnsForm(request.POST if "columns" in request.POST else None, initial=columns)
    if request.method == "POST" and "columns" in request.POST and columns_form.is_valid():
        services.enable_method(
            actor=request.user,
            organization=organization,
            method="census",
            options={"columns": columns_form.cleaned_data},
        )
        messages.success(request, _("The column names have been saved."))
        return redirect("verifications_admin:census")
    if request.method == "POST" and "upload" in request.POST and upload_form.is_valid():
        try:
            upload = census_uploads.upload_census(
                actor=request.user,
                organization=organization,
                file=upload_form.cleaned_data["file"],
                mode=upload_form.cleaned_data["mode"],
                token=upload_form.cleaned_data["token"],
            )
        except ValidationError as error:
            for message in error.messages:
                upload_form.add_error("file", message)
        else:
            return redirect("verifications_admin:census_upload", upload_id=upload.pk)
    return _render(
        request,
        "census.html",
        upload_form=upload_form,
        columns_form=columns_form,
        status=selectors.census_status(organization),
        columns=columns,
        enabled="census" in selectors.enabled_methods(organization),
        running=CensusUpload.objects.filter(
            organization=organization, status__in=(*CensusUpload.RUNNING, "waiting")
        ).first(),
    )


def _census_upload(request, upload_id) -> CensusUpload:
    upload = (
        CensusUpload.objects.select_related("uploaded_by")
        .filter(pk=upload_id, organization=request.organization)
        .first()
    )
    if upload is None:
        raise Http404
    return upload


@backoffice_view(MANAGE)
def census_upload(request, upload_id):
    """One upload: the confirmation of a replacement, then the progress of
    the import (polled by the page), then its result."""
    upload = _census_upload(request, upload_id)
    if request.method == "POST":
        if "cancel" in request.POST:
            if census_uploads.cancel_census_upload(actor=request.user, upload=upload):
                messages.success(request, _("Cancelled: the census has not changed."))
            return redirect("verifications_admin:census")
        census_uploads.confirm_census_upload(actor=request.user, upload=upload)  # a second time: nothing
        return redirect("verifications_admin:census_upload", upload_id=upload.pk)
    context = {"upload": upload, "entries": selectors.census_status(request.organization)["entries"]}
    if request.htmx:
        return render(request, "verifications/admin/_census_progress.html", context)
    return _render(request, "census_upload.html", **context)


@backoffice_view(MANAGE)
def letters(request):
    organization = request.organization
    if request.method == "POST":
        ids = [pk for pk in map(parse_id, request.POST.getlist("letter")) if pk is not None]
        count = services.mark_letters_sent(
            actor=request.user,
            organization=organization,
            verifications=list(selectors.pending_letters(organization, sent=False).filter(pk__in=ids)),
        )
        messages.success(
            request,
            ngettext("%(count)s letter marked as sent.", "%(count)s letters marked as sent.", count) % {"count": count},
        )
        return redirect("verifications_admin:letters")
    return _render(
        request,
        "letters.html",
        to_send=selectors.pending_letters(organization, sent=False),
        sent=selectors.pending_letters(organization, sent=True)[:200],
    )


@backoffice_view(MANAGE)
def letters_export(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="letters.csv"'
    response.write("\ufeff")
    writer = SafeWriter(response)  # names and addresses are typed by participants
    writer.writerow(["id", "name", "address", "postal_code", "city", "code"])
    for verification in selectors.pending_letters(request.organization, sent=False):
        address = verification.data.get("address", {})
        writer.writerow(
            [
                verification.pk,
                address.get("name", ""),
                address.get("street", ""),
                address.get("postal_code", ""),
                address.get("city", ""),
                verification.data.get("code", ""),
            ]
        )
    return response


@backoffice_view(MANAGE)
def documents(request):
    return _render(request, "documents.html", pending=selectors.pending_documents(request.organization))


@backoffice_view(MANAGE)
def document(request, verification_id):
    verification = _verification(request, verification_id, method="document", status=Verification.Status.PENDING)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.decide_document(
                actor=request.user,
                verification=verification,
                accept="accept" in request.POST,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result.status == Verification.Status.ACTIVE:
                messages.success(request, _("The account is verified; the scan has been deleted."))
            elif result.status == Verification.Status.CONFLICT:
                messages.warning(
                    request,
                    _("This identity already verifies another account: see the conflicts. The scan has been deleted."),
                )
            else:
                messages.success(request, _("The document was rejected; the scan has been deleted."))
            return redirect("verifications_admin:documents")
    is_pdf = verification.document.name.endswith(".pdf")
    return _render(request, "document.html", verification=verification, form=form, is_pdf=is_pdf)


@backoffice_view(MANAGE)
def document_file(request, verification_id):
    verification = _verification(request, verification_id, method="document", status=Verification.Status.PENDING)
    # A private file (no public address); a PDF is downloaded, a picture shown.
    return private_file_response(verification.document, title="identity-document")


@backoffice_view(MANAGE)
def verification_list(request):
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.active_verifications(request.organization, query), 50).get_page(request.GET.get("page"))
    return _render(request, "verifications.html", page=page, query=query)


@backoffice_view(MANAGE)
def revoke(request, verification_id):
    verification = _verification(request, verification_id, status__in=Verification.LIVE)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_verification(
                actor=request.user, verification=verification, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The verification has been revoked."))
            return redirect("verifications_admin:verifications")
    return _render(request, "revoke.html", verification=verification, form=form)


@backoffice_view(MANAGE)
def conflicts(request):
    rows = [
        (verification, selectors.identity_holder(verification))
        for verification in selectors.conflicts(request.organization)
    ]
    return _render(request, "conflicts.html", rows=rows)


@backoffice_view(MANAGE, post_only=True)
def conflict_transfer(request, verification_id):
    verification = _verification(request, verification_id, status=Verification.Status.CONFLICT)
    services.transfer_identity(actor=request.user, verification=verification)
    messages.success(request, _("The identity now verifies %(account)s.") % {"account": verification.user})
    return redirect("verifications_admin:conflicts")


@backoffice_view(MANAGE, post_only=True)
def conflict_reject(request, verification_id):
    verification = _verification(request, verification_id, status=Verification.Status.CONFLICT)
    services.reject_conflict(actor=request.user, verification=verification)
    messages.success(request, _("The request has been rejected."))
    return redirect("verifications_admin:conflicts")


@backoffice_view("space.manage", target="space")
def eligibility(request, space_id, component_id):
    component = Component.objects.filter(pk=component_id, space=request.space).select_related("space").first()
    if component is None or component.manifest is None:
        raise Http404
    component.space = request.space
    rules = selectors.rules_for(component)
    forms = []
    for action in component.manifest.actions:
        rule = rules.get(action)
        initial = {}
        if rule is not None:
            initial = {
                "methods": rule.methods,
                "require_all": rule.require_all,
                "min_age": rule.min_age,
                "max_age": rule.max_age,
                "postal_codes": ", ".join(rule.postal_codes),
                "match_scope": rule.match_scope,
            }
        posted = request.method == "POST" and request.POST.get("action") == action
        forms.append((action, EligibilityForm(request.POST if posted else None, prefix=action, initial=initial)))
    if request.method == "POST":
        for action, form in forms:
            if form.is_bound and form.is_valid():
                try:
                    services.save_eligibility_rule(
                        actor=request.user, component=component, action=action, **form.cleaned_data
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Who may take part has been saved."))
                    return redirect(
                        "verifications_admin:eligibility", space_id=request.space.pk, component_id=component.pk
                    )
    forms = [(action, action_phrase(action), form) for action, form in forms]
    return _render(
        request,
        "eligibility.html",
        space=request.space,
        gated_component=component,
        forms=forms,
        enabled=selectors.enabled_methods(request.organization),
        bo_section="spaces",
    )
