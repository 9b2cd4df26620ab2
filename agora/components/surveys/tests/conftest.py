import pytest

from agora.components.surveys import services
from agora.questionnaires.tests.factories import every_type
from agora.spaces.models import Role
from agora.testing import factories


@pytest.fixture
def component(process):
    return factories.ComponentFactory(
        space=process, manifest_name="surveys", name={"fr": "Plan vélo", "en": "Cycling plan"}
    )


@pytest.fixture
def survey(component):
    return services.ensure_survey(component)


@pytest.fixture
def q(survey, organization):
    """{name: question} of the survey: every type, two pages, two conditions (agora.questionnaires.tests.factories)."""
    return every_type(organization, questionnaire=survey.questionnaire)[1]


@pytest.fixture
def space_admin(component):
    user = factories.RoleFactory(space=component.space, name=Role.Name.SPACE_ADMIN).user
    factories.member_of(user, component.space.organization)
    return user


def option(question, position):
    return question.options.get(position=position).pk


def first_page(q, **extra):
    data = {
        "page": "0",
        "go": "next",
        f"q{q['bike'].pk}": str(option(q["bike"], 0)),
        f"q{q['often'].pk}": "4",
        f"q{q['name'].pk}": "Les Prés",
    }
    data.update(extra)
    return data


def second_page(q, **extra):
    data = {
        "page": "1",
        "go": "next",
        f"q{q['needs'].pk}": [str(option(q["needs"], 0))],
        f"q{q['rank'].pk}_o{option(q['rank'], 0)}": "2",
        f"q{q['rank'].pk}_o{option(q['rank'], 1)}": "1",
        f"q{q['km'].pk}": "35",
        f"q{q['when'].pk}": "2027-03-14",
    }
    data.update(extra)
    return data
