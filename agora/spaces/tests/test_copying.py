"""Copying a process for its next edition: configuration yes, participants' content never."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agora.actionlog.models import ActionLog
from agora.components.models import Component
from agora.permissions import PermissionDenied
from agora.spaces.copying import copy_space
from agora.spaces.models import Role, Space
from agora.testing import factories


@pytest.fixture
def mairie(demo):
    return Role.objects.get(organization=demo, name=Role.Name.ORGANIZATION_ADMIN).user


def _components(space):
    return {component.manifest_name: component for component in space.components.all()}


def test_the_2026_budget_is_copied_with_its_configuration_and_none_of_the_participants_content(demo, mairie):
    from agora.comments.models import Comment
    from agora.components.pages.models import Page
    from agora.components.proposals.evaluation.models import Criterion
    from agora.components.proposals.models import CustomField, Proposal, ProposalState, Support
    from agora.follows.models import Follow
    from agora.verifications.models import EligibilityRule

    source = Space.objects.get(organization=demo, slug="budget-participatif-2026")
    old = _components(source)
    EligibilityRule.objects.update_or_create(
        component=old["budgets"], action="vote", defaults={"methods": ["census"], "min_age": 16}
    )
    assert Proposal.objects.filter(component=old["proposals"]).exists()  # the demo has ideas to leave behind
    counts = {model: model.objects.count() for model in (Proposal, Support, Comment, Follow)}
    new_start = source.start_date + timedelta(days=365)

    copy = copy_space(
        actor=mairie,
        space=source,
        title={"fr": "Budget participatif 2027"},
        slug="budget-participatif-2027",
        new_start=new_start,
    )

    assert copy.slug == "budget-participatif-2027" and copy.title == {"fr": "Budget participatif 2027"}
    assert not copy.is_published and copy.group == source.group and copy.scope == source.scope
    assert copy.start_date == new_start and copy.end_date == source.end_date + timedelta(days=365)
    assert copy.description == source.description
    assert set(copy.categories.all()) == set(source.categories.all())
    old_phases, new_phases = list(source.phases.all()), list(copy.phases.all())
    assert [p.title for p in new_phases] == [p.title for p in old_phases]
    assert [p.start_date for p in new_phases] == [p.start_date + timedelta(days=365) for p in old_phases]
    assert not any(p.is_active for p in new_phases)

    new = _components(copy)
    assert set(new) == set(old)
    for name, component in new.items():
        assert component.settings == old[name].settings and component.name == old[name].name
    # Votes open in the copy's "Vote" phase, as in the source's.
    vote_phase = next(p for p in new_phases if p.title["fr"] == "Vote")
    assert new["budgets"].phase_settings[str(vote_phase.pk)] == {"votes_enabled": True}
    assert len(new["budgets"].phase_settings) == len(new_phases)
    # The call to action of the first phase opens the copy's idea form.
    assert new_phases[0].cta_url == reverse("proposals:create", kwargs=new["proposals"].url_kwargs())

    assert (
        Page.objects.filter(component=new["pages"]).count() == Page.objects.filter(component=old["pages"]).count() > 0
    )
    assert list(ProposalState.objects.filter(component=new["proposals"]).values_list("token", flat=True)) == list(
        ProposalState.objects.filter(component=old["proposals"]).values_list("token", flat=True)
    )
    assert (
        CustomField.objects.filter(component=new["proposals"]).count()
        == CustomField.objects.filter(component=old["proposals"]).count()
    )
    assert (
        Criterion.objects.filter(component=new["proposals"]).count()
        == Criterion.objects.filter(component=old["proposals"]).count()
        > 0
    )
    rule = EligibilityRule.objects.get(component=new["budgets"], action="vote")
    assert rule.methods == ["census"] and rule.min_age == 16
    # The staff goes with it.
    assert set(Role.objects.filter(space=copy).values_list("user_id", "name")) == set(
        Role.objects.filter(space=source).values_list("user_id", "name")
    )

    # Nothing participants wrote or did.
    assert not Proposal.objects.filter(component__space=copy).exists()
    assert not Comment.objects.filter(space=copy).exists()
    assert {model: model.objects.count() for model in counts} == counts
    from agora.components.news.models import Post

    assert not Post.objects.filter(component__space=copy).exists()

    entry = ActionLog.objects.get(verb="space.copy", space=copy)
    assert entry.actor == mairie and entry.data["source"] == source.pk and entry.data["shift_days"] == 365


def test_the_2025_budget_copy_keeps_the_budget_rules_not_the_vote(demo, mairie):
    from agora.components.accountability.models import Result, Status
    from agora.components.budgets.models import Ballot, Budget, Project

    source = Space.objects.get(organization=demo, slug="budget-participatif-2025")
    old = _components(source)
    assert Ballot.objects.filter(budget__component=old["budgets"]).exists()
    copy = copy_space(actor=mairie, space=source, title={"fr": "Budget participatif 2026 bis"}, slug="bp-bis")
    new = _components(copy)
    budgets = list(Budget.objects.filter(component=new["budgets"]))
    sources = list(Budget.objects.filter(component=old["budgets"]))
    assert [(b.title, b.envelope, b.rule, b.method) for b in budgets] == [
        (b.title, b.envelope, b.rule, b.method) for b in sources
    ]
    assert all(b.result == {} and b.results_published_at is None and b.tie_draw == [] for b in budgets)
    assert all(b.voting_started_at is None for b in budgets)
    assert not Project.objects.filter(component=new["budgets"]).exists()
    assert not Ballot.objects.filter(budget__component=new["budgets"]).exists()
    assert (
        Status.objects.filter(component=new["accountability"]).count()
        == Status.objects.filter(component=old["accountability"]).count()
        > 0
    )
    assert not Result.objects.filter(component=new["accountability"]).exists()
    assert copy.start_date == source.start_date  # no new start: the dates stay


def test_a_space_admin_and_a_participant_may_not_copy(demo, client):
    source = Space.objects.get(organization=demo, slug="budget-participatif-2026")
    budget_officer = Role.objects.get(space=source, name=Role.Name.SPACE_ADMIN).user
    participant = factories.UserFactory()
    factories.member_of(participant, demo)
    for person in (budget_officer, participant):
        with pytest.raises(PermissionDenied):
            copy_space(actor=person, space=source, title={"fr": "Copie"}, slug="copie")
        client.force_login(person)
        url = reverse("backoffice:space_copy", args=[source.pk])
        refused = client.get(url)
        assert refused.status_code == 403
        if person == budget_officer:  # staff, told why; a participant is refused the back-office itself
            assert (
                "Seuls les administrateurs de l&#x27;organisation peuvent copier un espace." in refused.content.decode()
            )
        response = client.post(url, {"title__fr": "Copie", "slug": "copie", "confirm": "1"})
        assert response.status_code == 403
    assert not Space.objects.filter(slug="copie").exists()


def test_the_screens_ask_then_confirm_then_copy_once(demo, mairie, client):
    source = Space.objects.get(organization=demo, slug="budget-participatif-2026")
    client.force_login(mairie)
    url = reverse("backoffice:space_copy", args=[source.pk])
    form = client.get(url).context["form"]
    assert form["slug"].initial == "budget-participatif-2027"
    assert form["title__fr"].initial == "Budget participatif 2027"
    assert form["new_start"].initial == source.start_date.replace(year=source.start_date.year + 1)

    posted = {
        "title__fr": "Budget participatif 2027",
        "title__en": "Participatory budget 2027",
        "slug": "budget-participatif-2027",
        "new_start": "2027-03-01",
        "copy_roles": "on",
    }
    response = client.post(url, posted)
    assert response.context["confirming"]
    html = response.content.decode()
    assert "Dépôt des idées" in html and "Vérifiez avant de copier" in html
    assert not Space.objects.filter(slug="budget-participatif-2027").exists()  # nothing yet

    response = client.post(url, {**posted, "confirm": "1"})
    copy = Space.objects.get(organization=demo, slug="budget-participatif-2027")
    assert response.status_code == 302 and response.url == reverse("backoffice:space", args=[copy.pk])
    assert copy.start_date == date(2027, 3, 1)
    # The same confirmation sent again (double click, back and resend) makes no second copy.
    again = client.post(url, {**posted, "confirm": "1"})
    assert again.status_code == 200 and again.context["form"].errors["slug"]
    assert Space.objects.filter(organization=demo, title__fr="Budget participatif 2027").count() == 1


def test_a_failing_step_leaves_nothing_behind(demo, mairie, monkeypatch):
    from agora.components import registry

    def broken(source, copy):
        raise ValidationError("broken")

    monkeypatch.setattr(registry, "_copy_extensions", [*registry._copy_extensions, broken])
    source = Space.objects.get(organization=demo, slug="budget-participatif-2026")
    before = (Space.objects.count(), Component.objects.count(), Role.objects.count())
    with pytest.raises(ValidationError):
        copy_space(actor=mairie, space=source, title={"fr": "Copie"}, slug="copie")
    assert (Space.objects.count(), Component.objects.count(), Role.objects.count()) == before
