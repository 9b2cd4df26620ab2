"""Issue 14, "wrong results or broken links", in a real browser (Chromium):
the second tab (item 1), the ballot meter over the limit (item 5), and the
summary before the final vote (walk-through item 3). Publication and
re-publication: test_budget_publication.py."""

import re

from agora.components.budgets.models import Ballot
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.e2e.session import log_in_with_the_form
from agora.testing import factories


def _vote_setup(*, validation="confirm", **budget_fields):
    organization = factories.OrganizationFactory(host="localhost", name="Ville de Test")
    factories.TermsVersionFactory(organization=organization, version=1)
    person = factories.UserFactory(email="vote@example.org")
    factories.member_of(person, organization)
    space = factories.SpaceFactory(organization=organization)
    phase = factories.PhaseFactory(space=space, is_active=True)
    component = factories.ComponentFactory(
        space=space,
        manifest_name="budgets",
        name={"fr": "Budget"},
        settings={"validation": validation},
        phase_settings={str(phase.pk): {"votes_enabled": True}},
    )
    fields = {"rule": "envelope", "envelope": 30_000, "min_percent": 0, "min_projects": 1, "max_projects": None}
    fields.update(budget_fields)
    budget = BudgetFactory(component=component, **fields)
    projects = [
        ProjectFactory(budget=budget, cost=cost, title={"fr": f"Projet {n}"})
        for n, cost in enumerate((20_000, 16_000, 10_000), start=1)
    ]
    return organization, person, component, budget, projects


def test_a_second_tab_shows_the_stored_ballot_not_the_refused_choices(page, live_server, transactional_db):
    _organization, person, _component, budget, projects = _vote_setup()
    base = live_server.url
    log_in_with_the_form(page, base, "vote@example.org")
    first_tab = page
    second_tab = page.context.new_page()
    first_tab.goto(base + budget.get_absolute_url())
    second_tab.goto(base + budget.get_absolute_url())

    first_tab.check(f"#project-{projects[0].pk}")
    with first_tab.expect_navigation():
        first_tab.click("button[name=vote]")
    with first_tab.expect_navigation():  # the summary before the final vote
        first_tab.click("button[name=confirm]")
    second_tab.check(f"#project-{projects[1].pk}")
    with second_tab.expect_navigation():
        second_tab.click("button[name=vote]")

    ballot = Ballot.objects.get(budget=budget, voter=person)
    assert {c.project_id for c in ballot.choices.all()} == {projects[0].pk}
    alert = second_tab.locator("#ballot-not-recorded")
    assert alert.count() == 1
    assert "n’ont pas été enregistrés" in alert.inner_text() or "were not recorded" in alert.inner_text()
    assert ballot.receipt in alert.inner_text()
    body = second_tab.locator("main").inner_text()
    assert "Votre bulletin est enregistré" not in body
    # "In your ballot" marks the stored choice only, never the refused one.
    cards = second_tab.locator("main .card")
    stored_card = cards.filter(has_text="Projet 1")
    refused_card = cards.filter(has_text="Projet 2")
    assert stored_card.filter(has_text="Dans votre bulletin").count() == 1
    assert refused_card.filter(has_text="Dans votre bulletin").count() == 0


def _digits(text):
    return re.sub(r"[\s\u202f\u00a0]", "", text)


def test_the_meter_says_when_a_ballot_is_over_the_envelope(page, live_server, transactional_db):
    _organization, person, _component, budget, projects = _vote_setup()
    base = live_server.url
    log_in_with_the_form(page, base, "vote@example.org")
    page.goto(base + budget.get_absolute_url())
    meter = page.locator("#budget-meter")
    page.check(f"#project-{projects[0].pk}")
    # The script writes euros exactly as the server does (agora.core.formats): "10 000 €".
    assert meter.locator("[data-meter=remaining]").inner_text() == "10\u202f000\u00a0€"
    assert meter.locator("[data-meter=over]").is_hidden()
    page.check(f"#project-{projects[1].pk}")  # 36 000 € for an envelope of 30 000 €
    assert meter.locator("[data-meter=used]").inner_text() == "36\u202f000\u00a0€"
    over = meter.locator("[data-meter=over]")
    assert over.is_visible() and over.inner_text() == "6\u202f000\u00a0€ de trop"
    assert meter.locator("[data-meter=within]").is_hidden()  # no "-6000" anywhere
    assert "-" not in _digits(meter.inner_text())
    assert "budget-meter-over" in meter.get_attribute("class")
    assert meter.get_attribute("aria-live") == "polite"
    button = page.locator("button[name=vote]")
    assert button.get_attribute("aria-disabled") == "true"
    refusal = page.locator("#ballot-refusal")
    assert button.get_attribute("aria-describedby") == "ballot-refusal"
    assert refusal.is_visible() and "coûtent 6\u202f000\u00a0€ de plus" in refusal.inner_text()
    button.focus()
    page.keyboard.press("Enter")  # refused at once, with the reason focused; nothing is sent
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.id") == "ballot-refusal"
    assert not Ballot.objects.filter(budget=budget, voter=person).exists()
    page.uncheck(f"#project-{projects[1].pk}")
    assert over.is_hidden() and refusal.is_hidden() and button.get_attribute("aria-disabled") is None


def test_the_meter_counts_projects_over_the_maximum_and_shows_the_cost(page, live_server, transactional_db):
    _organization, _person, _component, budget, projects = _vote_setup(rule="approval", max_projects=1)
    base = live_server.url
    log_in_with_the_form(page, base, "vote@example.org")
    page.goto(base + budget.get_absolute_url())
    meter = page.locator("#budget-meter")
    page.check(f"#project-{projects[0].pk}")
    assert meter.locator("[data-meter=cost]").inner_text() == "20\u202f000\u00a0€"
    page.check(f"#project-{projects[2].pk}")
    assert meter.locator("[data-meter=cost]").inner_text() == "30\u202f000\u00a0€"
    assert meter.locator("[data-meter=remaining]").is_hidden() or meter.locator("[data-meter=within]").is_hidden()
    assert "1 projet de trop" in meter.locator("[data-meter=over]").inner_text()


def test_the_summary_before_the_final_vote_confirm_or_change(page, live_server, transactional_db):
    """Walk-through item 3: the choices and their total on a page of their own,
    confirm or change, with the keyboard; no axe violation."""
    from agora.e2e.crawl import axe_violations

    _organization, person, _component, budget, projects = _vote_setup()
    base = live_server.url
    log_in_with_the_form(page, base, "vote@example.org")
    page.goto(base + budget.get_absolute_url())
    page.check(f"#project-{projects[0].pk}")
    page.check(f"#project-{projects[2].pk}")
    with page.expect_navigation():
        page.click("button[name=vote]")
    assert not Ballot.objects.filter(budget=budget, voter=person).exists()
    assert axe_violations(page) == []
    table = page.locator("table.budget-summary-table")
    assert table.locator("tbody th").all_inner_texts() == ["Projet 1", "Projet 3"]
    assert _digits(table.locator("tfoot td").inner_text()) == "30000€"
    # Change: back to the ballot with the same choices, then another choice.
    page.locator("button[name=change]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.is_checked(f"#project-{projects[0].pk}") and page.is_checked(f"#project-{projects[2].pk}")
    page.uncheck(f"#project-{projects[2].pk}")
    with page.expect_navigation():
        page.click("button[name=vote]")
    assert page.locator("table.budget-summary-table tbody th").all_inner_texts() == ["Projet 1"]
    page.locator("button[name=confirm]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    ballot = Ballot.objects.get(budget=budget, voter=person)
    assert [c.project_id for c in ballot.choices.all()] == [projects[0].pk]
    assert ballot.receipt in page.content()


def test_the_summary_works_without_javascript(browser, live_server, transactional_db):
    _organization, person, _component, budget, projects = _vote_setup()
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        base = live_server.url
        log_in_with_the_form(page, base, "vote@example.org")
        page.goto(base + budget.get_absolute_url())
        page.check(f"#project-{projects[1].pk}")
        with page.expect_navigation():
            page.click("button[name=vote]")
        assert page.locator("table.budget-summary-table tbody th").all_inner_texts() == ["Projet 2"]
        with page.expect_navigation():
            page.click("button[name=confirm]")
        assert [c.project_id for c in Ballot.objects.get(voter=person).choices.all()] == [projects[1].pk]
    finally:
        context.close()


def test_the_meter_stays_in_view_on_a_phone_while_choosing(page, live_server, transactional_db):
    """Issue 16, item 5: on a phone the ballot's meter stays in the window while the
    person scrolls through a long list of projects (sticky at the bottom)."""
    _organization, person, _component, budget, projects = _vote_setup()
    projects += [ProjectFactory(budget=budget, cost=1_000, title={"fr": f"Petit projet {n}"}) for n in range(12)]
    page.set_viewport_size({"width": 390, "height": 844})
    log_in_with_the_form(page, live_server.url, "vote@example.org")
    page.goto(live_server.url + budget.get_absolute_url())
    meter = page.locator("#budget-meter")
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * 844, "the list is long enough to scroll"
    for project in (projects[0], projects[-1]):
        page.locator(f"#project-{project.pk}").scroll_into_view_if_needed()
        page.check(f"#project-{project.pk}")
        box = meter.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 844 + 1, box
    assert meter.locator("[data-meter=used]").inner_text() == "21\u202f000\u00a0€"
