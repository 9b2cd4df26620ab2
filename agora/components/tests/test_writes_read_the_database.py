"""Every write reads the rules it depends on (is the vote open, are ideas,
supports, comments open in this phase, is the budget's result published)
from the database inside its transaction, never from what this process
memoised for a settings version (agora.core.pagecache.memo).

The memo is made stale the way a broken connection or another server made
it: the change is committed but the versions are put back to the numbers
this process memoised under, so only a fresh read sees the change."""

import pytest
from django.db import connection
from django.utils import timezone

from agora.comments import services as comments
from agora.components.access import _component_for
from agora.components.budgets import selectors as budget_selectors
from agora.components.budgets import services as budgets
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.components.proposals import services as proposals
from agora.components.proposals.models import Proposal
from agora.components.proposals.tests.factories import ProposalFactory, ProposalsComponentFactory
from agora.core import pagecache
from agora.permissions import PermissionDenied
from agora.testing import factories
from agora.verifications.selectors import rules_for


def memoised(component):
    space = component.space
    return _component_for(space.organization, space.kind, space.slug, component.pk)


def lose_the_bump(versions):
    """Put the content and settings versions back where the memo was filled."""
    with connection.cursor() as cursor:
        for row, number in zip((pagecache.CONTENT, pagecache.SETTINGS), versions):
            cursor.execute(f"UPDATE {pagecache.VERSION_TABLE} SET number = %s WHERE id = %s", [number, row])


def change_behind_the_memo(component, **phase_settings):
    """Commit new phase settings while the versions stay where the
    memo was filled (a version bump lost with its connection)."""
    versions = pagecache.current_versions()
    phase = component.space.phases.get(is_active=True)
    component.phase_settings = {str(phase.pk): phase_settings}
    component.save(update_fields=["phase_settings"])
    lose_the_bump(versions)


def open_component(process, manifest_name, **phase_settings):
    phase = factories.PhaseFactory(space=process, is_active=True)
    component = factories.ComponentFactory(
        space=process, manifest_name=manifest_name, settings={}, phase_settings={str(phase.pk): phase_settings}
    )
    return component


def test_a_ballot_is_refused_once_the_vote_closed_even_if_the_memo_says_open(process, participant):
    component = open_component(process, "budgets", votes_enabled=True)
    budget = BudgetFactory(component=component, envelope=100_000, min_projects=1, max_projects=3)
    project = ProjectFactory(budget=budget, cost=10_000)
    with pagecache.memo_scope():
        budget_selectors.budget_for(memoised(component), budget.pk)
    change_behind_the_memo(component, votes_enabled=False)
    with pagecache.memo_scope():
        stale = budget_selectors.budget_for(memoised(component), budget.pk)
        assert stale.component.phase_settings_of().votes_enabled  # what the page was shown
        with pytest.raises(PermissionDenied):
            budgets.cast_ballot(actor=participant, budget=stale, choices={project.pk: 1})
    assert not budget.ballots.exists()


def test_a_ballot_is_refused_once_the_results_are_published_even_if_the_memo_says_open(process, participant):
    component = open_component(process, "budgets", votes_enabled=True)
    budget = BudgetFactory(component=component, envelope=100_000, min_projects=1, max_projects=3)
    project = ProjectFactory(budget=budget, cost=10_000)
    with pagecache.memo_scope():
        budget_selectors.budget_for(memoised(component), budget.pk)
    versions = pagecache.current_versions()
    type(budget).objects.filter(pk=budget.pk).update(results_published_at=timezone.now())
    lose_the_bump(versions)
    with pagecache.memo_scope():
        stale = budget_selectors.budget_for(memoised(component), budget.pk)
        assert not stale.results_published
        with pytest.raises(PermissionDenied):
            budgets.cast_ballot(actor=participant, budget=stale, choices={project.pk: 1})


def test_a_paper_ballot_reads_the_budget_again(process, org_admin):
    component = open_component(process, "budgets", votes_enabled=True)
    budget = BudgetFactory(component=component, envelope=100_000, min_projects=1, max_projects=3)
    project = ProjectFactory(budget=budget, cost=10_000)
    type(budget).objects.filter(pk=budget.pk).update(imported_from="past.pb")
    with pytest.raises(budgets.BallotRefused):
        budgets.enter_paper_ballot(actor=org_admin, budget=budget, choices={project.pk: 1}, reference="Urne 1")


def test_an_idea_is_refused_once_creation_closed_even_if_the_memo_says_open(process, participant):
    component = open_component(process, "proposals", creation_enabled=True)
    with pagecache.memo_scope():
        memoised(component)
    change_behind_the_memo(component, creation_enabled=False)
    with pagecache.memo_scope():
        stale = memoised(component)
        assert stale.phase_settings_of().creation_enabled
        with pytest.raises(PermissionDenied):
            proposals.create_draft(
                actor=participant,
                component=stale,
                title="Des bancs au parc",
                body="Des bancs à l'ombre près de l'aire de jeux, pour les parents.",
            )


def test_a_support_is_refused_once_supports_closed_even_if_the_memo_says_open(process, participant):
    component = open_component(process, "proposals", supports="enabled")
    idea = ProposalFactory(component=component)
    with pagecache.memo_scope():
        memoised(component)
    change_behind_the_memo(component, supports="blocked")
    with pagecache.memo_scope():
        stale = memoised(component)
        assert stale.phase_settings_of().supports == "enabled"
        idea.component = stale
        with pytest.raises(PermissionDenied):
            proposals.support(actor=participant, proposal=idea)
    assert not idea.supports.exists()


def test_a_support_is_refused_once_an_eligibility_rule_applies_even_if_the_memo_has_none(process, participant):
    from agora.verifications.models import EligibilityRule

    component = open_component(process, "proposals", supports="enabled")
    idea = ProposalFactory(component=component)
    with pagecache.memo_scope():
        memoised(component).eligibility_rules_seen = rules_for(memoised(component))
    versions = pagecache.current_versions()
    EligibilityRule.objects.create(component=component, action="support", methods=["census"])
    lose_the_bump(versions)
    with pagecache.memo_scope():
        stale = memoised(component)
        assert rules_for(stale) == {}
        idea.component = stale
        with pytest.raises(PermissionDenied):
            proposals.support(actor=participant, proposal=idea)
    assert not idea.supports.exists()


def test_a_comment_is_refused_once_comments_are_blocked_whatever_the_page_loaded(process, participant):
    component = ProposalsComponentFactory(space=process)
    factories.PhaseFactory(space=process, is_active=True)
    idea = Proposal.objects.select_related("component__space").get(pk=ProposalFactory(component=component).pk)
    assert not idea.component.phase_settings_of().comments_blocked  # as the page loaded it
    change_behind_the_memo(component, comments_blocked=True)
    with pytest.raises(PermissionDenied):
        comments.create_comment(actor=participant, target=idea, body="Bonne idée !")
    assert not idea.component.phase_settings_of().comments_blocked  # the page's objects are untouched
