"""Factories of the evaluation app's tests."""

import factory

from agora.components.proposals.evaluation.models import Assignment, Criterion
from agora.components.proposals.models import ProposalState
from agora.components.proposals.tests.factories import (
    CustomFieldFactory,
    ProposalFactory,
    ProposalsComponentFactory,
    ProposalStateFactory,
)
from agora.core.translations import tr
from agora.spaces.models import Role
from agora.testing import factories

# The proposals app's factories, with the defaults these tests were written with.
IdeasComponentFactory = ProposalsComponentFactory


class IdeaFactory(ProposalFactory):
    title = factory.Sequence(lambda n: f"Idée {n}")
    body = "Une piste cyclable le long du canal."


class StateFactory(ProposalStateFactory):
    token = factory.Sequence(lambda n: f"etat-{n}")
    name = factory.LazyFunction(lambda: tr("Retenu", "Accepted"))
    colour = "#1b6e3a"
    meaning = ProposalState.Meaning.ACCEPTED


class FieldFactory(CustomFieldFactory):
    key = factory.Sequence(lambda n: f"champ{n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    component = factory.SubFactory(IdeasComponentFactory)
    label = factory.LazyFunction(lambda: tr("Faisabilité", "Feasibility"))
    kind = Criterion.Kind.SCORE


def evaluator_of(space, user=None):
    user = user or factories.UserFactory()
    factories.member_of(user, space.organization)
    Role.objects.create(user=user, organization=space.organization, space=space, name=Role.Name.EVALUATOR)
    return user


def space_admin_of(space, user=None):
    user = user or factories.UserFactory()
    factories.member_of(user, space.organization)
    Role.objects.create(user=user, organization=space.organization, space=space, name=Role.Name.SPACE_ADMIN)
    return user


def assign(proposal, evaluator):
    return Assignment.objects.create(proposal=proposal, evaluator=evaluator)


def admin_url(component, name, **kwargs):
    from django.urls import reverse

    return reverse(
        f"proposals_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )
