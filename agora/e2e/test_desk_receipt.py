"""The desk (issue 14): an agent acts for a person without e-mail, who voted,
and prints the receipt — in Chromium, axe-clean in French and English, on a
computer and a phone, and the print style sheet keeps only the receipt."""

from datetime import date

import pytest

from agora.components.budgets import services as budgets
from agora.components.budgets.models import Ballot
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.desk import services as desk
from agora.e2e.crawl import axe_violations
from agora.e2e.session import log_in_as
from agora.spaces.models import Role
from agora.testing import factories


def _desk_setup():
    organization = factories.OrganizationFactory(host="localhost", name="Ville de Test")
    factories.TermsVersionFactory(organization=organization, version=1)
    admin = factories.UserFactory()
    factories.member_of(admin, organization)
    Role.objects.create(user=admin, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)
    agent = factories.UserFactory(email="agent@example.org")
    factories.member_of(agent, organization)
    desk.grant_agent(actor=admin, organization=organization, user=agent)
    person = desk.create_managed_participant(
        actor=agent,
        organization=organization,
        public_name="Odette L.",
        last_name="Lefèvre",
        first_name="Odette",
        birth_date=date(1950, 3, 12),
        postal_code="45100",
        accepted_terms=True,
    ).user
    space = factories.SpaceFactory(organization=organization, title={"fr": "Budget participatif", "en": "PB"})
    phase = factories.PhaseFactory(space=space, is_active=True)
    component = factories.ComponentFactory(
        space=space,
        manifest_name="budgets",
        name={"fr": "Vote", "en": "Vote"},
        phase_settings={str(phase.pk): {"votes_enabled": True}},
    )
    budget = BudgetFactory(component=component, title={"fr": "Budget 2026", "en": "Budget 2026"})
    project = ProjectFactory(budget=budget, cost=10_000, title={"fr": "Jardin partagé", "en": "Shared garden"})
    return agent, person, budget, project


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_agent_prints_the_receipt_of_a_person_without_e_mail(page, live_server, transactional_db, language):
    agent, person, budget, project = _desk_setup()
    base = live_server.url
    page.context.add_cookies([{"name": "agora_language", "value": language, "url": base}])
    log_in_as(page, live_server, agent)
    page.goto(f"{base}/admin/desk/people/{person.pk}/")
    with page.expect_navigation():
        page.click("main form[action$='/act/'] button")
    assert page.locator(".desk-banner").count() == 1
    ballot = budgets.cast_ballot(actor=person, budget=budget, choices={project.pk: 1}, channel=Ballot.Channel.DESK)

    page.goto(base + budget.get_absolute_url())
    link = page.locator(f"main a[href='{budget.get_my_receipt_url()}']")
    assert link.count() == 1
    with page.expect_navigation():
        link.click()
    receipt = page.locator("article.receipt")
    text = receipt.inner_text()
    assert ballot.receipt in text and "Jardin partagé" not in text and "Shared garden" not in text
    assert ("No e-mail was sent" in text) if language == "en" else ("Aucun e-mail n’a été envoyé" in text)
    assert ("by e-mail." not in text) if language == "en" else ("envoyé par e-mail" not in text)
    button = page.locator("#receipt-print")
    assert button.is_visible()  # the script shows it; without scripts the page names Ctrl+P
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.lang") == language

    # On a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Printed: the receipt only (no header, menus, desk banner, buttons or footer).
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    assert receipt.is_visible()
    for hidden in (".site-header", ".site-footer", ".desk-banner", ".receipt-actions", ".skip-link"):
        assert page.locator(hidden).first.is_hidden(), hidden
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
