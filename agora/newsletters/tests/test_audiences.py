"""Every audience reaches only people who accepted the newsletter: for each
one, a person who fits it but did not opt in is left out."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from agora.accounts.models import Membership
from agora.comments.models import Comment
from agora.follows.models import Follow
from agora.newsletters import audiences
from agora.spaces.models import SpaceMember
from agora.testing import factories
from agora.verifications.models import EnabledMethod, Verification


def _about(target) -> dict:
    return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}


def _reached(organization, audience):
    return set(audiences.recipients(organization, audiences.clean(organization, audience)))


def test_everyone_who_opted_in_and_nobody_else(organization, other_organization, person):
    yes = person()
    no = person(opted=False)
    unconfirmed = person(verified=False)
    blocked = person()
    Membership.objects.filter(user=blocked).update(blocked_at=timezone.now())
    inactive = person(is_active=False)
    elsewhere = factories.UserFactory()
    factories.member_of(elsewhere, other_organization)
    Membership.objects.filter(user=elsewhere).update(newsletter_consent_at=timezone.now())
    assert _reached(organization, {}) == {yes}
    assert no not in _reached(organization, {}) and unconfirmed not in _reached(organization, {})
    assert blocked not in _reached(organization, {}) and inactive not in _reached(organization, {})


def test_withdrawn_consent_is_out(organization, person):
    yes = person()
    Membership.objects.filter(user=yes).update(newsletter_consent_at=None)
    assert _reached(organization, {}) == set()


def test_verified_by_a_method(organization, person):
    EnabledMethod.objects.create(organization=organization, method="postal_code")
    verified, verified_out, plain = person(), person(opted=False), person()
    for user in (verified, verified_out):
        Verification.objects.create(
            organization=organization, user=user, method="postal_code", status=Verification.Status.ACTIVE
        )
    assert _reached(organization, {"verification_method": "postal_code"}) == {verified}
    assert plain in _reached(organization, {})


def test_participants_of_chosen_spaces(organization, process, person):
    """Who took part through a component (its manifest's participant_ids) or commented."""
    other = factories.SpaceFactory(organization=organization)
    component = factories.ComponentFactory(space=process, manifest_name="debates")
    from agora.components.debates.models import Debate  # (a test may reach a component)

    author, author_out, commenter, commenter_out, elsewhere = (
        person(),
        person(opted=False),
        person(),
        person(opted=False),
        person(),
    )
    for user in (author, author_out):
        Debate.objects.create(component=component, title={"fr": "Débat"}, official=False, author=user)
    for user, space in ((commenter, process), (commenter_out, process), (elsewhere, other)):
        Comment.objects.create(organization=organization, space=space, author=user, body="<p>Oui</p>", **_about(space))
    assert _reached(organization, {"spaces_participants": [process.pk]}) == {author, commenter}


def test_followers_of_chosen_spaces(organization, process, person):
    follower, follower_out, nobody = person(), person(opted=False), person()
    for user in (follower, follower_out):
        Follow.objects.create(user=user, **_about(process))
    assert _reached(organization, {"spaces_followers": [process.pk]}) == {follower}
    assert nobody not in _reached(organization, {"spaces_followers": [process.pk]})


def test_members_of_private_spaces(organization, person):
    private = factories.SpaceFactory(organization=organization, private=True)
    member, member_out = person(), person(opted=False)
    for user in (member, member_out):
        SpaceMember.objects.create(space=private, user=user)
    assert _reached(organization, {"private_members": [private.pk]}) == {member}


def test_a_public_space_is_not_a_private_one(organization, process):
    with pytest.raises(ValidationError):
        audiences.clean(organization, {"private_members": [process.pk]})


def test_districts_and_profile_fields(organization, person):
    EnabledMethod.objects.create(organization=organization, method="census")
    city = factories.ScopeFactory(organization=organization)
    district = factories.ScopeFactory(organization=organization, parent=city)
    young_here = person(age_bracket="18_24", postal_code="45000", gender="woman")
    young_here_out = person(opted=False, age_bracket="18_24", postal_code="45000", gender="woman")
    old_here = person(age_bracket="65_plus", postal_code="45000")
    young_away = person(age_bracket="18_24", postal_code="45100")
    for user in (young_here, young_here_out, old_here):
        Verification.objects.create(
            organization=organization, user=user, method="census", status=Verification.Status.ACTIVE, scope=district
        )
    assert _reached(organization, {"scopes": [city.pk]}) == {young_here, old_here}
    assert _reached(organization, {"scopes": [city.pk], "age_brackets": ["18_24"]}) == {young_here}
    assert _reached(organization, {"postal_codes": ["45000"]}) == {young_here, old_here}
    assert _reached(organization, {"genders": ["woman"]}) == {young_here}
    assert _reached(organization, {"age_brackets": ["18_24"]}) == {young_here, young_away}


def test_groups_are_a_union_and_filters_narrow_them(organization, process, person):
    private = factories.SpaceFactory(organization=organization, private=True)
    follower, member = person(age_bracket="25_34"), person(age_bracket="65_plus")
    Follow.objects.create(user=follower, **_about(process))
    SpaceMember.objects.create(space=private, user=member)
    both = {"spaces_followers": [process.pk], "private_members": [private.pk]}
    assert _reached(organization, both) == {follower, member}
    assert _reached(organization, {**both, "age_brackets": ["65_plus"]}) == {member}


def test_audience_of_another_organization_is_refused(organization, other_organization):
    foreign = factories.SpaceFactory(organization=other_organization)
    with pytest.raises(ValidationError):
        audiences.clean(organization, {"spaces_followers": [foreign.pk]})
    with pytest.raises(ValidationError):
        audiences.clean(organization, {"verification_method": "census"})  # not offered
    with pytest.raises(ValidationError):
        audiences.clean(organization, {"genders": ["robot"]})
    with pytest.raises(ValidationError):
        audiences.clean(organization, {"everyone_in_town": True})


def test_participants_of_chosen_spaces_through_every_kind_of_participation(organization, process, person):
    """Who filed or supported an idea, voted, registered for a meeting or answered a
    survey in a chosen space is reached when they opted in, never otherwise, and
    nobody for what they did in another space."""
    from agora.components.budgets.models import Ballot  # (a test may reach a component)
    from agora.components.budgets.tests.factories import BudgetFactory
    from agora.components.meetings import services as meetings
    from agora.components.meetings.tests.conftest import make_meeting
    from agora.components.proposals.models import Proposal, Support
    from agora.components.proposals.tests.factories import ProposalFactory
    from agora.components.surveys import services as surveys
    from agora.components.surveys.models import Response
    from agora.questionnaires.models import AnswerSet

    other = factories.SpaceFactory(organization=organization)

    def ideas(space):
        return factories.ComponentFactory(space=space, manifest_name="proposals")

    def filed(user, space):
        ProposalFactory(component=ideas(space), author=user)

    def drafted(user, space):
        ProposalFactory(component=ideas(space), author=user, status=Proposal.Status.DRAFT, published_at=None)

    def supported(user, space):
        idea = ProposalFactory(component=ideas(space))
        Support.objects.create(proposal=idea, component=idea.component, user=user)

    def voted(user, space):
        budget = BudgetFactory(component=factories.ComponentFactory(space=space, manifest_name="budgets"))
        Ballot.objects.create(budget=budget, voter=user, receipt=f"R{user.pk}", public_id=f"P{user.pk}")

    def registered(user, space):
        meeting = make_meeting(factories.ComponentFactory(space=space, manifest_name="meetings"))
        meetings.insert_registration(meeting=meeting, user=user)

    def answered(user, space):
        survey = surveys.ensure_survey(factories.ComponentFactory(space=space, manifest_name="surveys"))
        answers = AnswerSet.objects.create(questionnaire=survey.questionnaire)
        Response.objects.create(survey=survey, answer_set=answers, respondent=user)

    for act in (filed, supported, voted, registered, answered):
        here, here_out, elsewhere = person(), person(opted=False), person()
        act(here, process)
        act(here_out, process)
        act(elsewhere, other)
        assert _reached(organization, {"spaces_participants": [process.pk]}) >= {here}, act.__name__
        reached = _reached(organization, {"spaces_participants": [process.pk]})
        assert here_out not in reached and elsewhere not in reached, act.__name__
        assert here not in _reached(organization, {"spaces_participants": [other.pk]}), act.__name__
    drafter = person()
    drafted(drafter, process)  # a draft is not a participation
    assert drafter not in _reached(organization, {"spaces_participants": [process.pk]})
    assert len(_reached(organization, {"spaces_participants": [process.pk]})) == 5
