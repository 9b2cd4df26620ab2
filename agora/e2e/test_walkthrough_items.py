"""Issue 14, "wrong results or broken links", in a real browser (Chromium), for
the items not covered elsewhere: a phase activated by hand survives the daily
switch (item 3), a project without a vote is never funded (item 6), and the
demo's main call to action opens the idea form (item 7). Items 1 and 5:
test_budget_results.py; item 2: test_budget_publication.py; item 4 (the port in
e-mail links): budgets/tests/test_receipt.py."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from agora.components.budgets import services as budget_services
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.demo.city import load_demo
from agora.e2e.crawl import axe_violations
from agora.e2e.session import log_in_with_the_form
from agora.spaces.models import Phase, Role
from agora.spaces.services import sync_active_phases
from agora.testing import factories


def _organization_and_admin():
    organization = factories.OrganizationFactory(host="localhost", name="Ville de Test")
    factories.TermsVersionFactory(organization=organization, version=1)
    admin = factories.UserFactory(email="admin@example.org")
    factories.member_of(admin, organization)
    Role.objects.create(user=admin, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)
    return organization, admin


def test_a_phase_activated_by_hand_is_kept_by_the_daily_switch(page, live_server, transactional_db):
    organization, admin = _organization_and_admin()
    today = timezone.localdate()
    space = factories.SpaceFactory(organization=organization)
    vote = factories.PhaseFactory(
        space=space,
        position=0,
        is_active=True,
        title={"fr": "Vote"},
        start_date=today - timedelta(days=5),
        end_date=today + timedelta(days=5),
    )
    results = factories.PhaseFactory(
        space=space,
        position=1,
        is_active=False,
        title={"fr": "Résultats"},
        start_date=today + timedelta(days=6),
        end_date=today + timedelta(days=60),
    )
    base = live_server.url
    log_in_with_the_form(page, base, admin.email)
    page.goto(f"{base}/admin/spaces/{space.pk}/phases/{results.pk}/activate/")
    # The confirmation says the daily switch would undo it, and asks how to keep it.
    assert "Vote" in page.locator("#activate-warning").inner_text()
    assert axe_violations(page) == []
    page.check("#keep-pin")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".message").count() >= 1
    # The night comes: sync_phases leaves the phase chosen by hand active.
    sync_active_phases()
    assert Phase.objects.get(pk=results.pk).is_active and not Phase.objects.get(pk=vote.pk).is_active
    # The phases screen says the phase is kept by hand and offers to hand it back to the dates.
    page.goto(f"{base}/admin/spaces/{space.pk}/phases/")
    assert page.locator(f"form[action$='/phases/{results.pk}/release/']").count() == 1


def test_a_project_without_a_vote_is_never_funded(page, live_server, transactional_db):
    organization, admin = _organization_and_admin()
    space = factories.SpaceFactory(organization=organization)
    phase = factories.PhaseFactory(space=space, is_active=True)
    component = factories.ComponentFactory(
        space=space,
        manifest_name="budgets",
        name={"fr": "Budget"},
        settings={"validation": "auto"},
        phase_settings={str(phase.pk): {"votes_enabled": True}},
    )
    budget = BudgetFactory(
        component=component,
        rule="envelope",
        envelope=100_000,
        min_percent=0,
        min_projects=1,
        max_projects=None,
        method="greedy",
    )
    voted = ProjectFactory(budget=budget, cost=30_000, title={"fr": "Jardin partagé"})
    nobody = ProjectFactory(budget=budget, cost=10_000, title={"fr": "Terrain sans voix"})
    voters = []
    for number in range(3):
        person = factories.UserFactory(email=f"voter{number}@example.org")
        factories.member_of(person, organization)
        voters.append(person)
        budget_services.cast_ballot(actor=person, budget=budget, choices={voted.pk: 1})
    component.phase_settings = {str(phase.pk): {"votes_enabled": False}}
    component.save()
    budget_services.publish_results(actor=admin, budget=budget)

    page.goto(live_server.url + reverse("budgets:results", kwargs={**component.url_kwargs(), "budget_id": budget.pk}))
    row = page.locator("tr", has_text="Terrain sans voix")
    assert row.count() >= 1
    text = row.first.inner_text()
    # It fits in the envelope, yet with no vote it is not selected.
    assert "Non retenu" in text or "non retenu" in text.lower(), text
    assert "Retenu" in page.locator("tr", has_text="Jardin partagé").first.inner_text()
    assert nobody.pk not in budget.__class__.objects.get(pk=budget.pk).winner_ids()
    assert axe_violations(page) == []


def test_the_demo_main_call_to_action_opens_the_idea_form(page, live_server, transactional_db):
    load_demo(host="localhost")
    base = live_server.url
    log_in_with_the_form(page, base, "camille@belleville.example", "demo-participant-2026")
    page.goto(f"{base}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Déposer une idée").first.click()
    assert page.url.endswith("/new/"), page.url
    assert page.locator("main form input[name=title]").count() == 1
    assert axe_violations(page) == []
    # A visitor who is not logged in is asked to log in first and comes back to the form.
    page.context.clear_cookies()
    page.goto(f"{base}/")
    page.get_by_role("link", name="Déposer une idée").first.click()
    # Waits for the redirect's end: once, under load, the URL was read on the way (the form's address).
    page.wait_for_url("**/accounts/login/**")
    assert "/accounts/login/" in page.url and "next=" in page.url
