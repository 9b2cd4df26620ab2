"""The back-office of an initiatives component: the initiatives to check and
follow (admissibility, paper signatures, the verification sample, the city's
responses), and the kinds of initiative with their tiers."""

import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.components.initiatives import selectors, services
from agora.components.initiatives.forms import (
    OutcomeForm,
    PaperLineForm,
    RefuseForm,
    ResponseForm,
    ScopeThresholdForm,
    SeedForm,
    SheetCountForm,
    StrikeForm,
    TierForm,
    TypeForm,
)
from agora.components.initiatives.models import Initiative, InitiativeTier, InitiativeType, Signature, Tier
from agora.core.csvfiles import SafeWriter
from agora.core.translations import translated
from agora.questionnaires import builder
from agora.questionnaires import exports as questionnaire_exports
from agora.web.access import backoffice_view
from agora.web.views import call_service


def _kwargs(request, **extra):
    return {"space_id": request.space.pk, "component_id": request.component.pk, **extra}


def _url(request, name, **extra):
    return reverse(f"initiatives_admin:{name}", kwargs=_kwargs(request, **extra))


def _context(request, **extra):
    return {"space": request.space, "component": request.component, "bo_section": "spaces", **extra}


def _form_page(request, form, title, cancel_url, status=200, **extra):
    return render(
        request,
        "backoffice/form_page.html",
        _context(request, form=form, title=title, cancel_url=cancel_url, **extra),
        status=status,
    )


@backoffice_view("initiatives.manage", target="component")
def index(request):
    state = request.GET.get("state", "")
    return render(
        request,
        "initiatives/admin/index.html",
        _context(
            request,
            initiatives=selectors.admin_initiatives(
                request.component, state if state in Initiative.State.values else ""
            ),
            types=selectors.types_of(request.component),
            states=Initiative.State.choices,
            state=state,
        ),
    )


def _load(request, initiative_id) -> Initiative:
    initiative = (
        Initiative.objects.filter(component=request.component, pk=initiative_id).select_related("type", "scope").first()
    )
    if initiative is None:
        raise Http404
    initiative.component = request.component
    return initiative


@backoffice_view("initiatives.manage", target="component")
def initiative(request, initiative_id):
    found = _load(request, initiative_id)
    tiers = list(found.tiers.select_related("tier").order_by("position"))
    samples = {row.pk: list(Signature.objects.filter(pk__in=row.sample).order_by("id")) for row in tiers if row.sample}
    for row in tiers:
        row.sample_rows = samples.get(row.pk, [])
        row.outcome_form = OutcomeForm(auto_id=f"tier{row.pk}-%s")
    return render(
        request,
        "initiatives/admin/initiative.html",
        _context(
            request,
            initiative=found,
            tiers=tiers,
            counts=selectors.counts(found),
            committee=selectors.committee_of(found),
            refuse_form=RefuseForm(),
            seed_form=SeedForm(),
            strike_form=StrikeForm(),
        ),
    )


@backoffice_view("initiatives.manage", target="component", post_only=True)
def admit(request, initiative_id):
    found = _load(request, initiative_id)
    done, refused = call_service(request, services.decide_admissibility, initiative=found, admissible=True)
    if refused is not None:
        return refused
    if done:
        messages.success(request, _("The initiative is published and collects signatures."))
    return redirect(_url(request, "initiative", initiative_id=found.pk))


@backoffice_view("initiatives.manage", target="component")
def refuse(request, initiative_id):
    found = _load(request, initiative_id)
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done, refused = call_service(
            request,
            services.decide_admissibility,
            form=form,
            initiative=found,
            admissible=False,
            reason=form.cleaned_data["reason"],
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The initiative is declared not admissible; the reason is public."))
            return redirect(_url(request, "initiative", initiative_id=found.pk))
    return _form_page(
        request,
        form,
        _("Declare “%(title)s” not admissible") % {"title": found.title},
        _url(request, "initiative", initiative_id=found.pk),
        status=400 if form.is_bound else 200,
        submit=_("Declare not admissible"),
    )


def _row(request, initiative_id, row_id) -> tuple[Initiative, InitiativeTier]:
    found = _load(request, initiative_id)
    row = get_object_or_404(InitiativeTier.objects.select_related("tier"), pk=row_id, initiative=found)
    row.initiative = found
    return found, row


@backoffice_view("initiatives.manage", target="component")
def answer(request, initiative_id, row_id):
    found, row = _row(request, initiative_id, row_id)
    form = ResponseForm(request.POST or None, organization=request.organization, instance=row)
    if request.method == "POST" and form.is_valid():
        done, refused = call_service(
            request, services.answer_tier, form=form, row=row, response=form.translated_value("response")
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The response is published; the signers and followers are told."))
            return redirect(_url(request, "initiative", initiative_id=found.pk))
    return _form_page(
        request,
        form,
        _("The city's response to the tier %(tier)s of “%(title)s”") % {"tier": row.position, "title": found.title},
        _url(request, "initiative", initiative_id=found.pk),
        status=400 if form.is_bound else 200,
        submit=_("Publish the response"),
    )


@backoffice_view("initiatives.manage", target="component", post_only=True)
def publish_seed(request, initiative_id, row_id):
    found, row = _row(request, initiative_id, row_id)
    form = SeedForm(request.POST)
    if form.is_valid():
        done, refused = call_service(
            request,
            services.publish_seed,
            row=row,
            percent=form.cleaned_data["percent"],
            seed=form.cleaned_data["seed"],
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The seed is published. Draw the sample once it is public."))
    else:
        messages.error(request, _("Give a percentage and a seed."))
    return redirect(_url(request, "initiative", initiative_id=found.pk))


@backoffice_view("initiatives.manage", target="component", post_only=True)
def outcome(request, initiative_id, row_id):
    found, row = _row(request, initiative_id, row_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        done, refused = call_service(
            request, services.record_sample_outcome, row=row, outcome=form.cleaned_data["outcome"]
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The outcome of the check is recorded and public."))
    else:
        messages.error(request, _("Write the conclusion of the check."))
    return redirect(_url(request, "initiative", initiative_id=found.pk))


@backoffice_view("initiatives.manage", target="component", post_only=True)
def draw(request, initiative_id, row_id):
    found, row = _row(request, initiative_id, row_id)
    done, refused = call_service(request, services.draw_sample, row=row)
    if refused is not None:
        return refused
    if done:
        messages.success(request, _("The sample is drawn: check each signature listed."))
    return redirect(_url(request, "initiative", initiative_id=found.pk))


@backoffice_view("initiatives.manage", target="component", post_only=True)
def strike(request, initiative_id, signature_id):
    found = _load(request, initiative_id)
    signature = get_object_or_404(Signature, pk=signature_id, initiative=found)
    signature.initiative = found
    form = StrikeForm(request.POST)
    if form.is_valid():
        done, refused = call_service(request, services.strike, signature=signature, reason=form.cleaned_data["reason"])
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The signature is struck and the count lowered."))
    else:
        messages.error(request, _("Say why the signature is invalid."))
    return redirect(_url(request, "initiative", initiative_id=found.pk))


@backoffice_view("initiatives.manage", target="component")
def paper_line(request, initiative_id):
    found = _load(request, initiative_id)
    form = PaperLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = services.PaperLine(
            last_name=data["last_name"],
            first_name=data["first_name"],
            birth_date=data["birth_date"],
            postal_code=data["postal_code"] or "",
            signed_on=data["signed_on"],
        )
        done, refused = call_service(
            request,
            services.add_paper_line,
            form=form,
            initiative=found,
            sheet=data["sheet"],
            line=data["line"],
            person=person,
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The line is entered. Enter the next one."))
            return redirect(_url(request, "paper_line", initiative_id=found.pk) + f"?sheet={data['sheet']}")
    elif not form.is_bound and request.GET.get("sheet", "").isdigit():
        form = PaperLineForm(initial={"sheet": int(request.GET["sheet"])})
    return _form_page(
        request,
        form,
        _("Enter a paper signature of “%(title)s”") % {"title": found.title},
        _url(request, "initiative", initiative_id=found.pk),
        status=400 if form.is_bound else 200,
        intro=_(
            "The same checks as online where the sheet allows: age on the day signed, postal code, and no "
            "person who already signed online or on paper."
        ),
        submit=_("Enter the line"),
    )


@backoffice_view("initiatives.manage", target="component")
def sheet_count(request, initiative_id):
    found = _load(request, initiative_id)
    form = SheetCountForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, refused = call_service(
            request,
            services.add_sheet_count,
            form=form,
            initiative=found,
            sheet=data["sheet"],
            count=data["count"],
            scan=data["scan"],
            last_signed_on=data["last_signed_on"],
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The sheet is counted."))
            return redirect(_url(request, "initiative", initiative_id=found.pk))
    return _form_page(
        request,
        form,
        _("Count a paper sheet of “%(title)s”") % {"title": found.title},
        _url(request, "initiative", initiative_id=found.pk),
        status=400 if form.is_bound else 200,
        multipart=True,
        submit=_("Count the sheet"),
    )


# --- kinds of initiative and their tiers ------------------------------------------------------------------


def _type(request, type_id) -> InitiativeType:
    item = get_object_or_404(InitiativeType, pk=type_id, component=request.component)
    item.component = request.component
    return item


@backoffice_view("initiatives.manage", target="component")
def type_form(request, type_id=None):
    item = _type(request, type_id) if type_id else None
    form = TypeForm(request.POST or None, organization=request.organization, instance=item)
    if request.method == "POST" and form.is_valid():
        done, refused = call_service(
            request, services.save_type, form=form, component=request.component, item=item, **form.values()
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The kind of initiative has been saved."))
            return redirect(_url(request, "index") + "#types")
    return _form_page(
        request,
        form,
        _("Edit the kind of initiative") if item else _("New kind of initiative"),
        _url(request, "index"),
        status=400 if form.is_bound else 200,
    )


@backoffice_view("initiatives.manage", target="component")
def tier_form(request, type_id, tier_id=None):
    item_type = _type(request, type_id)
    tier = get_object_or_404(Tier, pk=tier_id, type=item_type) if tier_id else None
    form = TierForm(request.POST or None, organization=request.organization, instance=tier)
    if request.method == "POST" and form.is_valid():
        done, refused = call_service(
            request, services.save_tier, form=form, initiative_type=item_type, item=tier, **form.values()
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The tier has been saved."))
            return redirect(_url(request, "index") + "#types")
    return _form_page(
        request,
        form,
        _("Tier of “%(type)s”") % {"type": item_type},
        _url(request, "index"),
        status=400 if form.is_bound else 200,
    )


@backoffice_view("initiatives.manage", target="component")
def tier_delete(request, type_id, tier_id):
    item_type = _type(request, type_id)
    tier = get_object_or_404(Tier, pk=tier_id, type=item_type)
    tier.type = item_type
    if request.method == "POST":
        done, refused = call_service(request, services.delete_tier, tier=tier)
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The tier has been deleted."))
        return redirect(_url(request, "index") + "#types")
    return render(
        request,
        "backoffice/confirm.html",
        _context(
            request,
            title=_("Delete this tier?"),
            submit=_("Delete the tier"),
            question=_("Initiatives filed from now on will not have it. This cannot be undone."),
            cancel_url=_url(request, "index"),
        ),
    )


@backoffice_view("initiatives.manage", target="component")
def scope_threshold(request, type_id, tier_id):
    item_type = _type(request, type_id)
    tier = get_object_or_404(Tier, pk=tier_id, type=item_type)
    tier.type = item_type
    form = ScopeThresholdForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        done, refused = call_service(request, services.save_scope_threshold, form=form, tier=tier, **form.cleaned_data)
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The district's threshold has been saved."))
            return redirect(_url(request, "index") + "#types")
    return _form_page(
        request,
        form,
        _("A district's threshold for the tier %(tier)s of “%(type)s”") % {"tier": tier.position, "type": item_type},
        _url(request, "index"),
        status=400 if form.is_bound else 200,
    )


# --- extra signer fields (agora.questionnaires.builder, mounted in admin_urls) and the signatures' export ---

MANAGE = "initiatives.manage"


def signer_form(request, type_id) -> builder.Owned:
    item = _type(request, type_id)
    services.signer_form(actor=request.user, initiative_type=item)
    return builder.Owned(item.questionnaire, title=translated(item.title), context={"initiative_type": item})


def _signer(signature) -> tuple[str, str]:
    user = signature.user
    if user is None or user.is_deleted:
        return ("", "") if signature.channel == Signature.Channel.PAPER else (_("Deleted participant"), "")
    return user.name or user.public_name, user.email


@backoffice_view(MANAGE, target="component")
def signatures_csv(request, initiative_id):
    """The initiative's signatures with the signers' names and e-mails and their
    answers to the type's extra signer fields (one column per question, flattened
    as the surveys' exports): personal data, for the staff only. Every cell goes
    through the formula guard (SafeWriter)."""
    found = _load(request, initiative_id)
    questions = services.signer_questions(found.type)
    answer_columns = questionnaire_exports.columns(questions)
    signatures = list(Signature.objects.filter(initiative=found).select_related("user", "sheet").order_by("pk"))
    answers = questionnaire_exports.answers_of(
        signature.answer_set_id for signature in signatures if signature.answer_set_id
    )
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(
        [
            "number",
            "channel",
            "name",
            "email",
            "signed_on",
            "sheet",
            "line",
            "struck_reason",
            *(title for title, _cell in answer_columns),
        ]
    )
    for signature in signatures:
        name, email = _signer(signature)
        given = answers.get(signature.answer_set_id, {})
        writer.writerow(
            [
                signature.pk,
                signature.channel,
                name,
                email,
                signature.signed_on.isoformat(),
                signature.sheet.number if signature.sheet_id else "",
                signature.line or "",
                signature.struck_reason,
                *(cell(given) if signature.answer_set_id else "" for _title, cell in answer_columns),
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="initiative-{found.pk}-signatures.csv"'
    return response
