from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agora.components.access import component_admin_view
from agora.components.budgets import counting, hooks, selectors, services
from agora.components.budgets.ballot_rules import RuleSpec, meter
from agora.components.budgets.forms import (
    BudgetForm,
    IncompatibilityForm,
    OverrideForm,
    PaperBallotForm,
    ProjectForm,
    PublishForm,
    UploadForm,
    WithdrawForm,
    read_choices,
)
from agora.components.budgets.models import Budget, Incompatibility, Override, PaperImport, Project
from agora.components.budgets.views import result_rows
from agora.components.proposals import api as proposals_api
from agora.components.proposals.evaluation import api as evaluation_api
from agora.core.formats import money, number
from agora.core.numbers import parse_id, parse_int
from agora.web.ordered_list import Column, Labels, OrderedList


def _context(request, **extra):
    return {"space": request.space, "component": request.component, "bo_section": "spaces", **extra}


def _url(request, name, **kwargs):
    return reverse(
        f"budgets_admin:{name}", kwargs={"space_id": request.space.pk, "component_id": request.component.pk, **kwargs}
    )


def _budget_or_404(request, budget_id) -> Budget:
    budget = selectors.budget_for(request.component, budget_id)
    if budget is None:
        raise Http404
    return budget


def _project_or_404(request, budget, project_id) -> Project:
    project = Project.objects.filter(budget=budget, pk=project_id).first()
    if project is None:
        raise Http404
    project.budget = budget
    project.component = request.component
    return project


def _errors(form, error: ValidationError):
    for message in error.messages:
        form.add_error(None, message)


# --- the budgets: an ordered list (agora.web.ordered_list); their order is the "Order" field


class BudgetList(OrderedList):
    namespace, id_kwarg = "budgets_admin", "budget_id"
    names = {"list": "index", "create": "budget_create", "edit": "budget_edit", "delete": "budget_delete"}
    form_class = BudgetForm
    columns = (
        Column(gettext_lazy("Budget"), template="budgets/admin/_budget_title.html"),
        Column(gettext_lazy("Envelope"), lambda budget: money(budget.envelope)),
        Column(gettext_lazy("Rule"), lambda budget: f"{budget.get_rule_display()} — {budget.get_method_display()}"),
        Column(gettext_lazy("Ballots"), template="budgets/admin/_budget_ballots.html"),
        Column(
            gettext_lazy("Results"), lambda budget: _("Published") if budget.results_published else _("Not published")
        ),
    )
    labels = Labels(
        title=gettext_lazy("Budgets"),
        new=gettext_lazy("New budget"),
        edit=gettext_lazy("Settings of “%(title)s”"),
        delete=gettext_lazy("Delete the budget “%(title)s”"),
        delete_warning=gettext_lazy(
            "The budget and its projects will be deleted. A budget with ballots cannot be deleted."
        ),
        caption=gettext_lazy("Budgets"),
        empty=gettext_lazy("No budget yet."),
        created=gettext_lazy("The budget has been saved."),
        saved=gettext_lazy("The budget has been saved."),
        deleted=gettext_lazy("The budget has been deleted."),
    )
    templates = {"list": "budgets/admin/list.html", "form": "budgets/admin/budget_form.html"}

    def queryset(self, request):
        return selectors.all_budgets(request.component)

    def prepare(self, request, items):
        for budget in items:
            budget.totals = selectors.budget_totals(budget)

    def new_instance(self, request):
        return Budget(component=request.component, envelope=0)

    def form_kwargs(self, request, item):
        return {"organization": request.organization, "locked": self._locked(item)}

    def context(self, request, **extra):
        return {"locked": self._locked(extra.get("item")), **extra}

    @staticmethod
    def _locked(budget) -> bool:
        return budget is not None and services.voting_started(budget)

    def create(self, request, form):
        services.save_budget(actor=request.user, budget=form.instance)

    def update(self, request, item, form):
        services.save_budget(actor=request.user, budget=form.instance)

    def delete(self, request, item):
        services.delete_budget(actor=request.user, budget=item)


BUDGETS = BudgetList()


@component_admin_view
def project_list(request, budget_id):
    budget = _budget_or_404(request, budget_id)
    projects = selectors.projects_of(budget)
    winners = set(budget.winner_ids())
    for project in projects:
        project.is_winner = project.pk in winners
    return render(request, "budgets/admin/projects.html", _context(request, budget=budget, projects=projects))


def _accepted_ideas(component):
    return (
        proposals_api.accepted_ideas(space=component.space).select_related("published_state", "author").order_by("id")
    )


def _ideas_of_space(component):
    return proposals_api.filed_ideas(space=component.space).order_by("id")


def _save_project(request, budget, project):
    posting = request.method == "POST"
    form = ProjectForm(
        request.POST if posting else None,
        request.FILES if posting else None,
        instance=project,
        organization=request.organization,
        proposal_queryset=_ideas_of_space(request.component),
        cost_locked=project.pk is not None and services.voting_started(budget),
    )
    if posting and form.is_valid():
        not_located = form.locate(request.organization)
        try:
            services.save_project(
                actor=request.user,
                project=form.instance,
                image=form.image_change(),
                proposals=form.cleaned_data["proposals"],
                document=form.cleaned_data.get("document") or None,
                document_title=form.cleaned_data.get("document_title", ""),
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("The project has been saved."))
            if not_located:
                messages.warning(request, not_located)
            return redirect(_url(request, "projects", budget_id=budget.pk))
    return render(
        request, "budgets/admin/project_form.html", _context(request, form=form, budget=budget, project=project)
    )


@component_admin_view
def project_create(request, budget_id):
    budget = _budget_or_404(request, budget_id)
    return _save_project(request, budget, Project(budget=budget, component=request.component, cost=0))


@component_admin_view
def project_edit(request, budget_id, project_id):
    budget = _budget_or_404(request, budget_id)
    return _save_project(request, budget, _project_or_404(request, budget, project_id))


@component_admin_view
def project_delete(request, budget_id, project_id):
    budget = _budget_or_404(request, budget_id)
    project = _project_or_404(request, budget, project_id)
    if request.method == "POST":
        try:
            services.delete_project(actor=request.user, project=project)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The project has been deleted."))
        return redirect(_url(request, "projects", budget_id=budget.pk))
    return render(
        request,
        "backoffice/confirm.html",
        _context(
            request,
            title=_("Delete the project “%(title)s”") % {"title": project},
            question=_("A project with votes cannot be deleted."),
            submit=_("Delete"),
            cancel_url=_url(request, "projects", budget_id=budget.pk),
        ),
    )


@component_admin_view
def projects_from_ideas(request, budget_id):
    """Pick accepted ideas, check or enter their cost, create the projects in one action."""
    budget = _budget_or_404(request, budget_id)
    ideas = list(_accepted_ideas(request.component).exclude(budget_projects__budget=budget))
    estimates = evaluation_api.estimated_costs([idea.pk for idea in ideas])
    errors = []
    for idea in ideas:
        estimate = estimates.get(idea.pk)
        idea.estimate = int(round(estimate)) if estimate is not None else None
        idea.cost_value = request.POST.get(f"cost_{idea.pk}", "" if idea.estimate is None else idea.estimate)
        idea.picked = str(idea.pk) in request.POST.getlist("idea")
    if request.method == "POST":
        picked = [idea for idea in ideas if idea.picked]
        costs = {}
        for idea in picked:
            cost = parse_int(str(idea.cost_value).replace(" ", ""), minimum=0)
            if cost is None:
                errors.append((idea, _("Enter the cost of “%(title)s” in whole euros.") % {"title": idea.title}))
            else:
                costs[idea.pk] = cost
        if not picked:
            errors.append((None, _("Pick at least one idea.")))
        if not errors:
            try:
                created = services.projects_from_ideas(actor=request.user, budget=budget, proposals=picked, costs=costs)
            except ValidationError as error:
                errors += [(None, message) for message in error.messages]
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d project has been created; the idea's authors are told.",
                        "%(n)d projects have been created; the ideas' authors are told.",
                        len(created),
                    )
                    % {"n": len(created)},
                )
                return redirect(_url(request, "projects", budget_id=budget.pk))
    return render(
        request, "budgets/admin/from_ideas.html", _context(request, budget=budget, ideas=ideas, errors=errors)
    )


@component_admin_view
def paper_ballot(request, budget_id):
    """Enter one paper ballot, checked by the budget's rule."""
    budget = _budget_or_404(request, budget_id)
    projects = selectors.projects_of(budget)
    form = PaperBallotForm(request.POST or None)
    choices, problems = {}, []
    if request.method == "POST":
        choices, problems = read_choices(budget, request.POST, {p.pk for p in projects})
        if form.is_valid() and not problems:
            voter = None
            email = form.cleaned_data.get("voter_email")
            if email:
                voter = (
                    get_user_model()
                    .objects.filter(email__iexact=email, memberships__organization=request.organization)
                    .first()
                )
                if voter is None:
                    form.add_error("voter_email", _("No participant of this organization has this e-mail."))
            if not form.errors:
                try:
                    ballot = services.enter_paper_ballot(
                        actor=request.user,
                        budget=budget,
                        choices=choices,
                        reference=form.cleaned_data["reference"],
                        voter=voter,
                    )
                except services.BallotRefused as refused:
                    problems = refused.problems
                else:
                    messages.success(request, _("Paper ballot %(code)s recorded.") % {"code": ballot.receipt})
                    return redirect(_url(request, "paper", budget_id=budget.pk) + f"?reference={ballot.reference}")
    else:
        form = PaperBallotForm(initial={"reference": request.GET.get("reference", "")})
    for project in projects:
        project.choice = choices.get(project.pk)
    figures = meter(RuleSpec.of(budget), selectors.project_infos(budget), choices)
    return render(
        request,
        "budgets/admin/paper.html",
        _context(
            request,
            budget=budget,
            projects=projects,
            form=form,
            problems=problems,
            meter=figures,
            spec=RuleSpec.of(budget),
            ranks=range(1, budget.rank_k + 1),
            imports=PaperImport.objects.filter(budget=budget).select_related("imported_by"),
        ),
    )


@component_admin_view
def paper_import(request, budget_id):
    budget = _budget_or_404(request, budget_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            paper_import = services.import_paper_counts(
                actor=request.user, budget=budget, upload=form.cleaned_data["file"]
            )
        except services.ImportFailed as failed:
            errors = failed.errors
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d count imported (SHA-256 %(hash)s).",
                    "%(n)d counts imported (SHA-256 %(hash)s).",
                    paper_import.rows,
                )
                % {"n": paper_import.rows, "hash": paper_import.sha256},
            )
            return redirect(_url(request, "paper", budget_id=budget.pk))
    return render(
        request, "budgets/admin/paper_import.html", _context(request, budget=budget, form=form, errors=errors)
    )


def _count_failed(request, budget, error):
    messages.error(request, _("The count failed: %(error)s") % {"error": error})
    return redirect(_url(request, "projects", budget_id=budget.pk))


@component_admin_view
def results_preview(request, budget_id):
    """The officer previews the count, then publishes (or withdraws) it on a
    confirmation page that says what changes."""
    budget = _budget_or_404(request, budget_id)
    if request.method == "POST":  # the buttons of older pages: confirm first
        name = "results_withdraw" if "unpublish" in request.POST else "results_publish"
        return redirect(_url(request, name, budget_id=budget.pk))
    try:
        result = services.preview_results(actor=request.user, budget=budget)
    except ValueError as error:  # agora.tally.TallyError (no project, bad costs ...)
        return _count_failed(request, budget, error)
    projects = selectors.projects_of(budget)
    return render(
        request,
        "budgets/admin/results.html",
        _context(
            request,
            budget=budget,
            result=result,
            totals=selectors.budget_totals(budget),
            integrity=selectors.integrity_problems(budget),
            votes_open=bool(request.component.phase_settings_of().votes_enabled),
            changes=selectors.publication_changes(budget, result["selected"]),
            **result_rows(budget, projects, result),
        ),
    )


def _by_ids(projects, ids):
    by_id = {str(project.pk): project for project in projects}
    return [by_id[pk] for pk in ids if pk in by_id]


@component_admin_view
def results_publish(request, budget_id):
    """Confirm a publication: the winners, and when results are already public
    what changes (added, no longer selected, with their follow-up results),
    who is told, and (publishing again) the public reason."""
    budget = _budget_or_404(request, budget_id)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_results(
                actor=request.user,
                budget=budget,
                expected=form.cleaned_data["expected"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _errors(form, error)
        except ValueError as error:  # agora.tally.TallyError: the count itself refused the data
            return _count_failed(request, budget, error)
        else:
            messages.success(request, _("The results are published."))
            return redirect(_url(request, "results", budget_id=budget.pk))
    try:
        result = services.preview_results(actor=request.user, budget=budget)
    except ValueError as error:
        return _count_failed(request, budget, error)
    projects = selectors.projects_of(budget)
    changes = selectors.publication_changes(budget, result["selected"])
    if changes["first"]:
        form.fields.pop("reason")
    votes_open = services.vote_is_open(budget)
    return render(
        request,
        "budgets/admin/publish_confirm.html",
        _context(
            request,
            budget=budget,
            result=result,
            form=form,
            changes=changes,
            votes_open=votes_open,
            expected=",".join(result["selected"]),
            winners=_by_ids(projects, result["selected"]),
            added=_by_ids(projects, changes["added"]),
            dropped=_by_ids(projects, changes["dropped"]),
            kept=_by_ids(projects, changes["kept"]),
            voters=len(selectors.voter_ids_of_budget(budget)),
            total=result["total_cost"],
            integrity=selectors.integrity_problems(budget),
        ),
        status=400 if form.errors else 200,
    )


@component_admin_view
def results_withdraw(request, budget_id):
    """Confirm a withdrawal: the winners no longer selected (their follow-up
    results flagged), whether the vote opens again, the public reason."""
    budget = _budget_or_404(request, budget_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_results(actor=request.user, budget=budget, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("The results are withdrawn from the public page."))
            return redirect(_url(request, "results", budget_id=budget.pk))
    projects = selectors.projects_of(budget)
    return render(
        request,
        "budgets/admin/withdraw_confirm.html",
        _context(
            request,
            budget=budget,
            form=form,
            dropped=_by_ids(projects, [str(pk) for pk in budget.winner_ids()]),
            reopens=services.vote_is_open(budget),
            voters=len(selectors.voter_ids_of_budget(budget)),
        ),
        status=400 if form.errors else 200,
    )


@component_admin_view
def decisions(request, budget_id):
    """The city's decisions on the count: incompatible projects and overrides
    (funded or excluded whatever the votes), each with its public reason."""
    budget = _budget_or_404(request, budget_id)
    incompatible_form = IncompatibilityForm(budget=budget)
    override_form = OverrideForm(budget=budget)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_incompatibility":
                incompatible_form = IncompatibilityForm(request.POST, budget=budget)
                if incompatible_form.is_valid():
                    data = incompatible_form.cleaned_data
                    services.add_incompatibility(
                        actor=request.user,
                        budget=budget,
                        first=data["first"],
                        second=data["second"],
                        reason=data["reason"],
                    )
                    messages.success(request, _("The two projects are incompatible: the count funds at most one."))
                    return redirect(_url(request, "decisions", budget_id=budget.pk))
            elif action == "set_override":
                override_form = OverrideForm(request.POST, budget=budget)
                if override_form.is_valid():
                    data = override_form.cleaned_data
                    services.set_override(
                        actor=request.user,
                        budget=budget,
                        project=data["project"],
                        decision=data["decision"],
                        reason=data["reason"],
                    )
                    messages.success(
                        request, _("The decision is recorded. It applies when you publish the results (again).")
                    )
                    return redirect(_url(request, "decisions", budget_id=budget.pk))
            elif action == "remove_incompatibility":
                pair = Incompatibility.objects.filter(budget=budget, pk=parse_id(request.POST.get("id"))).first()
                if pair is not None:
                    services.remove_incompatibility(actor=request.user, incompatibility=pair)
                    messages.success(request, _("The incompatibility is withdrawn."))
                return redirect(_url(request, "decisions", budget_id=budget.pk))
            elif action == "remove_override":
                override = Override.objects.filter(budget=budget, pk=parse_id(request.POST.get("id"))).first()
                if override is not None:
                    services.remove_override(actor=request.user, override=override)
                    messages.success(request, _("The decision is withdrawn."))
                return redirect(_url(request, "decisions", budget_id=budget.pk))
        except ValidationError as error:
            form = incompatible_form if action == "add_incompatibility" else override_form
            _errors(form, error)
        status = 400
    return render(
        request,
        "budgets/admin/decisions.html",
        _context(
            request,
            budget=budget,
            incompatible_form=incompatible_form,
            override_form=override_form,
            votes_open=services.vote_is_open(budget),
            **selectors.decisions_of(budget),
        ),
        status=status,
    )


@component_admin_view
def results_compare(request, budget_id):
    """Greedy and equal shares side by side, after the vote (the published rule
    stays the one locked before the vote)."""
    budget = _budget_or_404(request, budget_id)
    if services.vote_is_open(budget):
        return render(request, "budgets/admin/compare.html", _context(request, budget=budget, votes_open=True))
    try:
        services.preview_results(actor=request.user, budget=budget)  # draws the tie order if needed
        rows = counting.compare(budget)
    except ValueError as error:
        return _count_failed(request, budget, error)
    projects = selectors.projects_of(budget)
    for project in projects:
        project.by_rule = []
        for row in rows:
            position = row["selected"].index(str(project.pk)) + 1 if str(project.pk) in row["selected"] else None
            project.by_rule.append(position)
        project.differs = len({position is None for position in project.by_rule}) > 1
    projects.sort(key=lambda p: (all(pos is None for pos in p.by_rule), -p.votes_total, p.pk))
    return render(
        request, "budgets/admin/compare.html", _context(request, budget=budget, rules=rows, projects=projects)
    )


@component_admin_view
def budget_export(request, budget_id, export_format):
    budget = _budget_or_404(request, budget_id)
    exporter = hooks.BUDGET_EXPORTS.get(export_format)
    if exporter is None:
        raise Http404
    services.log_export(actor=request.user, budget=budget, export_format=export_format)
    return exporter(budget)


@component_admin_view
def pabulib_import(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.import_pabulib(
                actor=request.user, component=request.component, upload=form.cleaned_data["file"]
            )
        except services.ImportFailed as failed:
            errors = failed.errors
        else:
            ballots = budget.ballots.count()
            messages.success(
                request,
                ngettext(
                    "The past edition is imported: %(n)s ballot.",
                    "The past edition is imported: %(n)s ballots.",
                    ballots,
                )
                % {"n": number(ballots)},
            )
            return redirect(_url(request, "results", budget_id=budget.pk))
    return render(request, "budgets/admin/pabulib_import.html", _context(request, form=form, errors=errors))
