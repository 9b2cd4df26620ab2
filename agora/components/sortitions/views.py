"""Public pages: the sortitions, their published distributions, commitments and panels
(pseudonymous ids only) and the verification bundle."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora import permissions
from agora.components.access import component_context, component_view
from agora.components.sortitions import selectors, services
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires.flow import Flow
from agora.questionnaires.services import AnswersRefused
from agora.web import sharing
from agora.web.access import refuse_public


def _sortition(request, sortition_id):
    found = selectors.sortitions_of(request.component).filter(pk=sortition_id).first()
    if found is None:
        raise Http404
    return found


@component_view
def index(request):
    return render(
        request,
        "sortitions/index.html",
        component_context(
            request,
            sortitions=list(selectors.sortitions_of(request.component)),
            idea_draws=list(selectors.idea_draws_of(request.component)),
        ),
    )


@component_view
def detail(request, sortition_id):
    sortition = _sortition(request, sortition_id)
    draws = list(selectors.published_draws(sortition))
    for draw in draws:
        draw.fairness = selectors.fairness(draw)
    share = sharing.share_context(request, title=sortition.title, url=request.path)
    return render(
        request,
        "sortitions/detail.html",
        component_context(
            request,
            sortition=sortition,
            draws=draws,
            registered=services.registration_of(sortition, request.user) is not None,
            **share,
        ),
    )


@component_view
def bundle(request, sortition_id):
    sortition = _sortition(request, sortition_id)
    data = json.dumps(services.bundle_of(sortition), ensure_ascii=False, indent=1)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sortition-{sortition.pk}-bundle.json"'
    return response


def _idea_draw(request, idea_draw_id):
    found = selectors.idea_draws_of(request.component).filter(pk=idea_draw_id).first()
    if found is None:
        raise Http404
    return found


@component_view
def idea_draw(request, idea_draw_id):
    found = _idea_draw(request, idea_draw_id)
    share = sharing.share_context(request, title=found.title, url=request.path)
    return render(
        request,
        "sortitions/idea_draw.html",
        component_context(request, idea_draw=found, rows=selectors.idea_rows(found), **share),
    )


@component_view
def idea_bundle(request, idea_draw_id):
    found = _idea_draw(request, idea_draw_id)
    data = json.dumps(services.idea_bundle(found), ensure_ascii=False, indent=1)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ideas-draw-{found.pk}-bundle.json"'
    return response


@component_view
def volunteer(request, sortition_id):
    """Register in the pool through its form (agora.questionnaires.flow): the features,
    the contact and the consent; once per person and pool."""
    sortition = _sortition(request, sortition_id)
    back = reverse(
        "sortitions:detail",
        kwargs={
            "space_kind": request.space.url_prefix,
            "space_slug": request.space.slug,
            "component_id": request.component.pk,
            "sortition_id": sortition.pk,
        },
    )
    if services.registration_of(sortition, request.user) is not None:
        messages.info(request, _("You are already registered in this pool."))
        return redirect(back)
    decision = permissions.can(request.user, "sortitions.volunteer", sortition)
    if not decision:
        return refuse_public(request, decision, next_url=back)
    flow = Flow(
        request,
        sortition.questionnaire,
        key=f"sortition:{sortition.pk}",
        questions=questionnaire_selectors.questions_of(sortition.questionnaire),
        submit_label=_("Register"),
    )
    status = 200
    if request.method == "POST":
        outcome = flow.post()
        if outcome.values is not None:
            try:
                services.register_volunteer(actor=request.user, sortition=sortition, values=outcome.values)
            except AnswersRefused as refusal:
                outcome, status = flow.refused(refusal.by_question), 400
            except ValidationError as error:
                if getattr(error, "code", "") == "already":
                    flow.forget()
                    messages.info(request, error.messages[0])
                    return redirect(back)
                for text in error.messages:
                    messages.error(request, text)
                outcome, status = flow.show("review" if flow.review_enabled else len(flow.pages) - 1), 400
            except permissions.PermissionDenied as refusal:
                return refuse_public(request, refusal.decision, next_url=back)
            else:
                flow.forget()
                messages.success(request, _("You are registered in the pool. You will be told if you are drawn."))
                return redirect(back)
        elif outcome.page is not None and outcome.page.errors:
            status = 400
    else:
        outcome = flow.show(request.GET.get("page", 0))
    return render(
        request,
        "sortitions/volunteer.html",
        component_context(
            request,
            sortition=sortition,
            flow=outcome.page,
            review=outcome.review,
            submit_label=flow.submit_label,
            back=back,
        ),
        status=status,
    )
