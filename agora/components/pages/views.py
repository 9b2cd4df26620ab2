from django.http import Http404
from django.shortcuts import render

from agora.components.access import component_context, component_view
from agora.components.pages import selectors
from agora.core.translations import translated
from agora.web import sharing


def _render_page(request, page):
    body, toc = selectors.with_table_of_contents(translated(page.body))
    show_toc = bool(request.component.settings_of().show_table_of_contents) and len(toc) > 1
    return render(
        request,
        "pages/detail.html",
        component_context(
            request,
            page=page,
            body=body,
            toc=toc if show_toc else [],
            **sharing.share_context(request, title=translated(page.title), description=body),
        ),
    )


@component_view
def index(request):
    pages = list(selectors.pages_of(request.component))
    if len(pages) == 1:
        return _render_page(request, pages[0])
    return render(request, "pages/index.html", component_context(request, pages=pages))


@component_view
def detail(request, slug):
    page = selectors.page_of(request.component, slug)
    if page is None:
        raise Http404
    page.component = request.component  # spare a query in get_absolute_url
    return _render_page(request, page)
