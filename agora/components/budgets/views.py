from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from agora import permissions
from agora.components.access import component_context, component_view
from agora.components.budgets import hooks, selectors, services
from agora.components.budgets.ballot_rules import RuleSpec, check_ballot, meter
from agora.components.budgets.forms import ReceiptForm, read_choices
from agora.components.budgets.models import Ballot, Budget, receipt_check_url
from agora.components.budgets.selectors import project_infos
from agora.core import machine_translation
from agora.core.translations import translated
from agora.outbox.services import deliverable
from agora.web import sharing
from agora.web.access import refuse_public


@component_view
def index(request):
    budgets = selectors.component_budgets_with_projects(request.component)
    voted = set()
    if request.user.is_authenticated:
        voted = set(Ballot.objects.filter(budget__in=budgets, voter=request.user).values_list("budget_id", flat=True))
    mine = selectors.voter_budget_ids(request.component, request.user) if request.user.is_authenticated else set()
    for budget in budgets:
        budget.component = request.component
        budget.has_voted = budget.pk in voted
        budget.is_mine = budget.pk in mine
        budget.state = selectors.vote_state(budget)  # the same answer as the budget page and the rule
    # "The vote is open" only where a budget is open to votes: results published
    # close a budget's vote whatever the phase says.
    votes_open = any(budget.state == "open" for budget in budgets)
    return render(
        request,
        "budgets/index.html",
        component_context(
            request,
            budgets=[b for b in budgets if not b.imported_from],
            past_budgets=[b for b in budgets if b.imported_from],
            votes_open=votes_open,
            receipt_url=receipt_check_url(request.component),
            budget_choice=request.component.settings_of().budget_choice,
        ),
    )


def _budget_or_404(request, budget_id) -> Budget:
    budget = selectors.budget_for(request.component, budget_id)
    if budget is None:
        raise Http404
    return budget


def _ballot_context(request, budget, choices, problems, ballot=None, checked=False, not_recorded=False):
    """`choices`: what the form shows (what was posted, or the stored ballot);
    the marks "in your ballot" come from the stored ballot only, never from
    choices that were refused. `not_recorded`: the posted choices were refused
    because a ballot is already stored (another tab, another device)."""
    projects = selectors.projects_of(budget)
    infos = {p.pk: p for p in projects}
    spec = RuleSpec.of(budget)

    figures = meter(spec, project_infos(budget), choices)
    stored = selectors.choices_of(ballot)
    for project in projects:
        project.choice = choices.get(project.pk)
        project.stored_choice = stored.get(project.pk)
    decision = permissions.can(request.user, "budgets.vote", budget)
    withdrawal, incompatible_pairs = selectors.ballot_page_notes(budget)
    return component_context(
        request,
        budget=budget,
        projects=projects,
        choices=choices,
        problems=problems,
        meter=figures,
        spec=spec,
        ballot=ballot,
        decision=decision,
        checked=checked and not problems,
        validation=request.component.settings_of().validation,
        known=infos,
        not_recorded=not_recorded,
        chosen=[p for p in projects if p.pk in choices],
        ranks=range(1, budget.rank_k + 1),
        vote_state=selectors.vote_state(budget),
        withdrawal=withdrawal,
        tie_draw_projects=[infos[pk] for pk in budget.tie_draw or [] if pk in infos],
        incompatible_pairs=incompatible_pairs,
        **_map_context(projects),
    )


def _map_context(projects) -> dict:
    """The located projects for the map beside the ballot and its list."""
    return {
        "map_points": selectors.map_points(projects),
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
    }


def _summary_first(request) -> bool:
    """A final ballot (the "confirm" validation) is shown in a summary to confirm
    or change before it is recorded, as Decidim's confirmation step. Not at a
    desk (the agent's flow is unchanged) nor for a changeable ballot."""
    return request.component.settings_of().validation != "auto" and not getattr(request, "desk_agent", None)


def _summary(request, budget, choices, refused):
    """The server-rendered step before a final vote: the choices, their total,
    "confirm" or "change" (works without JavaScript; the choices travel in
    hidden fields and are checked again when confirmed)."""
    decision = permissions.can(request.user, "budgets.vote", budget)
    if not decision:
        return refused(decision)
    spec = RuleSpec.of(budget)
    problems = check_ballot(spec, selectors.project_infos(budget), choices)
    if problems:
        return render(
            request, "budgets/budget.html", _ballot_context(request, budget, choices, problems, None), status=400
        )
    projects = selectors.projects_of(budget)
    chosen = [project for project in projects if project.pk in choices]
    for project in chosen:
        project.choice = choices[project.pk]
    if spec.rule == Budget.Rule.RANKING:
        chosen.sort(key=lambda project: project.choice)
    return render(
        request,
        "budgets/summary.html",
        component_context(
            request,
            budget=budget,
            chosen=chosen,
            spec=spec,
            meter=meter(spec, selectors.project_infos(budget), choices),
            total_cost=sum(project.cost for project in chosen),
        ),
    )


def _stored_ballot_page(request, budget, ballot):
    """The posted choices were not recorded: a ballot is already stored for this
    person. The page shows that ballot (the one that counts) and says why."""
    return render(
        request,
        "budgets/budget.html",
        _ballot_context(request, budget, selectors.choices_of(ballot), [], ballot, not_recorded=True),
        status=409,
    )


@component_view
def budget_detail(request, budget_id):
    budget = _budget_or_404(request, budget_id)
    if request.method != "POST":
        if budget.tie_drawn_at is None and selectors.vote_state(budget) == "open":
            services.draw_tie_order(budget)  # drawn when the vote opens, published below
        ballot = selectors.ballot_of(budget, request.user)
        return render(
            request, "budgets/budget.html", _ballot_context(request, budget, selectors.choices_of(ballot), [], ballot)
        )

    def refused(decision):
        return refuse_public(request, decision, next_url=budget.get_absolute_url())

    stored = selectors.ballot_of(budget, request.user)
    if stored is not None and request.component.settings_of().validation != "auto":
        # A final ballot is stored (a second tab, another device): nothing posted can
        # replace it, not even for a check.
        return _stored_ballot_page(request, budget, stored)
    choices, problems = read_choices(budget, request.POST, set(selectors.project_infos(budget)))
    if "change" in request.POST:  # back from the summary: the ballot with these choices, to change them
        decision = permissions.can(request.user, "budgets.vote", budget)
        if not decision:
            return refused(decision)
        return render(
            request,
            "budgets/budget.html",
            _ballot_context(request, budget, choices, problems, stored),
            status=400 if problems else 200,
        )
    if "check" in request.POST or problems:
        decision = permissions.can(request.user, "budgets.vote", budget)
        if not decision:
            return refused(decision)
        problems = problems or check_ballot(RuleSpec.of(budget), selectors.project_infos(budget), choices)
        return render(
            request,
            "budgets/budget.html",
            _ballot_context(
                request, budget, choices, problems, selectors.ballot_of(budget, request.user), checked=True
            ),
            status=400 if problems else 200,
        )
    if _summary_first(request) and "confirm" not in request.POST:
        return _summary(request, budget, choices, refused)
    try:
        # The service asks the permission and checks the rule: one pass for a valid ballot.
        channel = Ballot.Channel.DESK if getattr(request, "desk_agent", None) else Ballot.Channel.ONLINE
        ballot = services.cast_ballot(actor=request.user, budget=budget, choices=choices, channel=channel)
    except permissions.PermissionDenied as denied:
        return refused(denied.decision)
    except services.BallotRefused as refusal:
        stored = selectors.ballot_of(budget, request.user)
        if stored is not None and any(problem.code == "already_voted" for problem in refusal.problems):
            return _stored_ballot_page(request, budget, stored)  # lost the race to another tab
        return render(
            request,
            "budgets/budget.html",
            _ballot_context(request, budget, choices, refusal.problems, selectors.ballot_of(budget, request.user)),
            status=400,
        )
    if receipt_emailed(ballot):
        messages.success(
            request,
            _("Your ballot is recorded. Your receipt code: %(code)s (also sent by e-mail).") % {"code": ballot.receipt},
        )
    else:  # a person without e-mail (at a desk): say so, and offer the printed receipt
        messages.success(
            request,
            _(
                "Your ballot is recorded. Your receipt code: %(code)s. No e-mail was sent: "
                "print the receipt or write the code down."
            )
            % {"code": ballot.receipt},
        )
    return redirect(budget.get_absolute_url())


def receipt_emailed(ballot) -> bool:
    """Whether the receipt of this ballot goes out by e-mail (tasks.queue_receipt):
    not for a person without an address (an account made at a desk)."""
    voter = ballot.voter
    return voter is not None and not voter.is_deleted and deliverable(voter.email)


@component_view
def my_receipt(request, budget_id):
    """The receipt of one's own ballot on a page of its own, to print: for a person
    without e-mail who votes at a desk (nothing was e-mailed), or anyone who wants
    it on paper. The receipt code, the vote, when and how the ballot was recorded and
    where to check the code; never the choices, as in the e-mailed receipt."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    budget = _budget_or_404(request, budget_id)
    ballot = selectors.ballot_of(budget, request.user)
    if ballot is None:
        raise Http404
    return render(
        request,
        "budgets/my_receipt.html",
        component_context(
            request,
            budget=budget,
            ballot=ballot,
            emailed=receipt_emailed(ballot),
            check_url=request.build_absolute_uri(budget.get_receipt_check_url()),
        ),
    )


@component_view
def receipt_check(request):
    """Anyone who may read the component checks that the ballot of a receipt code is
    stored and counted: the page says in which budget, through which channel and when,
    never the choices (a receipt must not let anyone prove how someone voted). POST,
    so that codes stay out of addresses, histories and access logs; a few tries per
    minute per address (ACCOUNT_RATE_LIMITS["receipt_check"]) as codes are guessed
    one request at a time."""
    form, ballot, status = ReceiptForm(request.POST or None), None, 200
    if request.method == "POST":
        if not ratelimit.consume(request, action="receipt_check"):
            form.is_valid()
            form.add_error(None, _("Too many checks from your connection: wait a minute and try again."))
            status = 429
        elif form.is_valid():
            ballot = selectors.ballot_for_receipt(request.component, form.cleaned_data["code"])
            if ballot is None:
                form.add_error(
                    "code",
                    _(
                        "No ballot of this vote has this receipt code. Check the code in your "
                        "e-mail or on your printed receipt; a ballot of another vote is checked "
                        "on that vote's page."
                    ),
                )
            else:
                ballot.budget.component = request.component
        else:
            status = 400
    return render(request, "budgets/receipt.html", component_context(request, form=form, ballot=ballot), status=status)


@component_view
def project_detail(request, budget_id, project_id):
    budget = _budget_or_404(request, budget_id)
    project = next((p for p in selectors.projects_of(budget) if p.pk == project_id), None)
    if project is None:
        raise Http404
    project.is_winner = project.pk in budget.winner_ids()
    translated_texts = machine_translation.show(request, [project], ("title", "description"))
    ideas = list(project.proposals.published().visible())
    for idea in ideas:
        try:
            idea.url = idea.get_absolute_url()
        except NoReverseMatch:  # the ideas component has no public page
            idea.url = ""
    return render(
        request,
        "budgets/project.html",
        component_context(
            request,
            budget=budget,
            project=project,
            ideas=ideas,
            **translated_texts,
            **sharing.share_context(
                request,
                title=translated(project.title),
                description=translated(project.description),
                picture=project.picture(wanted=1200) if project.image else None,
                url=project.get_absolute_url(),
                embed_url=reverse(
                    "budgets:embed", kwargs={**request.component.url_kwargs(), "resource_id": project.pk}
                ),
            ),
            tiles_url=settings.MAP_TILES_URL,
            tiles_attribution=settings.MAP_TILES_ATTRIBUTION,
        ),
    )


def result_rows(budget, projects, result):
    """Rows of the results table and chart, most votes first."""
    selected = [int(pk) for pk in result.get("selected", [])]
    order = {pk: position for position, pk in enumerate(selected, start=1)}
    by_votes = sorted(projects, key=lambda p: (-p.votes_total, -p.points_total, p.pk))
    top = max((p.votes_total for p in projects), default=0) or 1
    rows, spent = [], 0
    funded, excluded = set(result.get("funded", [])), set(result.get("excluded", []))
    left_out = result.get("left_out", {})
    titles = {str(p.pk): p.title for p in projects}
    for project in by_votes:
        project.is_winner = project.pk in order
        project.selection_order = order.get(project.pk)
        project.bar_percent = round(100 * project.votes_total / top, 1)
        # The city's decisions on the count, as frozen in the result.
        project.funded_by_decision = str(project.pk) in funded
        project.excluded_by_decision = str(project.pk) in excluded
        project.left_out_for = titles.get(left_out.get(str(project.pk)))
        rows.append(project)
    winners = [p for p in sorted(projects, key=lambda p: order.get(p.pk, 0)) if p.pk in order]
    for project in winners:
        project.spent_before = spent
        spent += project.cost
    envelope = budget.envelope or 1
    scale = max(envelope, spent) or 1
    for project in winners:
        project.left_percent = round(100 * project.spent_before / scale, 2)
        project.width_percent = round(100 * project.cost / scale, 2)
        project.centre_percent = round(100 * (project.spent_before + project.cost / 2) / scale, 2)
    decisions = [
        {"project": titles.get(item["project"]), "decision": item["decision"], "reason": item["reason"]}
        for item in result.get("overrides", [])
        if item["project"] in titles
    ]
    incompatibilities = [
        {
            "projects": [titles[pk] for pk in item["projects"] if pk in titles],
            "reason": item["reason"],
            "left_out": [titles[pk] for pk in item["projects"] if pk in left_out and pk in titles],
        }
        for item in result.get("incompatibilities", [])
    ]
    return {
        "rows": rows,
        "winners": winners,
        "spent": spent,
        "envelope_percent": round(100 * envelope / scale, 2),
        "remaining": budget.envelope - spent,
        "decisions": decisions,
        "incompatibilities": incompatibilities,
    }


@component_view
def results(request, budget_id):
    budget = _budget_or_404(request, budget_id)
    if not budget.results_published:
        raise Http404
    projects = selectors.projects_of(budget)
    return render(
        request,
        "budgets/results.html",
        component_context(
            request,
            budget=budget,
            totals=selectors.budget_totals(budget),
            public_log=selectors.public_log(budget, projects),
            record=selectors.open_record_summary(budget),
            **result_rows(budget, projects, budget.result),
        ),
    )


@component_view
def results_ballots(request, budget_id, export_format):
    """The open record of a published count: its anonymised ballots, as the
    pabulib file frozen at publication (anyone recounts it with pb_tally and
    gets the published winners) or as CSV (one line per ballot and project).
    No voter, receipt, public id, batch or station; ballots ordered by content."""
    budget = _budget_or_404(request, budget_id)
    record = selectors.open_record(budget) if budget.results_published else None
    if record is None:
        raise Http404
    if export_format == "csv":
        body, content_type = hooks.open_record_csv(record.pb_text), "text/csv; charset=utf-8"
    else:
        body, content_type = record.pb_text, "text/plain; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.pk}-ballots.{export_format}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
