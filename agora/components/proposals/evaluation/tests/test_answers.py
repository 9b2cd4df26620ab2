"""Answers, states, publication in bulk, bulk changes, notifications."""

import pytest
from django.core import mail

from agora.actionlog.models import ActionLog
from agora.components.proposals.evaluation import selectors, services
from agora.components.proposals.models import Proposal, ProposalState
from agora.core.forms import contrast_ratio
from agora.permissions import PermissionDenied
from agora.testing import factories

from .factories import IdeaFactory, StateFactory, admin_url, assign

pytestmark = pytest.mark.django_db


def test_default_states_are_seeded_once_with_meanings(component):
    services.ensure_default_states(component)
    services.ensure_default_states(component)
    states = {s.token: s for s in ProposalState.objects.filter(component=component)}
    assert list(states) == ["recevable", "non-recevable", "en-etude", "retenu", "non-retenu"]
    assert states["retenu"].meaning == ProposalState.Meaning.ACCEPTED
    assert states["non-retenu"].meaning == ProposalState.Meaning.REJECTED
    assert states["en-etude"].meaning == ProposalState.Meaning.EVALUATING
    assert states["en-etude"].name == {"fr": "En étude", "en": "Being studied"}


@pytest.mark.parametrize(
    "colour",
    ["#000000", "#ffffff", "#777777", "#ff0000", "#1d4f91", "#ffff00", "#767676", "#00ff00", "#a4262c", "#8a8a8a"],
)
def test_badge_text_always_reads_on_its_colour(colour):
    assert contrast_ratio(colour, selectors.badge_text_colour(colour)) >= 4.5


def test_a_badge_never_carries_anything_but_a_colour(component):
    from agora.components.proposals.evaluation.templatetags.proposal_evaluation_tags import (
        badge_colour,
        badge_text_class,
    )

    state = StateFactory.build(component=component, colour="red;background:url(x)")
    assert badge_colour(state) == "#4a4a4a" and badge_text_class(state) == "colour-badge-light-text"


def test_an_answer_is_kept_unpublished_then_published_in_bulk(component, admin):
    state = StateFactory(component=component)
    idea = IdeaFactory(component=component)
    services.answer_proposal(
        actor=admin, proposal=idea, state=state, answer={"fr": "<p>Oui</p><script>alert(1)</script>"}, publish=False
    )
    idea.refresh_from_db()
    assert idea.state == state and idea.answer == {"fr": "<p>Oui</p>"}  # sanitized
    assert idea.published_state is None and idea.published_answer == {} and idea.answer_published_at is None
    assert len(mail.outbox) == 0  # nothing public yet, nobody told

    count = services.publish_answers(actor=admin, component=component, proposals=[idea])
    idea.refresh_from_db()
    assert count == 1
    assert idea.published_state == state and idea.published_answer == {"fr": "<p>Oui</p>"}
    assert idea.answer_published_at is not None
    verbs = list(ActionLog.objects.filter(component=component).values_list("verb", flat=True))
    assert "proposal.answer" in verbs and "proposal.answer_publish" in verbs


def test_plain_text_answers_become_paragraphs(component, admin):
    idea = IdeaFactory(component=component)
    services.answer_proposal(actor=admin, proposal=idea, state=None, answer={"fr": "a < b\n\nsuite"}, publish=False)
    idea.refresh_from_db()
    assert idea.answer["fr"] == "<p>a &lt; b</p>\n\n<p>suite</p>"


def _follow(person, idea):
    from django.contrib.contenttypes.models import ContentType

    from agora.follows.models import Follow

    Follow.objects.create(user=person, content_type=ContentType.objects.get_for_model(Proposal), object_id=idea.pk)


def test_publishing_notifies_the_author_and_followers(component, admin, django_capture_on_commit_callbacks):
    from agora.notifications.models import Notification

    follower, bystander = factories.UserFactory(), factories.UserFactory()
    idea = IdeaFactory(component=component)
    _follow(follower, idea)
    state = StateFactory(component=component)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_proposal(actor=admin, proposal=idea, state=state, answer={"fr": "<p>R</p>"}, publish=False)
    assert not Notification.objects.exists()  # the working copy is not news
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_answers(actor=admin, component=component, proposals=[idea])
    told = set(Notification.objects.filter(event="proposals.answer_published").values_list("recipient", flat=True))
    assert told == {idea.author_id, follower.pk}
    assert bystander.pk not in told and admin.pk not in told


def test_a_state_change_alone_is_its_own_event(component, admin, django_capture_on_commit_callbacks):
    from agora.notifications.models import Notification

    idea = IdeaFactory(component=component)
    first, second = StateFactory(component=component), StateFactory(component=component)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_proposal(actor=admin, proposal=idea, state=first, answer={"fr": "<p>R</p>"}, publish=True)
        services.answer_proposal(actor=admin, proposal=idea, state=second, answer={"fr": "<p>R</p>"}, publish=True)
    events = list(Notification.objects.filter(recipient=idea.author).order_by("pk").values_list("event", flat=True))
    assert events == ["proposals.answer_published", "proposals.state_changed"]


def test_republishing_the_same_answer_tells_nobody_again(component, admin, django_capture_on_commit_callbacks):
    from agora.notifications.models import Notification

    idea = IdeaFactory(component=component)
    state = StateFactory(component=component)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_proposal(actor=admin, proposal=idea, state=state, answer={}, publish=True)
    assert Notification.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_answers(actor=admin, component=component, proposals=[idea])
    assert Notification.objects.count() == 1


def test_a_state_of_another_component_is_refused(component, admin, process):
    from django.core.exceptions import ValidationError

    other = StateFactory()
    idea = IdeaFactory(component=component)
    with pytest.raises(ValidationError):
        services.answer_proposal(actor=admin, proposal=idea, state=other, answer={}, publish=False)


def test_bulk_update_changes_and_logs_each_state_change(component, admin, organization):
    state = StateFactory(component=component)
    category = factories.CategoryFactory(organization=organization)
    ideas = IdeaFactory.create_batch(3, component=component)
    changed = services.bulk_update(
        actor=admin, component=component, proposals=ideas[:2], state=state, category=category
    )
    assert changed == 2
    assert Proposal.objects.filter(state=state, category=category).count() == 2
    logs = ActionLog.objects.filter(verb="proposal.bulk_update")
    assert logs.count() == 2 and logs.first().data["state"] == state.token


def test_bulk_refuses_a_category_of_another_organization(component, admin, other_organization):
    from django.core.exceptions import ValidationError

    category = factories.CategoryFactory(organization=other_organization)
    with pytest.raises(ValidationError):
        services.bulk_update(
            actor=admin, component=component, proposals=[IdeaFactory(component=component)], category=category
        )


def test_drafts_are_never_answered_nor_listed(client, component, admin):
    draft = IdeaFactory(component=component, status=Proposal.Status.DRAFT, published_at=None, title="Brouillon")
    IdeaFactory(component=component, title="Publiée")
    client.force_login(admin)
    response = client.get(admin_url(component, "index"))
    assert response.status_code == 200
    assert "Publiée" in response.text and "Brouillon" not in response.text
    assert client.get(admin_url(component, "detail", proposal_id=draft.pk)).status_code == 404
    assert services.publish_answers(actor=admin, component=component, proposals=[draft]) == 0


# --- refusals ---------------------------------------------------------------------------


@pytest.fixture
def refused_people(participant, evaluator, outsider_evaluator, process):
    collaborator = factories.UserFactory()
    factories.RoleFactory(user=collaborator, space=process, name="collaborator")
    return [participant, evaluator, outsider_evaluator, collaborator]


def test_every_management_service_refuses_people_without_the_right(component, refused_people, organization):
    idea = IdeaFactory(component=component)
    state = StateFactory(component=component)
    from .factories import CriterionFactory, FieldFactory

    criterion = CriterionFactory(component=component)
    custom_field = FieldFactory(component=component)
    for person in refused_people:
        calls = [
            lambda: services.answer_proposal(actor=person, proposal=idea, state=state, answer={}, publish=True),
            lambda: services.publish_answers(actor=person, component=component, proposals=[idea]),
            lambda: services.bulk_update(actor=person, component=component, proposals=[idea], state=state),
            lambda: services.assign_evaluators(actor=person, component=component, proposals=[idea], evaluators=[]),
            lambda: services.unassign_evaluators(actor=person, component=component, proposals=[idea], evaluators=[]),
            lambda: services.save_state(
                actor=person, component=component, token="x", name={"fr": "X"}, colour="#000000", meaning="none"
            ),
            lambda: services.delete_state(actor=person, state=state),
            lambda: services.move_state(actor=person, state=state, direction="up"),
            lambda: services.save_custom_field(
                actor=person,
                component=component,
                key="k",
                label={"fr": "K"},
                help_text={},
                kind="text",
                choices=[],
                required=False,
                confidential=False,
            ),
            lambda: services.delete_custom_field(actor=person, custom_field=custom_field),
            lambda: services.save_criterion(
                actor=person, component=component, label={"fr": "C"}, help_text={}, kind="score", required=False
            ),
            lambda: services.delete_criterion(actor=person, criterion=criterion),
            lambda: services.upload_answer_import(actor=person, component=component, data=b"id,state\n"),
            lambda: services.log_staff_export(actor=person, component=component, export_format="csv", count=0),
        ]
        for call in calls:
            with pytest.raises(PermissionDenied):
                call()
    idea.refresh_from_db()
    assert idea.state is None and idea.published_state is None
    assert ProposalState.objects.filter(component=component).count() == 1


def test_every_management_screen_refuses_an_evaluator(client, component, evaluator):
    idea = IdeaFactory(component=component)
    assign(idea, evaluator)
    state = StateFactory(component=component)
    client.force_login(evaluator)
    names = [
        ("answer", {"proposal_id": idea.pk}),
        ("bulk", {}),
        ("states", {}),
        ("state_create", {}),
        ("state_edit", {"proposalstate_id": state.pk}),
        ("state_delete", {"proposalstate_id": state.pk}),
        ("state_move", {"proposalstate_id": state.pk}),
        ("fields", {}),
        ("field_create", {}),
        ("criteria", {}),
        ("criterion_create", {}),
        ("import", {}),
        ("export_csv", {}),
        ("export_json", {}),
        ("export_xlsx", {}),
    ]
    for name, kwargs in names:
        url = admin_url(component, name, **kwargs)
        assert client.get(url).status_code == 403, name
        assert (
            client.post(
                url, {"proposals": [idea.pk], "action": "publish", "state": state.pk, "state-direction": "up"}
            ).status_code
            == 403
        ), name
    idea.refresh_from_db()
    assert idea.published_state is None
    assert ProposalState.objects.filter(component=component).count() == 1


def test_answering_over_http(client, component, admin):
    state = StateFactory(component=component)
    idea = IdeaFactory(component=component)
    client.force_login(admin)
    url = admin_url(component, "answer", proposal_id=idea.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, {"state": "", "answer__fr": "", "answer__en": ""})
    assert response.status_code == 400 and 'class="error-summary"' in response.text
    response = client.post(url, {"state": state.pk, "answer__fr": "<p>Oui</p>", "publish": "on"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.published_state == state and idea.published_answer == {"fr": "<p>Oui</p>"}


def test_bulk_actions_over_http(client, component, admin, process):
    from .factories import evaluator_of

    state = StateFactory(component=component)
    ideas = IdeaFactory.create_batch(3, component=component)
    person = evaluator_of(process)
    client.force_login(admin)
    url = admin_url(component, "bulk")
    assert client.get(url).status_code == 405
    response = client.post(url, {"proposals": [ideas[0].pk, ideas[1].pk], "action": "state", "state": state.pk})
    assert response.status_code == 302
    assert set(Proposal.objects.filter(state=state).values_list("pk", flat=True)) == {ideas[0].pk, ideas[1].pk}
    response = client.post(url, {"proposals": [ideas[0].pk], "action": "publish"})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=ideas[0].pk).published_state == state
    response = client.post(url, {"proposals": [ideas[2].pk], "action": "assign", "evaluators": [person.pk]})
    assert response.status_code == 302
    assert selectors.is_assigned(person, ideas[2])
    # No selection: the list comes back with the error and the choices kept.
    response = client.post(url, {"action": "assign"})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.text and 'aria-describedby="id_evaluators_error"' in response.text
    # An idea of another component cannot be slipped in.
    foreign = IdeaFactory()
    response = client.post(url, {"proposals": [foreign.pk], "action": "state", "state": state.pk})
    assert response.status_code == 400
    assert Proposal.objects.get(pk=foreign.pk).state is None


def test_the_list_filters_and_paginates(client, component, admin, process):
    from .factories import evaluator_of

    state = StateFactory(component=component)
    ideas = IdeaFactory.create_batch(3, component=component)
    services.bulk_update(actor=admin, component=component, proposals=[ideas[0]], state=state)
    person = evaluator_of(process)
    assign(ideas[1], person)
    client.force_login(admin)
    url = admin_url(component, "index")
    response = client.get(url, {"state": state.pk})
    assert ideas[0].title in response.text and ideas[1].title not in response.text
    response = client.get(url, {"evaluator": person.pk})
    assert ideas[1].title in response.text and ideas[0].title not in response.text
    response = client.get(url, {"q": ideas[2].title})
    assert ideas[2].title in response.text and ideas[0].title not in response.text
    response = client.get(url, {"answered": "no"})
    assert ideas[0].title not in response.text and ideas[1].title in response.text
    assert client.get(url, {"page": "99"}).status_code == 200
