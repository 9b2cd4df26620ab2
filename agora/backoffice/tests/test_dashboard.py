"""The dashboard: what needs attention, declared by each app and component
(agora.core.attention), counted right, shown only to those who may manage it,
in a few queries whatever the number of spaces and components."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from agora.accounts.models import User
from agora.components.proposals.evaluation.models import Assignment
from agora.components.proposals.models import Proposal
from agora.components.proposals.tests.factories import ProposalFactory, ProposalsComponentFactory
from agora.core import attention
from agora.moderation.models import Moderation
from agora.outbox.models import OutgoingEmail
from agora.spaces.models import Role
from agora.testing import factories
from agora.verifications.models import Verification

from .factories import staff

NOW = timezone.now()


@pytest.fixture(autouse=True)
def english():
    """The cards' words are read in English (pages choose their language; these tests call the providers)."""
    with translation.override("en"):
        yield


def _email(organization, state, n=[0]):  # noqa: B006  (a counter for unique keys)
    n[0] += 1
    return OutgoingEmail.objects.create(
        key=f"test-{n[0]}",
        organization=organization,
        recipient="a@example.org",
        sender="ville@example.org",
        subject="Sujet",
        body_text="Texte",
        message_id=f"<{n[0]}@example.org>",
        state=state,
        next_attempt_at=NOW,
    )


def _report(organization, space, *, pending=1, hidden=False, n=[0]):  # noqa: B006  (a counter: one row per content)
    n[0] += 1
    return Moderation.objects.create(
        organization=organization,
        space=space,
        content_type=ContentType.objects.get_for_model(User),
        object_id=n[0],
        pending_count=pending,
        report_count=pending,
        hidden_at=NOW if hidden else None,
        hidden_by=Moderation.HiddenBy.MODERATOR if hidden else "",
    )


def _verification(organization, status, method, **data):
    return Verification.objects.create(
        organization=organization, user=factories.UserFactory(), method=method, status=status, data=data
    )


@pytest.fixture
def world(organization, other_organization, process):
    """An organization with something of every kind to do, and what must not count."""
    other_space = factories.SpaceFactory(organization=organization)
    ideas = ProposalsComponentFactory(space=process)
    other_ideas = ProposalsComponentFactory(space=other_space)
    for _n in range(3):
        ProposalFactory(component=ideas)  # published, not answered: waiting
    ProposalFactory(component=ideas, answered_at=NOW)  # answered, answer not published
    ProposalFactory(component=ideas, answered_at=NOW, answer_published_at=NOW)  # done
    ProposalFactory(component=ideas, status=Proposal.Status.DRAFT, published_at=None)
    ProposalFactory(component=ideas, status=Proposal.Status.WITHDRAWN)
    ProposalFactory(component=other_ideas)
    today = timezone.localdate()
    factories.PhaseFactory(space=process, end_date=today + timedelta(days=2), title={"en": "Vote", "fr": "Vote"})
    factories.PhaseFactory(space=process, end_date=today + timedelta(days=10))
    factories.PhaseFactory(space=process, end_date=today - timedelta(days=1))
    _report(organization, process, pending=2)
    _report(organization, process, hidden=True)
    _report(organization, other_space)
    _report(organization, None)
    _report(other_organization, None)
    for state in (
        OutgoingEmail.State.FAILED,
        OutgoingEmail.State.FAILED,
        OutgoingEmail.State.HELD,
        OutgoingEmail.State.PENDING,
        OutgoingEmail.State.SENT,
    ):
        _email(organization, state)
    _email(other_organization, OutgoingEmail.State.FAILED)
    _verification(organization, Verification.Status.PENDING, "letter")
    _verification(organization, Verification.Status.PENDING, "letter", sent_at="2026-01-01")
    _verification(organization, Verification.Status.PENDING, "document")
    _verification(organization, Verification.Status.CONFLICT, "census")
    _verification(organization, Verification.Status.ACTIVE, "census")
    _verification(other_organization, Verification.Status.PENDING, "document")
    return {"process": process, "other_space": other_space, "ideas": ideas, "other_ideas": other_ideas}


def _counts(user, organization):
    return {(item.label, item.where): (item.count, item.url) for item in attention.items_for(user, organization)}


def test_an_organization_admin_sees_everything_to_do_counted_right(org_admin, organization, world):
    found = _counts(org_admin, organization)
    ideas, process = world["ideas"], world["process"]
    where = f"{process.title['en']} › {ideas}"
    index = ideas.get_admin_url()
    assert found[("ideas waiting for an answer", where)] == (3, index + "?status=published&answered=no")
    assert found[("answer written, not published yet", where)] == (
        1,
        index + "?status=published&answered=yes&published=no",
    )
    other = world["other_ideas"]
    assert found[("idea waiting for an answer", f"{world['other_space'].title['en']} › {other}")][0] == 1
    assert found[("day left in the phase “Vote”".replace("day", "days"), process.title["en"])] == (
        3,
        reverse("backoffice:phases", args=[process.pk]),
    )
    assert found[("reported contributions to review", "")] == (3, reverse("moderation_admin:queue"))
    assert found[("e-mails that could not be sent", "")] == (2, reverse("outbox_admin:list") + "?state=failed")
    assert found[("e-mail held after a restore", "")] == (1, reverse("outbox_admin:list") + "?state=held")
    assert found[("letter with a code to send", "")] == (1, reverse("verifications_admin:letters"))
    assert found[("identity document to check", "")] == (1, reverse("verifications_admin:documents"))
    assert found[("verification in conflict with another account", "")] == (1, reverse("verifications_admin:conflicts"))
    assert len(found) == 10  # nothing with a count of 0


def test_a_space_admin_sees_only_their_space(organization, world):
    process = world["process"]
    found = _counts(staff(organization, Role.Name.SPACE_ADMIN, process), organization)
    assert {label for label, _where in found} == {
        "ideas waiting for an answer",
        "answer written, not published yet",
        "days left in the phase “Vote”",
        "reported contribution to review",
    }
    assert found[("reported contribution to review", process.title["en"])] == (
        1,
        reverse("moderation_admin:space_queue", args=[process.pk]),
    )


def test_a_moderator_sees_the_reports_of_their_space_only(organization, world):
    found = _counts(staff(organization, Role.Name.MODERATOR, world["other_space"]), organization)
    assert found == {
        ("reported contribution to review", world["other_space"].title["en"]): (
            1,
            reverse("moderation_admin:space_queue", args=[world["other_space"].pk]),
        )
    }


def test_an_evaluator_sees_the_ideas_assigned_to_them(organization, world):
    evaluator = staff(organization, Role.Name.EVALUATOR, world["process"])
    waiting = list(
        Proposal.objects.filter(component=world["ideas"], answered_at__isnull=True, status=Proposal.Status.PUBLISHED)
    )
    answered = Proposal.objects.filter(component=world["ideas"], answered_at__isnull=False).first()
    for proposal in (*waiting[:2], answered):
        Assignment.objects.create(proposal=proposal, evaluator=evaluator)
    Assignment.objects.create(proposal=waiting[2], evaluator=staff(organization, Role.Name.EVALUATOR, world["process"]))
    found = _counts(evaluator, organization)
    ideas = world["ideas"]
    assert found == {
        ("ideas assigned to you, not answered yet", f"{world['process'].title['en']} › {ideas}"): (
            2,
            ideas.get_admin_url() + "?status=published&answered=no",
        )
    }


def test_a_collaborator_and_a_participant_have_nothing_to_do(organization, participant, world):
    assert _counts(staff(organization, Role.Name.COLLABORATOR, world["process"]), organization) == {}
    assert _counts(participant, organization) == {}


def test_the_items_take_a_few_queries_whatever_the_number_of_components(org_admin, organization, world):
    def queries():
        org_admin.__dict__.pop("_agora_roles", None)
        with CaptureQueriesContext(connection) as captured:
            attention.items_for(org_admin, organization)
        return len(captured)

    before = queries()
    for _n in range(3):
        space = factories.SpaceFactory(organization=organization)
        ProposalFactory(component=ProposalsComponentFactory(space=space))
        factories.PhaseFactory(space=space, end_date=timezone.localdate())
        _report(organization, space)
    assert queries() == before <= 8


def test_the_dashboard_shows_the_cards_with_their_counts(admin_client, world):
    admin_client.cookies["agora_language"] = "en"
    html = admin_client.get(reverse("backoffice:dashboard")).content.decode()
    assert '<span class="card-figure">' in html and "reported contributions to review" in html
    assert f'href="{reverse("backoffice:phases", args=[world["process"].pk])}"' in html
    assert 'id="key-figures"' in html


def test_the_dashboard_says_when_nothing_needs_attention(admin_client):
    admin_client.cookies["agora_language"] = "en"
    html = admin_client.get(reverse("backoffice:dashboard")).content.decode()
    assert "Nothing needs your attention" in html and "card-figure" not in html


def test_the_cards_speak_french(admin_client, world):
    admin_client.cookies["agora_language"] = "fr"
    html = admin_client.get(reverse("backoffice:dashboard")).content.decode()
    assert "idées en attente de réponse" in html and "contributions signalées à examiner" in html
