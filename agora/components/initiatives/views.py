"""Public pages of an initiatives component: the list, an initiative (its
progress per tier, signing, comments), filing one, and the promoters' steps
(edit, invite the committee, accept, submit)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.components.access import component_context, component_view
from agora.components.initiatives import selectors, services
from agora.components.initiatives.forms import FilterForm, InitiativeForm, InviteForm, SignForm
from agora.components.initiatives.models import Initiative
from agora.core import machine_translation
from agora.questionnaires.flow import Flow
from agora.questionnaires.services import AnswersRefused
from agora.web import sharing
from agora.web.access import refuse_public
from agora.web.views import add_error, querystring_without_page


@component_view
def index(request):
    component = request.component
    filters = FilterForm(request.GET or None)
    chosen = filters.values()
    page = Paginator(selectors.initiatives_for(component, **chosen), component.settings_of().initiatives_per_page)
    page = page.get_page(request.GET.get("page"))
    items = list(page.object_list)
    for initiative in items:
        initiative.component = component
        initiative.progress = selectors.progress(initiative)
    return render(
        request,
        "initiatives/index.html",
        component_context(
            request,
            page_obj=page,
            initiatives=items,
            filters=filters,
            filtered=any(chosen.values()),
            query=querystring_without_page(request),
            mine=selectors.mine(component, request.user),
            create_decision=permissions.can(request.user, "initiatives.create", component),
        ),
    )


def _initiative(request, initiative_id) -> Initiative:
    initiative = selectors.initiative_for(request.component, request.user, initiative_id)
    if initiative is None:
        raise Http404
    return initiative


@component_view
def detail(request, initiative_id):
    initiative = _initiative(request, initiative_id)
    user = request.user
    translated = (
        machine_translation.show(request, [initiative], ("title", "question", "body")) if initiative.is_public else {}
    )
    return render(
        request,
        "initiatives/detail.html",
        component_context(
            request,
            initiative=initiative,
            progress=selectors.progress(initiative),
            signers=selectors.public_signers(initiative),
            signature=selectors.signature_of(initiative, user),
            committee=selectors.committee_of(initiative),
            committee_size=services.committee_size(initiative),
            sign_decision=permissions.can(user, "initiatives.sign", initiative) if initiative.is_public else None,
            sign_form=SignForm(),
            can_withdraw=bool(permissions.can(user, "initiatives.withdraw", initiative)),
            can_edit=bool(permissions.can(user, "initiatives.edit", initiative)),
            can_join=bool(permissions.can(user, "initiatives.join", initiative)),
            invite_form=InviteForm(),
            manages=bool(permissions.can(user, "initiatives.manage", request.component)),
            **translated,
            **(
                sharing.share_context(
                    request,
                    title=initiative.title,
                    description=initiative.body,
                    url=initiative.get_absolute_url(),
                    embed_url=reverse(
                        "initiatives:embed", kwargs={**request.component.url_kwargs(), "resource_id": initiative.pk}
                    ),
                )
                if initiative.is_public
                else {}
            ),
        ),
    )


@component_view
def create(request):
    component = request.component
    decision = permissions.can(request.user, "initiatives.create", component)
    if not decision:
        return refuse_public(request, decision)
    form = InitiativeForm(request.POST or None, component=component)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            initiative = services.create_initiative(
                actor=request.user,
                component=component,
                initiative_type=data["initiative_type"],
                title=data["title"],
                body=data["body"],
                question=data["question"],
                scope=data["scope"],
            )
        except ValidationError as error:
            add_error(form, error)
        except permissions.PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        else:
            messages.success(
                request, _("Your initiative is saved as a draft. Invite its committee, then submit it to the city.")
            )
            return redirect(initiative)
    return render(
        request, "initiatives/form.html", component_context(request, form=form), status=400 if form.is_bound else 200
    )


@component_view
def edit(request, initiative_id):
    initiative = _initiative(request, initiative_id)
    decision = permissions.can(request.user, "initiatives.edit", initiative)
    if not decision:
        return refuse_public(request, decision)
    initial = {"title": initiative.title, "question": initiative.question, "scope": initiative.scope}
    initial["body"] = strip_tags(initiative.body.replace("</p>", "\n\n")).strip()
    form = InitiativeForm(request.POST or None, component=request.component, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_initiative(
                actor=request.user,
                initiative=initiative,
                title=data["title"],
                body=data["body"],
                question=data["question"],
                scope=data["scope"],
            )
        except ValidationError as error:
            add_error(form, error)
        except permissions.PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        else:
            messages.success(request, _("The initiative has been saved."))
            return redirect(initiative)
    return render(
        request,
        "initiatives/form.html",
        component_context(request, form=form, initiative=initiative),
        status=400 if form.is_bound else 200,
    )


def _act(request, initiative, service, success, **kwargs):
    try:
        service(actor=request.user, initiative=initiative, **kwargs)
    except permissions.PermissionDenied as refusal:
        return refuse_public(request, refusal.decision)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, success)
    return redirect(initiative)


SHEET_LINES = 20


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"The signature sheet fetches nothing: {url}")


@component_view
def sheet(request, initiative_id):
    """The printable signature sheet (PDF): the initiative's text, who may
    sign, and numbered lines; for an initiative collecting on paper."""
    from weasyprint import HTML  # local: WeasyPrint is slow to import and only this page prints

    initiative = _initiative(request, initiative_id)
    if not (initiative.type.paper and initiative.state == Initiative.State.COLLECTING):
        raise Http404
    rule = initiative.type.sign_rule or {}
    html = render_to_string(
        "initiatives/pdf/signature_sheet.html",
        component_context(
            request,
            initiative=initiative,
            lines=range(1, SHEET_LINES + 1),
            min_age=rule.get("min_age"),
            postal_codes=", ".join(rule.get("postal_codes") or []),
            last_day=initiative.open_until,
            url=request.build_absolute_uri(initiative.get_absolute_url()),
        ),
        request=request,
    )
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="signature-sheet-{initiative.pk}.pdf"'
    return response


@require_POST
@component_view
def sign(request, initiative_id):
    """The hot path: no page read before the service, which reads the
    initiative as it is now and asks the permission itself (refusals are the
    same page as anywhere)."""
    initiative = Initiative(pk=initiative_id, component=request.component)
    form = SignForm(request.POST)
    public = form.is_valid() and form.cleaned_data["public"]
    try:
        services.sign(actor=request.user, initiative=initiative, public=public)
    except Initiative.DoesNotExist:
        raise Http404 from None
    except permissions.PermissionDenied as refusal:
        return refuse_public(request, refusal.decision)
    except AnswersRefused:
        # The type asks extra signer fields: they are answered on their own page.
        return redirect(_sign_form_url(request, initiative_id))
    return _signed(request, initiative)


def _signed(request, initiative):
    messages.success(
        request, _("Thank you: your signature is recorded. A confirmation has been sent to you by e-mail.")
    )
    return redirect(initiative.get_absolute_url())


def _sign_form_url(request, initiative_id):
    return reverse(
        "initiatives:sign_form",
        kwargs={
            "space_kind": request.space.url_prefix,
            "space_slug": request.space.slug,
            "component_id": request.component.pk,
            "initiative_id": initiative_id,
        },
    )


@component_view
def sign_form(request, initiative_id):
    """Signing when the type asks extra signer fields (agora.questionnaires.flow):
    their pages, then the choice to show one's name; the answers are saved with
    the signature (services.sign), for the staff alone."""
    initiative = _initiative(request, initiative_id)
    decision = permissions.can(request.user, "initiatives.sign", initiative)
    if not decision:
        return refuse_public(request, decision, next_url=initiative.get_absolute_url())
    questions = services.signer_questions(initiative.type)
    if not questions:
        return redirect(initiative)
    flow = Flow(
        request,
        initiative.type.questionnaire,
        key=f"initiative:{initiative.pk}",
        questions=questions,
        submit_label=_("Sign the initiative"),
    )
    form = SignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        outcome = flow.post()
        if outcome.values is not None:
            public = form.is_valid() and form.cleaned_data["public"]
            try:
                services.sign(actor=request.user, initiative=initiative, public=public, values=outcome.values)
            except permissions.PermissionDenied as refusal:
                return refuse_public(request, refusal.decision)
            except AnswersRefused as refusal:
                outcome, status = flow.refused(refusal.by_question), 400
            else:
                flow.forget()
                return _signed(request, initiative)
        elif outcome.page is not None and outcome.page.errors:
            status = 400
    else:
        outcome = flow.show(request.GET.get("page", 0))
    final = outcome.is_final
    return render(
        request,
        "initiatives/sign.html",
        component_context(
            request,
            initiative=initiative,
            flow=outcome.page,
            review=outcome.review,
            sign_form=form,
            show_public=final,
            submit_label=flow.submit_label,
        ),
        status=status,
    )


@require_POST
@component_view
def withdraw(request, initiative_id):
    initiative = _initiative(request, initiative_id)
    decision = permissions.can(request.user, "initiatives.withdraw", initiative)
    if not decision:
        return refuse_public(request, decision)
    return _act(request, initiative, services.withdraw, _("Your signature has been withdrawn."))


@require_POST
@component_view
def invite(request, initiative_id):
    initiative = _initiative(request, initiative_id)
    decision = permissions.can(request.user, "initiatives.edit", initiative)
    if not decision:
        return refuse_public(request, decision)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
        return redirect(initiative)
    return _act(
        request, initiative, services.invite, _("The invitation has been sent."), email=form.cleaned_data["email"]
    )


@require_POST
@component_view
def accept(request, initiative_id):
    initiative = _initiative(request, initiative_id)
    decision = permissions.can(request.user, "initiatives.join", initiative)
    if not decision:
        return refuse_public(request, decision)
    return _act(request, initiative, services.accept_invitation, _("You are a member of the promoter committee."))


@require_POST
@component_view
def submit(request, initiative_id):
    initiative = _initiative(request, initiative_id)
    decision = permissions.can(request.user, "initiatives.edit", initiative)
    if not decision:
        return refuse_public(request, decision)
    return _act(
        request, initiative, services.submit, _("The initiative is submitted: the city checks that it is admissible.")
    )
