"""The back-office of a sortitions component: sortitions, their pool and quotas, the
feasibility check, the selection (in the worker), the commit–reveal, the draw, the
replacements and the panel seated in a private assembly."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRefresh

from agora.components.sortitions import forms, selectors, services
from agora.components.sortitions.models import Draw, Party
from agora.core.translations import translated
from agora.questionnaires import builder
from agora.sortition import feasibility, pool
from agora.web.access import backoffice_view
from agora.web.views import call_service

MAX_FILE = 5 * 1024 * 1024


def _url(request, name, **kwargs):
    return reverse(
        f"sortitions_admin:{name}",
        kwargs={"space_id": request.space.pk, "component_id": request.component.pk, **kwargs},
    )


def _page(request, template, status=200, **extra):
    return render(
        request,
        template,
        {"space": request.space, "component": request.component, "bo_section": "spaces", **extra},
        status=status,
    )


def _sortition(request, sortition_id):
    found = selectors.sortitions_of(request.component).filter(pk=sortition_id).first()
    if found is None:
        raise Http404
    return found


def _draw(request, draw_id) -> Draw:
    found = Draw.objects.filter(pk=draw_id, sortition__component=request.component).select_related("sortition").first()
    if found is None:
        raise Http404
    return found


@backoffice_view("sortitions.manage", target="component")
def index(request):
    form = forms.SortitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created, refused = call_service(
            request, services.create_sortition, form=form, component=request.component, **form.cleaned_data
        )
        if refused is not None:
            return refused
        if created:
            messages.success(request, _("The sortition is created: import its pool and set its quotas."))
            return redirect(_url(request, "sortition", sortition_id=created.pk))
    return _page(
        request,
        "sortitions/admin/index.html",
        status=400 if form.is_bound else 200,
        sortitions=list(selectors.sortitions_of(request.component)),
        form=form,
    )


def _sortition_page(request, sortition, status=200, **forms_given):
    report = None
    conflicts, changes = [], []
    if sortition.volunteers.exists() and sortition.quotas.exists():
        try:
            report = services.check(sortition)
            conflicts = [feasibility.describe(c, _) for c in report.conflicts]
            changes = [feasibility.describe(c, _) for c in report.changes()]
        except pool.InstanceError as exc:
            conflicts = [str(exc)]
    drawn, seated, declined = services.current_panel(sortition)
    context = {
        "sortition": sortition,
        "quotas": list(sortition.quotas.all()),
        "volunteer_count": sortition.volunteers.count(),
        "report": report,
        "conflicts": conflicts,
        "changes": changes,
        "draws": list(sortition.draws.all()),
        "seated": seated,
        "declined": declined,
        "pool_form": forms_given.get("pool_form") or forms.PoolForm(),
        "quotas_form": forms_given.get("quotas_form")
        or forms.QuotasForm(
            initial={
                "lines": "\n".join(f"{q.feature},{q.value},{q.minimum},{q.maximum}" for q in sortition.quotas.all())
            }
        ),
        "registered": list(sortition.volunteers.filter(answer_set__isnull=False).order_by("ref")),
        "volunteer_url": reverse(
            "sortitions:volunteer",
            kwargs={
                "space_kind": request.space.url_prefix,
                "space_slug": request.space.slug,
                "component_id": request.component.pk,
                "sortition_id": sortition.pk,
            },
        ),
        "seat_form": forms_given.get("seat_form") or forms.SeatForm(organization=request.organization),
    }
    return _page(request, "sortitions/admin/sortition.html", status=status, **context)


@backoffice_view("sortitions.manage", target="component")
def sortition(request, sortition_id):
    return _sortition_page(request, _sortition(request, sortition_id))


@backoffice_view("sortitions.manage", target="component", post_only=True)
def registration(request, sortition_id):
    """Open (the form built from the features the first time) or close the volunteers' registration."""
    found = _sortition(request, sortition_id)
    if request.method == "POST":
        is_open = request.POST.get("open") == "1"
        done, refused = call_service(request, services.set_registration, sortition=found, is_open=is_open)
        if refused is not None:
            return refused
        if done:
            if is_open:
                messages.success(request, _("Registration is open: volunteers may register through the form."))
            else:
                messages.success(request, _("Registration is closed."))
    return redirect(_url(request, "sortition", sortition_id=found.pk))


def _import_summary(result: services.ImportResult) -> str:
    parts = [
        ngettext("%(n)s volunteer added", "%(n)s volunteers added", result.added) % {"n": result.added},
        ngettext("%(n)s updated", "%(n)s updated", result.updated) % {"n": result.updated},
        ngettext(
            "%(n)s registered through the form kept",
            "%(n)s registered through the form kept",
            result.kept,
        )
        % {"n": result.kept},
    ]
    if result.removed:
        parts.append(ngettext("%(n)s removed", "%(n)s removed", result.removed) % {"n": result.removed})
    return _("Pool imported: %(summary)s.") % {"summary": ", ".join(parts)}


@backoffice_view("sortitions.manage", target="component", post_only=True)
def import_pool(request, sortition_id):
    found = _sortition(request, sortition_id)
    if request.method != "POST":
        return redirect(_url(request, "sortition", sortition_id=found.pk))
    form = forms.PoolForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_FILE:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            else:
                result, refused = call_service(
                    request,
                    services.import_volunteers,
                    form=form,
                    sortition=found,
                    text=text,
                    remove_missing=form.cleaned_data["remove_missing"],
                )
                if refused is not None:
                    return refused
                if result:
                    messages.success(request, _import_summary(result))
                    return redirect(_url(request, "sortition", sortition_id=found.pk))
    return _sortition_page(request, found, status=400, pool_form=form)


@backoffice_view("sortitions.manage", target="component", post_only=True)
def set_quotas(request, sortition_id):
    found = _sortition(request, sortition_id)
    if request.method != "POST":
        return redirect(_url(request, "sortition", sortition_id=found.pk))
    form = forms.QuotasForm(request.POST)
    if form.is_valid():
        count, refused = call_service(
            request, services.set_quotas, form=form, sortition=found, text=form.cleaned_data["lines"]
        )
        if refused is not None:
            return refused
        if count:
            messages.success(request, _("%(n)s quotas saved.") % {"n": count})
            return redirect(_url(request, "sortition", sortition_id=found.pk))
    return _sortition_page(request, found, status=400, quotas_form=form)


def _post_action(request, found, service, success, **kwargs):
    if request.method != "POST":
        return redirect(_url(request, "sortition", sortition_id=found.pk))
    done, refused = call_service(request, service, **kwargs)
    if refused is not None:
        return refused
    if done:
        messages.success(request, success)
        if isinstance(done, Draw):
            return redirect(_url(request, "draw", draw_id=done.pk))
    return redirect(_url(request, "sortition", sortition_id=found.pk))


@backoffice_view("sortitions.manage", target="component", post_only=True)
def start_selection(request, sortition_id):
    found = _sortition(request, sortition_id)
    return _post_action(
        request,
        found,
        services.start_selection,
        _("The selection is computed in the background; this page shows its progress."),
        sortition=found,
    )


@backoffice_view("sortitions.manage", target="component", post_only=True)
def start_replacement(request, sortition_id):
    found = _sortition(request, sortition_id)
    return _post_action(
        request,
        found,
        services.start_replacement,
        _("The replacements are computed in the background on the remaining pool."),
        sortition=found,
    )


@backoffice_view("sortitions.manage", target="component", post_only=True)
def seat(request, sortition_id):
    found = _sortition(request, sortition_id)
    if request.method != "POST":
        return redirect(_url(request, "sortition", sortition_id=found.pk))
    form = forms.SeatForm(request.POST, organization=request.organization)
    if form.is_valid():
        added, refused = call_service(
            request, services.seat_panel, form=form, sortition=found, space=form.cleaned_data["space"]
        )
        if refused is not None:
            return refused
        if added:
            messages.success(request, _("The panel's members have been added to the assembly."))
            return redirect(_url(request, "sortition", sortition_id=found.pk))
    return _sortition_page(request, found, status=400, seat_form=form)


def _with_reveal_urls(request, draw):
    parties = list(draw.parties.all())
    for party in parties:
        party.reveal_url = _url(request, "reveal", draw_id=draw.pk, party_id=party.pk)
    return parties


def _draw_page(request, draw, status=200, **forms_given):
    parties = _with_reveal_urls(request, draw)
    return _page(
        request,
        "sortitions/admin/draw.html",
        status=status,
        sortition=draw.sortition,
        draw=draw,
        parties=parties,
        commitments_open=not any(p.secret is not None for p in parties),
        commit_url=_url(request, "commit", draw_id=draw.pk),
        fairness=selectors.fairness(draw),
        profile=selectors.profile(draw),
        rows=selectors.probability_rows(draw),
        commit_form=forms_given.get("commit_form") or forms.CommitForm(),
        draw_form=forms_given.get("draw_form") or forms.DrawForm(),
        decline_form=forms_given.get("decline_form") or forms.DeclineForm(),
        reveal_error=forms_given.get("reveal_error"),
        public_url=reverse(
            "sortitions:bundle",
            kwargs={
                "space_kind": request.space.url_prefix,
                "space_slug": request.space.slug,
                "component_id": request.component.pk,
                "sortition_id": draw.sortition_id,
            },
        ),
    )


@backoffice_view("sortitions.manage", target="component")
def draw(request, draw_id):
    found = _draw(request, draw_id)
    if request.htmx:  # the page polls its progress; once computed, the whole page is shown again
        if found.state in (Draw.State.PENDING, Draw.State.RUNNING):
            return render(
                request,
                "sortitions/admin/_draw_progress.html",
                {"space": request.space, "component": request.component, "draw": found},
            )
        return HttpResponseClientRefresh()
    return _draw_page(request, found)


def _drawing_form(request, back: str, page, form_class, name, service, success, arguments):
    """A form posted from a drawing's page (a panel draw or a drawing of ideas): the
    service called with `arguments(cleaned_data)`, then back to the page (`back`), or
    the page rendered again (`page`) with the form under `name` and its errors."""
    if request.method != "POST":
        return redirect(back)
    form = form_class(request.POST)
    if form.is_valid():
        done, refused = call_service(request, service, form=form, **arguments(form.cleaned_data))
        if refused is not None:
            return refused
        if done:
            messages.success(request, success)
            return redirect(back)
    return page(status=400, **{name: form})


def _draw_form(request, draw_id, form_class, name, service, success, extra):
    found = _draw(request, draw_id)
    return _drawing_form(
        request,
        _url(request, "draw", draw_id=found.pk),
        lambda **context: _draw_page(request, found, **context),
        form_class,
        name,
        service,
        success,
        lambda data: {"draw": found, **extra(data)},
    )


@backoffice_view("sortitions.manage", target="component", post_only=True)
def commit(request, draw_id):
    return _draw_form(
        request,
        draw_id,
        forms.CommitForm,
        "commit_form",
        services.add_party,
        _("The commitment is recorded and published."),
        lambda data: {"name": data["name"], "commitment": data["commitment"]},
    )


def _reveal(request, party, back: str, page):
    """A party's reveal, for a panel draw or a drawing of ideas: `back` is the
    drawing's page, `page` renders it again with the form's error."""
    if party is None:
        raise Http404
    if request.method != "POST":
        return redirect(back)
    form = forms.RevealForm(request.POST)
    if form.is_valid():
        done, refused = call_service(
            request, services.reveal, form=form, party=party, secret=form.cleaned_data["secret"]
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The secret matches the commitment."))
            return redirect(back)
    errors = [str(e) for errors in form.errors.values() for e in errors]
    return page(status=400, reveal_error=" ".join(errors))


@backoffice_view("sortitions.manage", target="component", post_only=True)
def reveal(request, draw_id, party_id):
    found = _draw(request, draw_id)
    return _reveal(
        request,
        Party.objects.filter(pk=party_id, draw=found).first(),
        _url(request, "draw", draw_id=found.pk),
        lambda **context: _draw_page(request, found, **context),
    )


@backoffice_view("sortitions.manage", target="component", post_only=True)
def perform(request, draw_id):
    return _draw_form(
        request,
        draw_id,
        forms.DrawForm,
        "draw_form",
        services.perform_draw,
        _("The panel is drawn; the verification bundle is published."),
        lambda data: {"public_value": data["public_value"]},
    )


@backoffice_view("sortitions.manage", target="component", post_only=True)
def decline(request, draw_id):
    return _draw_form(
        request,
        draw_id,
        forms.DeclineForm,
        "decline_form",
        services.record_declines,
        _("Recorded: they can now be replaced."),
        lambda data: {"refs": data["refs"].split()},
    )


def _idea_draw(request, idea_draw_id):
    found = selectors.idea_draws_of(request.component).filter(pk=idea_draw_id).first()
    if found is None:
        raise Http404
    return found


@backoffice_view("sortitions.manage", target="component")
def idea_draws(request):
    """Drawings of ideas: the list and a new one (its candidates frozen and published)."""
    form = forms.IdeaDrawForm(request.POST or None, space=request.space)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        category = data.get("category")
        created, refused = call_service(
            request,
            services.create_idea_draw,
            form=form,
            component=request.component,
            title=data["title"],
            source=data["source"],
            count=data["count"],
            category_id=category.pk if category else None,
            category_name=translated(category.name) if category else "",
            state_token=data.get("state") or "",
        )
        if refused is not None:
            return refused
        if created:
            messages.success(
                request,
                _(
                    "The candidate ideas and their hash are published: now record the parties' commitments, "
                    "and type the public value once it is known."
                ),
            )
            return redirect(_url(request, "idea_draw", idea_draw_id=created.pk))
    return _page(
        request,
        "sortitions/admin/idea_draws.html",
        status=400 if form.is_bound else 200,
        idea_draws=list(selectors.idea_draws_of(request.component)),
        form=form,
    )


def _idea_draw_page(request, found, status=200, **forms_given):
    parties = list(found.parties.all())
    for party in parties:
        party.reveal_url = _url(request, "idea_reveal", idea_draw_id=found.pk, party_id=party.pk)
    return _page(
        request,
        "sortitions/admin/idea_draw.html",
        status=status,
        idea_draw=found,
        rows=selectors.idea_rows(found),
        parties=parties,
        commitments_open=not any(p.secret is not None for p in parties),
        commit_url=_url(request, "idea_commit", idea_draw_id=found.pk),
        commit_form=forms_given.get("commit_form") or forms.CommitForm(),
        form=forms_given.get("form") or forms.DrawForm(),
        reveal_error=forms_given.get("reveal_error"),
        public_url=reverse(
            "sortitions:idea_draw",
            kwargs={
                "space_kind": request.space.url_prefix,
                "space_slug": request.space.slug,
                "component_id": request.component.pk,
                "idea_draw_id": found.pk,
            },
        ),
    )


@backoffice_view("sortitions.manage", target="component")
def idea_draw(request, idea_draw_id):
    """A drawing of ideas: its published candidates, the parties' commitments and reveals,
    and the draw (from the revealed secrets and/or a public value)."""
    found = _idea_draw(request, idea_draw_id)
    if request.method != "POST":
        return _idea_draw_page(request, found)
    return _idea_draw_form(
        request,
        found,
        forms.DrawForm,
        "form",
        services.perform_idea_draw,
        _("The ideas are drawn; the verification bundle is published."),
        lambda data: {"idea_draw": found, "public_value": data["public_value"]},
    )


def _idea_draw_form(request, found, form_class, name, service, success, arguments):
    return _drawing_form(
        request,
        _url(request, "idea_draw", idea_draw_id=found.pk),
        lambda **context: _idea_draw_page(request, found, **context),
        form_class,
        name,
        service,
        success,
        arguments,
    )


@backoffice_view("sortitions.manage", target="component", post_only=True)
def idea_commit(request, idea_draw_id):
    found = _idea_draw(request, idea_draw_id)
    return _idea_draw_form(
        request,
        found,
        forms.CommitForm,
        "commit_form",
        services.add_party,
        _("The commitment is recorded and published."),
        lambda data: {"draw": found, "name": data["name"], "commitment": data["commitment"]},
    )


@backoffice_view("sortitions.manage", target="component", post_only=True)
def idea_reveal(request, idea_draw_id, party_id):
    found = _idea_draw(request, idea_draw_id)
    return _reveal(
        request,
        Party.objects.filter(pk=party_id, idea_draw=found).first(),
        _url(request, "idea_draw", idea_draw_id=found.pk),
        lambda **context: _idea_draw_page(request, found, **context),
    )


# --- the registration form (agora.questionnaires.builder, mounted in admin_urls): its texts can be corrected ---


def registration_form(request, sortition_id) -> builder.Owned:
    found = _sortition(request, sortition_id)
    return builder.Owned(found.questionnaire, title=found.title, context={"sortition": found})
