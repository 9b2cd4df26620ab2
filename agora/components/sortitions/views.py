"""Public pages: the sortitions, their published distributions, commitments and panels
(pseudonymous ids only) and the verification bundle."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render

from agora.components.access import component_context, component_view
from agora.components.sortitions import selectors, services
from agora.web import sharing


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
        request, "sortitions/detail.html", component_context(request, sortition=sortition, draws=draws, **share)
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
