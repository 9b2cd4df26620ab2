"""Issue 14, walk-through item 1, in a real browser: results published again
with other winners. The officer sees what changes before confirming; then the
results page, the project pages and the follow-up all agree (the dropped
project is flagged in the follow-up, the new winner is offered for import),
and the budgets page and the budget page give the same answer about the vote."""

from django.urls import reverse

from agora.components.accountability import services as follow_up
from agora.components.budgets import services
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.e2e.session import log_in_with_the_form
from agora.spaces.models import Role
from agora.testing import factories


def _edition():
    organization = factories.OrganizationFactory(host="localhost", name="Ville de Test")
    factories.TermsVersionFactory(organization=organization, version=1)
    officer = factories.UserFactory(email="agent@example.org")
    factories.member_of(officer, organization)
    space = factories.SpaceFactory(organization=organization)
    factories.RoleFactory(space=space, user=officer, name=Role.Name.SPACE_ADMIN)
    phase = factories.PhaseFactory(space=space, is_active=True)
    ballots = factories.ComponentFactory(
        space=space,
        manifest_name="budgets",
        name={"fr": "Vote"},
        phase_settings={str(phase.pk): {"votes_enabled": True}},
    )
    tracking = factories.ComponentFactory(space=space, manifest_name="accountability", name={"fr": "Suivi"})
    budget = BudgetFactory(component=ballots, envelope=100_000, min_projects=1, max_projects=5)
    projects = {
        name: ProjectFactory(budget=budget, cost=cost, title={"fr": f"Projet {name}"})
        for name, cost in (("A", 50_000), ("B", 30_000), ("C", 20_000), ("D", 10_000))
    }
    picks = [("A", "B"), ("A", "C"), ("A", "B"), ("A", "C"), ("B", "C"), ("B",), ("C",), ("D",), ("A",)]
    for chosen in picks:
        voter = factories.UserFactory()
        factories.member_of(voter, organization)
        services.cast_ballot(actor=voter, budget=budget, choices={projects[name].pk: 1 for name in chosen})
    ballots.phase_settings = {str(phase.pk): {"votes_enabled": False}}
    ballots.save()
    services.publish_results(actor=officer, budget=budget)  # A, C, B
    follow_up.create_default_statuses(actor=officer, component=tracking)
    imported = {
        result.projects.get().pk: result
        for result in follow_up.import_projects(actor=officer, component=tracking, source=ballots)
    }
    works = tracking.result_statuses.get(token="travaux-en-cours")
    follow_up.bulk_change_status(actor=officer, component=tracking, results=[imported[projects["C"].pk]], status=works)
    # Paper ballots counted late: B and D come first, then A; C no longer fits.
    for _n in range(6):
        services.enter_paper_ballot(
            actor=officer,
            budget=budget,
            reference="Mairie — urne 2",
            choices={projects["B"].pk: 1, projects["D"].pk: 1},
        )
    return ballots, tracking, budget, projects, imported[projects["C"].pk]


def test_publishing_again_with_other_winners_keeps_every_page_in_step(page, live_server, transactional_db):
    ballots, tracking, budget, projects, dropped_result = _edition()
    base = live_server.url
    log_in_with_the_form(page, base, "agent@example.org")
    page.goto(
        base
        + reverse(
            "budgets_admin:results",
            kwargs={"space_id": ballots.space_id, "component_id": ballots.pk, "budget_id": budget.pk},
        )
    )
    assert "1 changement" in page.locator("main").inner_text() or "2 changements" in page.locator("main").inner_text()
    page.click("text=Recompter et publier de nouveau…")
    main = page.locator("main")
    assert main.locator("section:has(#added-heading)").inner_text().count("Projet D") == 1
    dropped = main.locator("section:has(#dropped-heading)").inner_text()
    assert "Projet C" in dropped and "Travaux en cours" in dropped and "plus retenu" in dropped
    assert "Projet C" not in main.locator("section:has(#added-heading)").inner_text()
    # Without a reason the page says what is missing; nothing is published.
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    page.fill("textarea[name=reason]", "Les bulletins de l'urne 2 ont été comptés après la publication.")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert (
        "Les résultats sont publiés." in page.locator("main").inner_text()
        or "Les résultats sont publiés" in page.content()
    )

    # The public results page, the project pages and the follow-up agree.
    page.goto(base + budget.get_results_url())
    rows = {
        row.locator("th").inner_text(): row.locator("td").last.inner_text()
        for row in page.locator("table.budget-results tbody tr").all()
    }
    assert rows["Projet C"] == "Non retenu" and rows["Projet D"].startswith("Retenu")
    assert "urne 2 ont été comptés" in page.locator("#public-log-heading + ol").inner_text()
    for name, expected in (("C", "Non retenu"), ("D", "Retenu"), ("A", "Retenu")):
        project = projects[name]
        project.component = ballots
        page.goto(base + project.get_absolute_url())
        assert page.locator("dt:has-text('Résultat') + dd").inner_text() == expected
    page.goto(base + projects["C"].get_absolute_url())
    assert "Plus retenu" in page.locator(".results-for").inner_text()
    page.goto(base + tracking.get_absolute_url())
    flags = page.locator(".result-source-flag")
    assert flags.count() == 1 and "Plus retenu" in flags.inner_text()
    assert page.locator(".result-card", has=flags).locator("h3").inner_text() == "Projet C"
    dropped_result.component = tracking
    page.goto(base + dropped_result.get_absolute_url())
    assert "Plus retenu" in page.locator("main").inner_text()

    # The new winner is offered for import, once.
    page.goto(
        base
        + reverse("accountability_admin:index", kwargs={"space_id": tracking.space_id, "component_id": tracking.pk})
    )
    assert "1 projet gagnant" in page.locator("main").inner_text()
    page.click("text=Les importer")
    page.select_option("select[name=budgets-source]", str(ballots.pk))
    with page.expect_navigation():
        page.click("section:has(#import-budgets-heading) button[type=submit]")
    page.goto(base + tracking.get_absolute_url())
    titles = page.locator(".result-card h3").all_inner_texts()
    assert sorted(titles) == ["Projet A", "Projet B", "Projet C", "Projet D"]

    # The budgets page and the budget page give the same answer: the vote is over.
    page.goto(base + ballots.get_absolute_url())
    assert "Le vote est ouvert" not in page.locator("main").inner_text()
    page.goto(base + budget.get_absolute_url())
    assert page.locator("#ballot").count() == 0


def test_the_new_pages_have_no_axe_violation(page, live_server, transactional_db):
    """The confirmation pages, the decisions and the comparison of rules, the
    results page with its decisions, open record and public log, a flagged
    follow-up result, and the confirmation of a manual phase activation."""
    from agora.e2e.crawl import axe_violations

    ballots, tracking, budget, projects, dropped_result = _edition()
    officer = budget.component.space.roles.get().user
    services.add_incompatibility(
        actor=officer, budget=budget, first=projects["A"], second=projects["D"], reason="Le même terrain"
    )
    services.set_override(
        actor=officer, budget=budget, project=projects["B"], decision="fund", reason="Une obligation de sécurité"
    )
    services.publish_results(actor=officer, budget=budget, reason="Décisions de la ville")
    base = live_server.url
    log_in_with_the_form(page, base, "agent@example.org")
    kwargs = {"space_id": ballots.space_id, "component_id": ballots.pk, "budget_id": budget.pk}
    space = ballots.space
    later = factories.PhaseFactory(space=space, position=5)
    dropped_result.component = tracking
    pages = [
        reverse(f"budgets_admin:{name}", kwargs=kwargs)
        for name in ("results", "results_publish", "results_withdraw", "decisions", "results_compare")
    ]
    pages += [
        budget.get_results_url(),
        budget.get_absolute_url(),
        tracking.get_absolute_url(),
        dropped_result.get_absolute_url(),
        reverse("backoffice:phase_activate", args=[space.pk, later.pk]),
    ]
    for url in pages:
        page.goto(base + url)
        assert page.locator("main").count() == 1, url
        assert axe_violations(page) == [], url
