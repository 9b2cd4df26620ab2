"""Back-office screens of ideas: the list with filters and bulk actions, an
idea with its answer and evaluations, the evaluation grid, the states,
custom fields and criteria, the CSV import of answers and the exports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
from agora.core.translations import translated
from agora.web.ordered_list import Column, Labels, OrderedList

PER_PAGE = 50


def _context(request, **extra):
    return {
        "space": request.space,
        "component": request.component,
        "bo_section": "spaces",
        "can_manage": request.can_manage,
        **extra,
    }


def _url(request, name, **kwargs):
    return reverse(
        f"proposals_admin:{name}", kwargs={"space_id": request.space.pk, "component_id": request.component.pk, **kwargs}
    )


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
    filter_form = ProposalFilterForm(
        request.GET or None, component=component, states=states, evaluators=evaluators, with_evaluator=manager
    )
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
        proposal.pending = bool(
            proposal.answered_at
            and (proposal.answer_published_at is None or proposal.answered_at > proposal.answer_published_at)
        )
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
    return render(
        request,
        "proposal_evaluation/list.html",
        _context(
            request,
            filter_form=filter_form,
            bulk_form=bulk_form,
            page=page,
            proposals=proposals,
            query=query.urlencode(),
            states=states,
            tab="list",
        ),
        status=status,
    )


@evaluation_view
def index(request):
    return _render_index(request)


@manage_view(post_only=True)
def bulk(request):
    component = request.component
    evaluators = selectors.evaluators_of(component)
    candidate_ids = list(
        selectors.backoffice_proposals(component)
        .filter(pk__in=[pk for pk in map(parse_id, request.POST.getlist("proposals")) if pk is not None])
        .values_list("pk", flat=True)
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
            count = services.assign_evaluators(
                actor=request.user, component=component, proposals=proposals, evaluators=list(data["evaluators"])
            )
            message = ngettext("%(count)s assignment made.", "%(count)s assignments made.", count)
        elif action == "unassign":
            count = services.unassign_evaluators(
                actor=request.user, component=component, proposals=proposals, evaluators=list(data["evaluators"])
            )
            message = ngettext("%(count)s assignment removed.", "%(count)s assignments removed.", count)
        else:
            count = services.bulk_update(
                actor=request.user, component=component, proposals=proposals, **{action: data[action]}
            )
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
    queryset = selectors.backoffice_proposals(request.component, request.user, assigned_only=not request.can_manage)
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
    return render(
        request,
        "proposal_evaluation/detail.html",
        _context(
            request,
            proposal=proposal,
            custom_values=_custom_values(component, proposal),
            evaluations_by_evaluator=by_evaluator,
            summary=selectors.summaries([proposal.pk])[proposal.pk],
            evaluators=selectors.assignments_by_proposal([proposal.pk]).get(proposal.pk, []),
            can_evaluate=bool(permissions.can(request.user, "proposal_evaluation.evaluate", proposal)),
            tab="list",
        ),
    )


@manage_view
def answer(request, proposal_id):
    proposal = _proposal_or_404(request, proposal_id)
    component = request.component
    services.ensure_default_states(component)
    posting = request.method == "POST"
    form = AnswerForm(
        request.POST if posting else None,
        instance=proposal,
        component=component,
        organization=request.organization,
        initial={"publish": False},
    )
    if posting and form.is_valid():
        try:
            services.answer_proposal(
                actor=request.user,
                proposal=proposal,
                state=form.cleaned_data["state"],
                answer=form.translated_value("answer"),
                publish=form.cleaned_data["publish"],
            )
        except ValidationError as error:
            for text in _error_messages(error):
                form.add_error(None, text)
        else:
            messages.success(
                request,
                _("The answer has been published.")
                if form.cleaned_data["publish"]
                else _("The answer has been saved; it is not published yet."),
            )
            return redirect(_url(request, "detail", proposal_id=proposal.pk))
    return render(
        request,
        "proposal_evaluation/answer.html",
        _context(request, form=form, proposal=proposal, tab="list"),
        status=400 if posting else 200,
    )


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
    return render(
        request,
        "proposal_evaluation/evaluate.html",
        _context(
            request,
            form=form,
            proposal=proposal,
            criteria=criteria,
            tab="list",
        ),
        status=400 if posting else 200,
    )


# --- states, custom fields, criteria: ordered lists (agora.web.ordered_list) -----------


class _Catalogue(OrderedList):
    """States, custom fields and criteria: one save service per kind (create
    and edit), a delete and a move; the screens of the space's administrators."""

    namespace = "proposals_admin"
    invalid_status = 400  # like every form of the ideas' back-office
    templates = {"form": "proposal_evaluation/item_form.html", "delete": "proposal_evaluation/delete.html"}
    tab = ""
    model: type[Model]
    kwarg = ""  # the item's argument name in the services

    def access(self, post_only=False):
        return manage_view(post_only=post_only)

    def context(self, request, **extra):
        return {"can_manage": request.can_manage, "tab": self.tab, **extra}

    def queryset(self, request):
        return self.model.objects.filter(component=request.component)

    def fields(self, form) -> dict:
        raise NotImplementedError

    def create(self, request, form):
        return self.save(actor=request.user, component=request.component, **{self.kwarg: None}, **self.fields(form))

    def update(self, request, item, form):
        return self.save(actor=request.user, component=request.component, **{self.kwarg: item}, **self.fields(form))

    def delete(self, request, item):
        self.remove(actor=request.user, **{self.kwarg: item})

    def move(self, request, item, direction):
        self.reorder(actor=request.user, **{self.kwarg: item}, direction=direction)


class StateList(_Catalogue):
    tab, prefix, id_kwarg, model, kwarg = "states", "states/", "proposalstate_id", ProposalState, "state"
    names = {
        "list": "states",
        "create": "state_create",
        "edit": "state_edit",
        "delete": "state_delete",
        "move": "state_move",
    }
    form_class = StateForm
    save, remove, reorder = (
        staticmethod(services.save_state),
        staticmethod(services.delete_state),
        staticmethod(services.move_state),
    )
    columns = (
        Column(gettext_lazy("State"), template="proposal_evaluation/_badge_cell.html"),
        Column(gettext_lazy("Code"), template="proposal_evaluation/_token_cell.html"),
        Column(gettext_lazy("Meaning"), lambda state: state.get_meaning_display()),
        Column(gettext_lazy("Colour"), template="proposal_evaluation/_colour_cell.html"),
    )
    labels = Labels(
        title=gettext_lazy("States of the answers"),
        new=gettext_lazy("New state"),
        edit=gettext_lazy("Edit the state “%(title)s”"),
        caption=gettext_lazy("States, in the order shown to staff"),
    )
    templates = {**_Catalogue.templates, "list": "proposal_evaluation/states.html"}

    def queryset(self, request):
        services.ensure_default_states(request.component)
        return super().queryset(request)

    def fields(self, form):
        return {
            "token": form.cleaned_data["token"],
            "name": form.translated_value("name"),
            "colour": form.cleaned_data["colour"],
            "meaning": form.cleaned_data["meaning"],
        }


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


class FieldList(_Catalogue):
    tab, prefix, id_kwarg, model, kwarg = "fields", "fields/", "customfield_id", CustomField, "custom_field"
    names = {
        "list": "fields",
        "create": "field_create",
        "edit": "field_edit",
        "delete": "field_delete",
        "move": "field_move",
    }
    form_class = CustomFieldForm
    save, remove, reorder = (
        staticmethod(services.save_custom_field),
        staticmethod(services.delete_custom_field),
        staticmethod(services.move_custom_field),
    )
    columns = (
        Column(gettext_lazy("Label"), lambda field: translated(field.label)),
        Column(gettext_lazy("Code"), template="proposal_evaluation/_key_cell.html"),
        Column(
            gettext_lazy("Type"),
            lambda field: field.get_kind_display() + (f" ({len(field.choices)})" if field.kind == "choice" else ""),
        ),
        Column(gettext_lazy("Required"), lambda field: _yes_no(field.required)),
        Column(gettext_lazy("Confidential"), lambda field: _yes_no(field.confidential)),
    )
    labels = Labels(
        title=gettext_lazy("Custom fields of the idea form"),
        new=gettext_lazy("New custom field"),
        edit=gettext_lazy("Edit the custom field “%(title)s”"),
        caption=gettext_lazy("Custom fields, in the order of the form"),
        empty=gettext_lazy("No custom field yet."),
    )
    templates = {**_Catalogue.templates, "list": "proposal_evaluation/fields.html"}

    def fields(self, form):
        return {
            "key": form.cleaned_data["key"],
            "label": form.translated_value("label"),
            "help_text": form.translated_value("help_text"),
            "kind": form.cleaned_data["kind"],
            "choices": form.cleaned_data.get("choices", []),
            "required": form.cleaned_data["required"],
            "confidential": form.cleaned_data["confidential"],
        }


class CriterionList(_Catalogue):
    tab, prefix, id_kwarg, model, kwarg = "criteria", "criteria/", "criterion_id", Criterion, "criterion"
    names = {
        "list": "criteria",
        "create": "criterion_create",
        "edit": "criterion_edit",
        "delete": "criterion_delete",
        "move": "criterion_move",
    }
    form_class = CriterionForm
    save, remove, reorder = (
        staticmethod(services.save_criterion),
        staticmethod(services.delete_criterion),
        staticmethod(services.move_criterion),
    )
    columns = (
        Column(gettext_lazy("Criterion"), lambda criterion: translated(criterion.label)),
        Column(gettext_lazy("Type"), lambda criterion: criterion.get_kind_display()),
        Column(gettext_lazy("Required"), lambda criterion: _yes_no(criterion.required)),
    )
    labels = Labels(
        title=gettext_lazy("Evaluation grid"),
        new=gettext_lazy("New criterion"),
        edit=gettext_lazy("Edit the criterion “%(title)s”"),
        caption=gettext_lazy("Criteria, in the order of the grid"),
        empty=gettext_lazy("The grid has no criterion yet."),
    )
    templates = {**_Catalogue.templates, "list": "proposal_evaluation/criteria.html"}

    def fields(self, form):
        return {
            "label": form.translated_value("label"),
            "help_text": form.translated_value("help_text"),
            "kind": form.cleaned_data["kind"],
            "required": form.cleaned_data["required"],
        }


STATES, FIELDS, CRITERIA = StateList(), FieldList(), CriterionList()


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
                actor=request.user,
                component=request.component,
                data=upload.read(),
                filename=upload.name,
            )
        except services.AnswerImportError as refusal:
            errors = refusal.errors
        else:
            return redirect(_url(request, "import_preview", answerimport_id=stored.pk))
    return render(
        request,
        "proposal_evaluation/import.html",
        _context(
            request,
            form=form,
            errors=errors,
            languages=request.organization.languages,
            tab="import",
        ),
        status=400 if posting else 200,
    )


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
            messages.success(
                request, ngettext("%(count)s answer imported.", "%(count)s answers imported.", count) % {"count": count}
            )
            return redirect(_url(request, "index"))
    if stored.applied_at is None and not errors:
        try:
            plan = services.plan_answer_import(request.component, stored.content)
        except services.AnswerImportError as refusal:
            errors = refusal.errors
    return render(
        request,
        "proposal_evaluation/import_preview.html",
        _context(
            request,
            stored=stored,
            plan=plan,
            errors=errors,
            tab="import",
        ),
        status=400 if errors else 200,
    )


def _staff_export(request, export_format):
    response, count = exports.render(request.component, export_format, staff=True)
    services.log_staff_export(actor=request.user, component=request.component, export_format=export_format, count=count)
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
