from django.shortcuts import render

from agora.components.registry import registry
from agora.spaces import selectors as space_selectors


def home(request):
    organization = request.organization
    return render(
        request,
        "core/home.html",
        {
            **space_selectors.home_processes(organization, request.user),
            "component_blocks": [
                block(request) for manifest in registry.all() if (block := manifest.hook(manifest.home_block))
            ],
        },
    )


def accessibility(request):
    """The organization's accessibility statement (RGAA model), filled in its back-office."""
    from agora.core.models import AccessibilityStatement

    statement = AccessibilityStatement.objects.filter(organization=request.organization).first()
    return render(request, "core/accessibility.html", {"statement": statement})


def search(request):
    from django.core.paginator import Paginator

    from agora.core.search import search as search_content

    query = request.GET.get("q", "").strip()[:200]
    results = search_content(request.organization, query) if query else []
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "core/search.html", {"query": query, "page": page, "count": len(results)})
