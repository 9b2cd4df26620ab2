from datetime import timedelta

import pytest
from django.utils import timezone, translation

from agora.components.votations import services
from agora.components.votations.models import Option, Question, Votation
from agora.core.translations import tr
from agora.testing import factories


@pytest.fixture(autouse=True)
def _english():
    # The reasons are matched in English (the organization's default language is French).
    with translation.override("en"):
        yield


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="votations", name=tr("Votations"))


def build(component, org_admin, *, kinds=("yes_no",), **fields) -> Votation:
    """A vote in preparation with one question per kind (lists get three options)."""
    votation = services.save_votation(
        actor=org_admin,
        component=component,
        title=tr("Piétonniser la place", "A pedestrian square"),
        description=tr("<p>Consultation.</p><script>alert(1)</script>"),
        closes_at=timezone.now() + timedelta(days=7),
        **fields,
    )
    for kind in kinds:
        question = services.save_question(
            actor=org_admin,
            votation=votation,
            title=tr(f"Question {kind}"),
            booklet=tr("<p>Le livret.</p>"),
            kind=kind,
            max_choices=2 if kind in (Question.Kind.MULTIPLE, Question.Kind.RANKED) else None,
        )
        if kind != Question.Kind.YES_NO:
            for label in ("A", "B", "C"):
                services.save_option(actor=org_admin, question=question, label=tr(label))
    return votation


@pytest.fixture
def open_vote(component, org_admin) -> Votation:
    return services.open_votation(actor=org_admin, votation=build(component, org_admin))


def option(votation, role=None, label=None) -> Option:
    rows = Option.objects.filter(question__votation=votation)
    if role:
        return rows.get(role=role)
    return rows.get(label__en=label)


def yes_marks(votation, role="yes") -> dict:
    chosen = option(votation, role)
    return {chosen.question_id: {chosen.pk: 1}}
