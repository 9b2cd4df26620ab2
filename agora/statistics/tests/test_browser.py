"""The statistics' pages of the demo city in a real browser: axe-core finds no
violation and no page is wider than the window, on a phone and on a desktop."""

import pytest

from agora.accounts.models import User
from agora.demo.city import load_demo
from agora.spaces.models import Space

pytestmark = [pytest.mark.browser]


def test_statistics_pages_have_no_axe_violation(page, live_server, transactional_db):
    from agora.e2e.crawl import DESKTOP, PHONE, crawl
    from agora.e2e.session import log_in_as

    load_demo(host="localhost")
    page.context.add_cookies([{"name": "agora_language", "value": "fr", "url": live_server.url}])
    log_in_as(page, live_server, User.objects.get(email="admin@belleville.example"))
    edition = Space.objects.get(slug="budget-participatif-2025")
    start = [
        "/admin/statistics/",
        f"/admin/statistics/spaces/{edition.pk}/",
        f"/admin/statistics/spaces/{edition.pk}/?by=day",
        f"/admin/statistics/spaces/{edition.pk}/representativeness/",
        f"/admin/statistics/spaces/{edition.pk}/representativeness/?channel=paper",
        "/admin/statistics/reference/",
    ]
    violations, errors, visited = crawl(
        page, live_server.url, start, within=(), max_pages=len(start), viewports=(PHONE, DESKTOP)
    )
    assert set(start) <= set(visited)
    report = [f"{path}: {found}" for path, found in violations.items() if found] + [str(e) for e in errors]
    assert not report, "\n".join(report)
    # The public figures of the demo, on the home page and a space's page.
    page.goto(live_server.url + "/")
    assert page.locator("#participation-figures-heading").count() == 1
