import pytest

from agora.components.opinions import services
from agora.components.opinions.models import Statement
from agora.core.translations import tr
from agora.testing import factories


@pytest.fixture
def component(process):
    return factories.ComponentFactory(
        space=process, manifest_name="opinions", name=tr("Carte d'opinions", "Opinion map")
    )


@pytest.fixture
def conversation(component):
    conversation = services.conversation_of(component)
    conversation.question = tr("Quelle place pour la voiture ?", "What room for cars?")
    conversation.save()
    return conversation


@pytest.fixture
def statements(conversation):
    return [
        Statement.objects.create(conversation=conversation, text=f"Proposition {n}", seed=True, language="fr")
        for n in range(3)
    ]


def other_participant(organization):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    return user


def close_phase(component, setting):
    phase = factories.PhaseFactory(space=component.space, is_active=True)
    component.phase_settings = {str(phase.pk): {setting: False}}
    component.save()
