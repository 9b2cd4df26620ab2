"""The ballot page in a real browser: keyboard only, live meter, no axe violations."""

import pytest

from agora.components.budgets.models import Ballot
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.testing import factories

pytestmark = [pytest.mark.browser]


def test_vote_with_the_keyboard_only(page, live_server, transactional_db):
    from agora.e2e.crawl import axe_violations

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
        phase_settings={str(phase.pk): {"votes_enabled": True}},
    )
    budget = BudgetFactory(
        component=component, rule="envelope", envelope=100_000, min_percent=0, min_projects=1, max_projects=None
    )
    projects = [ProjectFactory(budget=budget, cost=cost) for cost in (40_000, 30_000, 50_000)]

    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", "vote@example.org")
    page.fill("input[name=password]", "correct horse battery")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(base + budget.get_absolute_url())
    assert axe_violations(page) == []

    first = page.locator(f"#project-{projects[0].pk}")
    first.focus()
    page.keyboard.press("Space")
    assert page.locator("[data-meter=used]").inner_text() == "40\u202f000\u00a0€"
    assert page.locator("[data-meter=remaining]").inner_text() == "60\u202f000\u00a0€"
    page.locator(f"#project-{projects[1].pk}").focus()
    page.keyboard.press("Space")
    page.locator("button[name=vote]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The summary before the final vote: the choices, their total, confirm or change.
    assert not Ballot.objects.filter(budget=budget, voter=person).exists()
    assert axe_violations(page) == []
    summary = page.locator("table.budget-summary-table")
    assert summary.locator("tbody tr").count() == 2
    assert summary.locator("tfoot td").inner_text() == "70\u202f000\u00a0€"
    page.locator("button[name=confirm]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    ballot = Ballot.objects.get(budget=budget, voter=person)
    assert {c.project_id for c in ballot.choices.all()} == {projects[0].pk, projects[1].pk}
    assert ballot.receipt in page.content()
    assert axe_violations(page) == []

    # The receipt is checked on its own page: stored and counted, no choice shown.
    with page.expect_navigation():
        page.click('main a[href$="/receipt/"]')
    assert axe_violations(page) == []
    page.fill("input[name=code]", ballot.receipt.lower().replace("-", ""))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[role=status]").filter(has_text=ballot.receipt).count() == 1
    assert str(projects[0]) not in page.content()
    assert axe_violations(page) == []
    page.fill("input[name=code]", "not a code")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []
