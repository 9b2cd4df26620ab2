"""Back-office screens of ideas: the list with filters and bulk actions, an
idea with its answer and evaluations, the evaluation grid, the states,
custom fields and criteria, the CSV import of answers and the exports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora import permissions
from agora.components.proposals.evaluation import exports, selectors, services
from agora.components.proposals.evaluation.access import evaluation_view, manage_view
from agora.components.proposals.evaluation.forms import (
    AnswerForm,
    BulkForm,
    CriterionForm,
    CustomFieldForm,
    EvaluationForm,
    ImportForm,
    ProposalFilterForm,
    StateForm,
)
from agora.components.proposals.evaluation.models import AnswerImport, Criterion
from agora.components.proposals.models import CustomField, ProposalState
from agora.core.numbers import parse_id

PER_PAGE = 50


def _context(request, **extra):
    return {"space": request.space, "component": request.component, "bo_section": "spaces",
            "can_manage": request.can_manage, **extra}


def _url(request, name, **kwargs):
    return reverse(f"proposals_admin:{name}", kwargs={"space_id": request.space.pk,
                                                      "component_id": request.component.pk, **kwargs})


def _error_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


# --- the list --------------------------------------------------------------------------


def _render_index(request, bulk_form=None, status=200):
    component = request.component
    manager = request.can_manage
    if manager:
        services.ensure_default_states(component)
    states = selectors.states(component)
    evaluators = selectors.evaluators_of(component) if manager else []
    filter_form = ProposalFilterForm(request.GET or None, component=component, states=states,
                                     evaluators=evaluators, with_evaluator=manager)
    queryset = selectors.backoffice_proposals(component, request.user, assigned_only=not manager)
    if filter_form.is_bound and filter_form.is_valid():
        queryset = selectors.filter_proposals(queryset, filter_form.cleaned_data)
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    proposals = list(page.object_list)
    ids = [proposal.pk for proposal in proposals]
    assigned = selectors.assignments_by_proposal(ids)
    summaries = selectors.summaries(ids)
    for proposal in proposals:
        proposal.component = component
        proposal.evaluators = assigned.get(proposal.pk, [])
        proposal.summary = summaries[proposal.pk]
        proposal.pending = bool(proposal.answered_at and (
            proposal.answer_published_at is None or proposal.answered_at > proposal.answer_published_at))
    if manager and bulk_form is None:
        bulk_form = BulkForm(component=component, proposal_ids=ids, evaluators=evaluators)
    query = request.GET.copy()
    query.pop("page", None)
    selected = set(bulk_form.data.getlist("proposals")) if bulk_form is not None and bulk_form.is_bound else set()
    for proposal in proposals:
        proposal.selected = str(proposal.pk) in selected
    colours = {state.pk: state.text_colour for state in states}
    for proposal in proposals:
        for attribute in ("state", "published_state"):
            state = getattr(proposal, attribute)
            if state is not None:
                state.text_colour = colours.get(state.pk, selectors.badge_text_colour(state.colour))
    return render(request, "proposal_evaluation/list.html", _context(
        request, filter_form=filter_form, bulk_form=bulk_form, page=page, proposals=proposals,
        query=query.urlencode(), states=states, tab="list",
    ), status=status)


@evaluation_view
def index(request):
    return _render_index(request)


@manage_view(post_only=True)
def bulk(request):
    component = request.component
    evaluators = selectors.evaluators_of(component)
    candidate_ids = list(
        selectors.backoffice_proposals(component).filter(
            pk__in=[pk for pk in map(parse_id, request.POST.getlist("proposals")) if pk is not None]
        ).values_list("pk", flat=True)
    )
    form = BulkForm(request.POST, component=component, proposal_ids=candidate_ids, evaluators=evaluators)
    if not form.is_valid():
        return _render_index(request, bulk_form=form, status=400)
    proposals = list(selectors.backoffice_proposals(component).filter(pk__in=form.cleaned_data["proposals"]))
    action, data = form.cleaned_data["action"], form.cleaned_data
    try:
        if action == "publish":
            count = services.publish_answers(actor=request.user, component=component, proposals=proposals)
            message = ngettext("%(count)s answer published.", "%(count)s answers published.", count)
        elif action == "assign":
            count = services.assign_evaluators(actor=request.user, component=component, proposals=proposals,
                                               evaluators=list(data["evaluators"]))
            message = ngettext("%(count)s assignment made.", "%(count)s assignments made.", count)
        elif action == "unassign":
            count = services.unassign_evaluators(actor=request.user, component=component, proposals=proposals,
                                                 evaluators=list(data["evaluators"]))
            message = ngettext("%(count)s assignment removed.", "%(count)s assignments removed.", count)
        else:
            count = services.bulk_update(actor=request.user, component=component, proposals=proposals,
                                         **{action: data[action]})
            message = ngettext("%(count)s idea changed.", "%(count)s ideas changed.", count)
    except ValidationError as error:
        for text in _error_messages(error):
            form.add_error(None, text)
        return _render_index(request, bulk_form=form, status=400)
    messages.success(request, message % {"count": count})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(_url(request, "index"))


# --- one idea --------------------------------------------------------------------------


def _proposal_or_404(request, proposal_id):
    queryset = selectors.backoffice_proposals(request.component, request.user,
                                              assigned_only=not request.can_manage)
    proposal = queryset.filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404
    proposal.component = request.component
    return proposal


def _custom_values(component, proposal):
    rows = []
    values = proposal.custom_values or {}
    for custom_field in selectors.custom_fields(component):
        value = exports._custom_value(custom_field, values.get(custom_field.key))
        rows.append({"field": custom_field, "value": value})
    return rows


@evaluation_view
def detail(request, proposal_id):
    proposal = _proposal_or_404(request, proposal_id)
    component = request.component
    evaluations = list(selectors.evaluations_of(proposal, None if request.can_manage else request.user))
    by_evaluator = {}
    for evaluation in evaluations:
        by_evaluator.setdefault(evaluation.evaluator, []).append(evaluation)
    for state in (proposal.state, proposal.published_state):
        if state is not None:
            state.text_colour = selectors.badge_text_colour(state.colour)
    return render(request, "proposal_evaluation/detail.html", _context(
        request, proposal=proposal, custom_values=_custom_values(component, proposal),
        evaluations_by_evaluator=by_evaluator,
        summary=selectors.summaries([proposal.pk])[proposal.pk],
        evaluators=selectors.assignments_by_proposal([proposal.pk]).get(proposal.pk, []),
        can_evaluate=bool(permissions.can(request.user, "proposal_evaluation.evaluate", proposal)),
        tab="list",
    ))


@manage_view
def answer(request, proposal_id):
    proposal = _proposal_or_404(request, proposal_id)
    component = request.component
    services.ensure_default_states(component)
    posting = request.method == "POST"
    form = AnswerForm(request.POST if posting else None, instance=proposal, component=component,
                      organization=request.organization,
                      initial={"publish": False})
    if posting and form.is_valid():
        try:
            services.answer_proposal(
                actor=request.user, proposal=proposal, state=form.cleaned_data["state"],
                answer=form.translated_value("answer"), publish=form.cleaned_data["publish"],
            )
        except ValidationError as error:
            for text in _error_messages(error):
                form.add_error(None, text)
        else:
            messages.success(request, _("The answer has been published.") if form.cleaned_data["publish"]
                             else _("The answer has been saved; it is not published yet."))
            return redirect(_url(request, "detail", proposal_id=proposal.pk))
    return render(request, "proposal_evaluation/answer.html", _context(request, form=form, proposal=proposal,
                                                                       tab="list"),
                  status=400 if posting else 200)


@evaluation_view
def evaluate(request, proposal_id):
    proposal = _proposal_or_404(request, proposal_id)
    decision = permissions.can(request.user, "proposal_evaluation.evaluate", proposal)
    if not decision:
        raise Http404
    criteria = selectors.criteria(request.component)
    existing = {e.criterion_id: e for e in selectors.evaluations_of(proposal, request.user)}
    posting = request.method == "POST"
    form = EvaluationForm(request.POST if posting else None, criteria=criteria, existing=existing)
    if posting and criteria and form.is_valid():
        try:
            services.save_evaluation(actor=request.user, proposal=proposal, values=form.values())
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                for text in _error_messages(error):
                    form.add_error(None, text)
        except permissions.PermissionDenied as refusal:
            form.add_error(None, refusal.decision.reason)
        else:
            messages.success(request, _("Your evaluation has been saved."))
            return redirect(_url(request, "detail", proposal_id=proposal.pk))
    return render(request, "proposal_evaluation/evaluate.html", _context(
        request, form=form, proposal=proposal, criteria=criteria, tab="list",
    ), status=400 if posting else 200)


# --- states, custom fields, criteria: one pattern --------------------------------------


class _Catalogue:
    def __init__(self, *, name, model, form_class, kwarg, title, new_title, edit_title, save, delete, move,
                 save_kwargs):
        self.name, self.model, self.form_class, self.kwarg = name, model, form_class, kwarg
        self.title, self.new_title, self.edit_title = title, new_title, edit_title
        self.save, self.delete, self.move, self.save_kwargs = save, delete, move, save_kwargs


def _save_state_kwargs(form):
    return {"token": form.cleaned_data["token"], "name": form.translated_value("name"),
            "colour": form.cleaned_data["colour"], "meaning": form.cleaned_data["meaning"]}


def _save_field_kwargs(form):
    return {"key": form.cleaned_data["key"], "label": form.translated_value("label"),
            "help_text": form.translated_value("help_text"), "kind": form.cleaned_data["kind"],
            "choices": form.cleaned_data.get("choices", []), "required": form.cleaned_data["required"],
            "confidential": form.cleaned_data["confidential"]}


def _save_criterion_kwargs(form):
    return {"label": form.translated_value("label"), "help_text": form.translated_value("help_text"),
            "kind": form.cleaned_data["kind"], "required": form.cleaned_data["required"]}


CATALOGUES = {
    "states": _Catalogue(
        name="states", model=ProposalState, form_class=StateForm, kwarg="state",
        title=_("States of the answers"), new_title=_("New state"), edit_title=_("Edit the state"),
        save=services.save_state, delete=services.delete_state, move=services.move_state,
        save_kwargs=_save_state_kwargs,
    ),
    "fields": _Catalogue(
        name="fields", model=CustomField, form_class=CustomFieldForm, kwarg="custom_field",
        title=_("Custom fields of the idea form"), new_title=_("New custom field"),
        edit_title=_("Edit the custom field"),
        save=services.save_custom_field, delete=services.delete_custom_field, move=services.move_custom_field,
        save_kwargs=_save_field_kwargs,
    ),
    "criteria": _Catalogue(
        name="criteria", model=Criterion, form_class=CriterionForm, kwarg="criterion",
        title=_("Evaluation grid"), new_title=_("New criterion"), edit_title=_("Edit the criterion"),
        save=services.save_criterion, delete=services.delete_criterion, move=services.move_criterion,
        save_kwargs=_save_criterion_kwargs,
    ),
}


def _item_or_404(request, catalogue, item_id):
    item = catalogue.model.objects.filter(pk=item_id, component=request.component).first()
    if item is None:
        raise Http404
    item.component = request.component
    return item


def _catalogue_list(request, name):
    catalogue = CATALOGUES[name]
    if name == "states":
        services.ensure_default_states(request.component)
    items = list(catalogue.model.objects.filter(component=request.component))
    for item in items:
        if name == "states":
            item.text_colour = selectors.badge_text_colour(item.colour)
    return render(request, f"proposal_evaluation/{name}.html", _context(
        request, items=items, catalogue=catalogue, tab=name,
    ))


def _catalogue_form(request, name, item=None):
    catalogue = CATALOGUES[name]
    posting = request.method == "POST"
    instance = item or catalogue.model(component=request.component)
    form = catalogue.form_class(request.POST if posting else None, instance=instance,
                                organization=request.organization)
    if posting and form.is_valid():
        try:
            catalogue.save(actor=request.user, component=request.component,
                           **{catalogue.kwarg: item}, **catalogue.save_kwargs(form))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field_name, errors in error.message_dict.items():
                    form.add_error(field_name if field_name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_url(request, name))
    return render(request, "proposal_evaluation/item_form.html", _context(
        request, form=form, item=item, catalogue=catalogue, tab=name,
    ), status=400 if posting else 200)


def _catalogue_delete(request, name, item_id):
    catalogue = CATALOGUES[name]
    item = _item_or_404(request, catalogue, item_id)
    error = None
    if request.method == "POST":
        try:
            catalogue.delete(actor=request.user, **{catalogue.kwarg: item})
        except ValidationError as refusal:
            error = " ".join(_error_messages(refusal))
        else:
            messages.success(request, _("Deleted."))
            return redirect(_url(request, name))
    return render(request, "proposal_evaluation/delete.html", _context(
        request, item=item, catalogue=catalogue, error=error, tab=name,
    ), status=400 if error else 200)


def _catalogue_move(request, name, item_id):
    catalogue = CATALOGUES[name]
    item = _item_or_404(request, catalogue, item_id)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        catalogue.move(actor=request.user, **{catalogue.kwarg: item}, direction=direction)
    return redirect(_url(request, name))


@manage_view
def states(request):
    return _catalogue_list(request, "states")


@manage_view
def state_create(request):
    return _catalogue_form(request, "states")


@manage_view
def state_edit(request, proposalstate_id):
    return _catalogue_form(request, "states", _item_or_404(request, CATALOGUES["states"], proposalstate_id))


@manage_view
def state_delete(request, proposalstate_id):
    return _catalogue_delete(request, "states", proposalstate_id)


@manage_view(post_only=True)
def state_move(request, proposalstate_id):
    return _catalogue_move(request, "states", proposalstate_id)


@manage_view
def fields(request):
    return _catalogue_list(request, "fields")


@manage_view
def field_create(request):
    return _catalogue_form(request, "fields")


@manage_view
def field_edit(request, customfield_id):
    return _catalogue_form(request, "fields", _item_or_404(request, CATALOGUES["fields"], customfield_id))


@manage_view
def field_delete(request, customfield_id):
    return _catalogue_delete(request, "fields", customfield_id)


@manage_view(post_only=True)
def field_move(request, customfield_id):
    return _catalogue_move(request, "fields", customfield_id)


@manage_view
def criteria(request):
    return _catalogue_list(request, "criteria")


@manage_view
def criterion_create(request):
    return _catalogue_form(request, "criteria")


@manage_view
def criterion_edit(request, criterion_id):
    return _catalogue_form(request, "criteria", _item_or_404(request, CATALOGUES["criteria"], criterion_id))


@manage_view
def criterion_delete(request, criterion_id):
    return _catalogue_delete(request, "criteria", criterion_id)


@manage_view(post_only=True)
def criterion_move(request, criterion_id):
    return _catalogue_move(request, "criteria", criterion_id)


# --- import and export -----------------------------------------------------------------


@manage_view
def import_answers(request):
    posting = request.method == "POST"
    form = ImportForm(request.POST if posting else None, request.FILES if posting else None)
    errors = []
    if posting and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored, plan = services.upload_answer_import(
                actor=request.user, component=request.component, data=upload.read(), filename=upload.name,
            )
        except services.AnswerImportError as refusal:
            errors = refusal.errors
        else:
            return redirect(_url(request, "import_preview", answerimport_id=stored.pk))
    return render(request, "proposal_evaluation/import.html", _context(
        request, form=form, errors=errors, languages=request.organization.languages, tab="import",
    ), status=400 if posting else 200)


@manage_view
def import_preview(request, answerimport_id):
    stored = AnswerImport.objects.filter(pk=answerimport_id, component=request.component).first()
    if stored is None:
        raise Http404
    stored.component = request.component
    errors, plan = [], []
    if request.method == "POST" and stored.applied_at is None:
        try:
            count = services.apply_answer_import(actor=request.user, answer_import=stored)
        except services.AnswerImportError as refusal:
            errors = refusal.errors
        except ValidationError as refusal:
            errors = [(0, text) for text in _error_messages(refusal)]
        else:
            messages.success(request, ngettext("%(count)s answer imported.", "%(count)s answers imported.",
                                               count) % {"count": count})
            return redirect(_url(request, "index"))
    if stored.applied_at is None and not errors:
        try:
            plan = services.plan_answer_import(request.component, stored.content)
        except services.AnswerImportError as refusal:
            errors = refusal.errors
    return render(request, "proposal_evaluation/import_preview.html", _context(
        request, stored=stored, plan=plan, errors=errors, tab="import",
    ), status=400 if errors else 200)


def _staff_export(request, export_format):
    response, count = exports.render(request.component, export_format, staff=True)
    services.log_staff_export(actor=request.user, component=request.component, export_format=export_format,
                              count=count)
    return response


@manage_view
def export_csv(request):
    return _staff_export(request, "csv")


@manage_view
def export_json(request):
    return _staff_export(request, "json")


@manage_view
def export_xlsx(request):
    return _staff_export(request, "xlsx")
