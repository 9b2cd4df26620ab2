"""Officer tools (issue 14) in Chromium: texts in Markdown with a toolbar
used from the keyboard and a preview; ideas linked through a searchable list
(a combobox) instead of a Ctrl-click list box; both axe-clean and within the
Content-Security-Policy, and both still usable without JavaScript."""

import pytest
from django.urls import reverse

from agora.components.budgets.models import Project
from agora.components.budgets.tests.factories import BudgetFactory
from agora.components.pages.models import Page
from agora.components.proposals.tests.factories import ProposalFactory
from agora.e2e.crawl import axe_violations
from agora.e2e.session import log_in_as
from agora.spaces.models import Role
from agora.testing import factories


def _setup():
    organization = factories.OrganizationFactory(host="localhost", name="Ville de Test")
    factories.TermsVersionFactory(organization=organization, version=1)
    officer = factories.UserFactory()
    factories.member_of(officer, organization)
    space = factories.SpaceFactory(organization=organization, title={"fr": "Budget participatif 2026"})
    Role.objects.create(user=officer, organization=organization, space=space, name=Role.Name.SPACE_ADMIN)
    pages = factories.ComponentFactory(space=space, manifest_name="pages", name={"fr": "Règlement"})
    votes = factories.ComponentFactory(space=space, manifest_name="budgets", name={"fr": "Vote"})
    ideas = factories.ComponentFactory(space=space, manifest_name="proposals", name={"fr": "Idées"})
    budget = BudgetFactory(component=votes, title={"fr": "Budget 2026"})
    for title in ("Jardin partagé rue Haute", "Bancs au jardin des Prés", "Piste cyclable de la gare"):
        ProposalFactory(component=ideas, title=title)
    return officer, space, pages, votes, budget


def _focused(page):
    return page.evaluate("document.activeElement.dataset.md || document.activeElement.id")


def test_a_text_is_formatted_from_the_keyboard_and_previewed(page, live_server, transactional_db):
    officer, space, pages, _votes, _budget = _setup()
    log_in_as(page, live_server, officer)
    page.goto(live_server.url + reverse("pages_admin:create", kwargs={"space_id": space.pk, "component_id": pages.pk}))
    page.fill("#id_title__fr", "Règlement")
    body = page.locator("#id_body__fr")
    body.fill("Bonjour")
    body.press("Control+a")
    body.press("Control+b")
    assert body.input_value() == "**Bonjour**"
    body.press("End")
    body.type("\n\n")
    page.click(".markdown-toolbar [data-md=bullets]")
    body.type("premier point")
    assert body.input_value().endswith("- premier point")

    # The toolbar is one tab stop; the arrow keys, Home and End move inside it.
    page.focus(".markdown-toolbar [data-md=bold]")
    page.keyboard.press("ArrowRight")
    assert _focused(page) == "italic"
    page.keyboard.press("End")
    assert _focused(page) == "preview"
    page.keyboard.press("Enter")
    preview = page.locator("#id_body__fr-preview")
    preview.locator("strong").wait_for()
    assert preview.locator("strong").inner_text() == "Bonjour"
    assert preview.locator("li").inner_text() == "premier point"
    assert page.get_attribute(".markdown-toolbar [data-md=preview]", "aria-expanded") == "true"
    assert axe_violations(page) == []

    with page.expect_navigation():
        page.click("main form button[type=submit]")
    stored = Page.objects.get(component=pages)
    assert stored.body["fr"] == "<p><strong>Bonjour</strong></p>\n<ul>\n<li>premier point</li>\n</ul>"


def test_ideas_are_linked_through_a_searchable_list(page, live_server, transactional_db):
    officer, space, _pages, votes, budget = _setup()
    log_in_as(page, live_server, officer)
    page.goto(
        live_server.url
        + reverse(
            "budgets_admin:project_create",
            kwargs={"space_id": space.pk, "component_id": votes.pk, "budget_id": budget.pk},
        )
    )
    assert page.locator("select#id_proposals").is_hidden()
    search = page.locator("#id_proposals-search")
    assert search.get_attribute("role") == "combobox"
    assert page.locator("label[for='id_proposals-search']").count() == 1  # the label names the search box
    search.type("jard")
    options = page.locator("#id_proposals-listbox [role=option]:visible")
    assert options.count() == 2  # "Jardin partagé …" and "… jardin des Prés", accents and case aside
    assert search.get_attribute("aria-expanded") == "true"
    search.press("ArrowDown")
    active = search.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").is_visible()
    search.press("Enter")
    chips = page.locator(".multiselect-chosen button")
    assert chips.count() == 1 and "jardin des Prés" in chips.first.inner_text()
    assert axe_violations(page) == []
    search.press("Escape")
    assert search.get_attribute("aria-expanded") == "false"
    # Backspace in the empty box takes the last one away; choose again with the mouse.
    search.fill("")
    search.press("Backspace")
    assert chips.count() == 0
    search.type("piste")
    page.click("#id_proposals-listbox [role=option]:visible")
    assert chips.count() == 1

    page.fill("#id_title__fr", "Piste cyclable")
    page.fill("#id_cost", "15000")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    project = Project.objects.get(budget=budget)
    assert [idea.title for idea in project.proposals.all()] == ["Piste cyclable de la gare"]


@pytest.mark.parametrize("screen", ["text", "list"])
def test_without_javascript_the_plain_fields_remain(browser, live_server, transactional_db, screen):
    officer, space, pages, votes, budget = _setup()
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        log_in_as(page, live_server, officer)
        if screen == "text":
            page.goto(
                live_server.url + reverse("pages_admin:create", kwargs={"space_id": space.pk, "component_id": pages.pk})
            )
            assert page.locator("#id_body__fr").is_visible()
            assert page.locator(".markdown-toolbar").first.is_hidden()
            assert "**gras**" in page.content()
        else:
            page.goto(
                live_server.url
                + reverse(
                    "budgets_admin:project_create",
                    kwargs={"space_id": space.pk, "component_id": votes.pk, "budget_id": budget.pk},
                )
            )
            assert page.locator("select#id_proposals[multiple]").is_visible()
            assert page.locator(".multiselect-nojs-hint").is_visible()
    finally:
        context.close()
