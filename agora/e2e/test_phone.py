"""The demo on a phone (390 x 844): the header folds into a "Menu" button, the
filters of the ideas fold behind theirs, the results table scrolls in its own
box with nothing cut; on a 1280 px screen the menu is simply there."""

from agora.components.budgets.models import Budget
from agora.components.proposals.models import Proposal
from agora.demo.city import load_demo
from agora.e2e.crawl import DESKTOP, PHONE


def _size(page, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})


def test_the_header_and_the_filters_fold_on_a_phone(page, live_server, transactional_db):
    load_demo(host="localhost")
    ideas = Proposal.objects.published().order_by("pk").first().component.get_absolute_url()
    _size(page, PHONE)
    page.goto(live_server.url + ideas)
    button = page.locator("summary.site-menu-button")
    nav = page.locator("nav.main-nav")
    assert button.is_visible() and not nav.is_visible()
    assert button.evaluate("summary => summary.parentElement.open") is False
    button.click()
    assert nav.is_visible() and page.locator("#site-search-input").is_visible()
    assert button.evaluate("summary => summary.parentElement.open") is True
    filters = page.locator("details.filters-disclosure > summary")
    assert filters.is_visible() and not page.locator("form.proposals-filters").is_visible()
    filters.click()
    assert page.locator("form.proposals-filters").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    _size(page, DESKTOP)
    page.wait_for_timeout(50)
    assert not button.is_visible() and nav.is_visible() and page.locator("form.proposals-filters").is_visible()


def test_the_menu_and_the_filters_are_open_without_javascript(browser, live_server, transactional_db):
    load_demo(host="localhost")
    ideas = Proposal.objects.published().order_by("pk").first().component.get_absolute_url()
    context = browser.new_context(java_script_enabled=False, viewport={"width": PHONE[0], "height": PHONE[1]})
    page = context.new_page()
    page.goto(live_server.url + ideas)
    assert page.locator("nav.main-nav").is_visible() and page.locator("form.proposals-filters").is_visible()
    page.locator("summary.site-menu-button").click()  # a <details>: it folds without any script
    assert not page.locator("nav.main-nav").is_visible()
    context.close()


def test_the_results_table_scrolls_in_its_own_box_on_a_phone(page, live_server, transactional_db):
    load_demo(host="localhost")
    budget = Budget.objects.filter(results_published_at__isnull=False).order_by("pk").first()
    _size(page, PHONE)
    page.goto(live_server.url + budget.get_results_url())
    box = page.locator(".table-scroll:has(table.budget-results)")
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "group"
    caption_id = box.get_attribute("aria-labelledby")
    assert page.locator(f"#{caption_id}").inner_text() == page.locator("table.budget-results caption").inner_text()
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    # Every column can be reached: the last one scrolls into view inside the box.
    last = page.locator("table.budget-results thead th").last
    box.focus()
    page.keyboard.press("End")
    last.scroll_into_view_if_needed()
    assert last.is_visible()
    _size(page, DESKTOP)
    page.wait_for_timeout(300)
    assert box.get_attribute("tabindex") is None  # wide enough: no extra stop for the Tab key


SMALLEST = (320, 640)
# What a person taps to do the main thing of a page: buttons, the menu and filter buttons, the pages of a
# list, the menu's links, the sections of a space.
PRIMARY = ".button, summary.site-menu-button, .filters-disclosure > summary, .pagination a, .main-nav a, .tabs a"


def _main_public_pages():
    from agora.components.accountability.models import Result
    from agora.components.models import Component

    idea = Proposal.objects.published().order_by("pk").first()
    budget = Budget.objects.order_by("pk").first()
    news = Component.objects.filter(manifest_name="news").order_by("pk").first()
    return [
        "/",
        "/processes/",
        "/assemblies/",
        idea.component.space.get_absolute_url(),
        idea.component.get_absolute_url(),
        idea.get_absolute_url(),
        budget.get_absolute_url(),
        Result.objects.order_by("pk").first().component.get_absolute_url(),
        news.get_absolute_url(),
        "/search/?q=parc",
        "/accounts/login/",
        "/accounts/signup/",
    ]


def _too_small(page):
    return page.eval_on_selector_all(
        PRIMARY,
        """nodes => nodes.filter(node => {
        const box = node.getBoundingClientRect();
        return box.width > 0 && getComputedStyle(node).visibility !== "hidden" && (box.height < 44 || box.width < 44);
      }).map(node => `${node.outerHTML.slice(0, 90)} (${Math.round(node.getBoundingClientRect().width)} x ${Math.round(node.getBoundingClientRect().height)})`)""",
    )


def test_no_sideways_scrolling_at_320_px_and_big_enough_targets(page, live_server, transactional_db):
    load_demo(host="localhost")
    _size(page, SMALLEST)
    problems = []
    for path in _main_public_pages():
        for theme in ("light", "contrast"):
            page.context.add_cookies([{"name": "agora_theme", "value": theme, "url": live_server.url}])
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > SMALLEST[0]:
                problems.append(f"{path} ({theme}): {width} px wide")
            if theme == "light":
                page.locator("summary.site-menu-button").click()  # the menu open: its links and buttons too
                problems += [f"{path}: {target}" for target in _too_small(page)]
                if page.evaluate("document.documentElement.scrollWidth") > SMALLEST[0]:
                    problems.append(f"{path}: wider than the window with the menu open")
    assert not problems, "\n".join(problems)


def test_the_back_office_dashboard_on_a_phone(page, live_server, transactional_db):
    """The dashboard fits 390 px (cards, figures and recent changes included), its menu folds behind
    the "Administration menu" button and opens with it; on a wide screen the menu is simply there."""
    from agora.accounts.models import User
    from agora.e2e.session import log_in_as

    load_demo(host="localhost")
    log_in_as(page, live_server, User.objects.get(email="admin@belleville.example"))
    _size(page, PHONE)
    page.goto(live_server.url + "/admin/")
    assert page.locator(".attention-cards .card-figure").count() >= 1
    button = page.locator("summary.backoffice-menu-button")
    menu = page.locator("nav.backoffice-nav")
    assert button.is_visible() and not menu.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    button.click()
    assert menu.is_visible() and page.locator("nav.backoffice-nav a[aria-current=page]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44
    _size(page, DESKTOP)
    page.wait_for_timeout(50)
    assert not button.is_visible() and menu.is_visible()
