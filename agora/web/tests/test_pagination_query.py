"""The back-office's pagination keeps a list's filters and search on every page,
whether the view names them or not."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def _links(url, **context):
    request = RequestFactory().get(url)
    page = Paginator(list(range(60)), 50).get_page(request.GET.get("page"))
    return render_to_string("backoffice/_pagination.html", {"page": page, **context}, request=request)


def test_the_requests_filters_stay_on_the_next_page():
    html = _links("/admin/verifications/?q=dupont&page=1")
    assert 'href="?q=dupont&amp;page=2"' in html


def test_a_query_the_view_gives_wins_and_page_is_never_repeated():
    assert 'href="?status=hidden&amp;page=2"' in _links("/admin/moderation/?page=1", querystring="status=hidden")
    assert 'href="?page=2"' in _links("/admin/spaces/?page=1")
