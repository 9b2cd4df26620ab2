from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agora.actionlog.models import ActionLog
from agora.comments.models import Comment
from agora.comments.services import create_comment
from agora.components.debates import selectors, services
from agora.components.debates.models import Debate
from agora.components.debates.tests.conftest import other_participant
from agora.core.translations import tr
from agora.follows.selectors import is_following
from agora.moderation.services import hide_content
from agora.notifications.models import Notification
from agora.permissions import PermissionDenied, can
from agora.testing import factories


def test_the_organization_opens_an_official_debate_and_followers_of_the_space_hear_of_it(
    component, org_admin, participant
):
    from agora.follows.services import add_follow

    add_follow(user=participant, target=component.space)
    debate = services.create_official_debate(
        actor=org_admin,
        component=component,
        title=tr("Une rue piétonne ?", "A pedestrian street?"),
        description=tr("<p>Le samedi</p><script>alert(1)</script>"),
        instructions=tr("<p>Argumentez.</p>"),
    )
    assert debate.official and debate.description["fr"] == "<p>Le samedi</p>"
    log = ActionLog.objects.get(verb="debates.debate_created")
    assert (log.visibility, log.component_id) == ("public", component.pk)
    assert Notification.objects.filter(recipient=participant, event="debates.new_debate").exists()


def test_people_without_the_right_cannot_open_edit_inform_or_close_an_official_debate(
    component, debate, participant, moderator
):
    for person in (participant, moderator):
        with pytest.raises(PermissionDenied):
            services.create_official_debate(actor=person, component=component, title=tr("X"), description={})
        with pytest.raises(PermissionDenied):
            services.update_official_debate(actor=person, debate=debate, title=tr("X"), description={}, instructions={})
        with pytest.raises(PermissionDenied):
            services.add_information(actor=person, debate=debate, body=tr("<p>Info</p>"))
        with pytest.raises(PermissionDenied):
            services.close_debate(actor=person, debate=debate, conclusions=tr("<p>Fin</p>"))
    debate.refresh_from_db()
    assert debate.title["fr"] == "Faut-il une rue piétonne ?" and debate.closed_at is None
    assert not debate.updates.exists()


def test_participants_open_debates_only_when_the_component_allows_it(component, participant):
    assert not can(participant, "debates.create", component)
    with pytest.raises(PermissionDenied):
        services.create_debate(
            actor=participant,
            component=component,
            title="Une vélo-école ?",
            description="Des cours pour les adultes le samedi matin.",
        )
    assert not Debate.objects.exists()


def test_the_phase_closes_participant_debates(open_to_participants, participant):
    component = open_to_participants
    phase = factories.PhaseFactory(space=component.space, is_active=True)
    component.phase_settings = {str(phase.pk): {"creation_enabled": False}}
    component.save()
    decision = can(participant, "debates.create", component)
    assert not decision and "phase" in decision.reason


def test_anonymous_visitors_cannot_open_a_debate(open_to_participants):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), "debates.create", open_to_participants)


def test_a_participant_opens_a_debate_follows_it_and_bad_input_is_refused(open_to_participants, participant):
    component = open_to_participants
    with pytest.raises(ValidationError) as error:
        services.create_debate(actor=participant, component=component, title="", description="court")
    assert set(error.value.message_dict) == {"title", "description"}
    debate = services.create_debate(
        actor=participant,
        component=component,
        title="Une vélo-école ?",
        description="Des cours <b>pour</b> les adultes le samedi matin.",
    )
    assert not debate.official and debate.author == participant
    assert debate.title == {"fr": "Une vélo-école ?"}
    assert "&lt;b&gt;" in debate.description["fr"]  # plain text, escaped
    assert is_following(participant, debate)
    assert ActionLog.objects.filter(verb="debates.debate_created", actor=participant).exists()


def test_dates_must_be_in_order(component, org_admin):
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.create_official_debate(
            actor=org_admin,
            component=component,
            title=tr("X"),
            description={},
            starts_at=now,
            ends_at=now - timedelta(days=1),
        )


def test_a_category_of_another_organization_is_refused(component, org_admin, other_organization):
    from agora.taxonomy.models import Category

    elsewhere = Category.objects.create(organization=other_organization, name=tr("Ailleurs"))
    with pytest.raises(ValidationError):
        services.create_official_debate(
            actor=org_admin, component=component, title=tr("X"), description={}, category=elsewhere
        )


def test_the_author_closes_their_debate_and_followers_hear_the_conclusions(
    open_to_participants, participant, organization
):
    debate = services.create_debate(
        actor=participant,
        component=open_to_participants,
        title="Une vélo-école ?",
        description="Des cours pour les adultes le samedi matin.",
    )
    follower = other_participant(organization)
    from agora.follows.services import add_follow

    add_follow(user=follower, target=debate)
    with pytest.raises(PermissionDenied):
        services.close_debate(actor=follower, debate=debate, conclusions=tr("<p>Non</p>"))
    with pytest.raises(ValidationError):
        services.close_debate(actor=participant, debate=debate, conclusions={"fr": "  "})
    services.close_debate(actor=participant, debate=debate, conclusions=tr("<p>On lance la vélo-école.</p>"))
    debate.refresh_from_db()
    assert debate.closed_at is not None and debate.closed_by == participant and debate.is_closed
    assert Notification.objects.filter(recipient=follower, event="debates.closed").exists()
    # Closed once: a second close is refused, and no new comment is taken.
    with pytest.raises(PermissionDenied):
        services.close_debate(actor=participant, debate=debate, conclusions=tr("<p>Encore</p>"))
    with pytest.raises(PermissionDenied):
        create_comment(actor=follower, target=debate, body="Trop tard ?", alignment=1)


def test_an_official_debate_cannot_be_closed_by_its_officer_author_without_the_role(component, participant):
    debate = Debate.objects.create(component=component, title=tr("X"), official=True, author=participant)
    assert not can(participant, "debates.close", debate)


def test_information_updates_tell_the_followers(component, debate, org_admin, participant):
    from agora.follows.services import add_follow

    add_follow(user=participant, target=debate)
    update = services.add_information(actor=org_admin, debate=debate, body=tr("<p>Comptage : 1 240 vélos</p>"))
    assert Notification.objects.filter(recipient=participant, event="debates.information_added").exists()
    assert ActionLog.objects.filter(verb="debates.information_added").exists()
    services.delete_information(actor=org_admin, update=update)
    assert not debate.updates.exists()
    assert ActionLog.objects.filter(verb="debates.information_deleted").exists()


def test_comments_always_take_a_position_and_close_with_the_dates(component, debate, participant):
    comment = create_comment(actor=participant, target=debate, body="Pour, évidemment.", alignment=1)
    assert comment.alignment == Comment.Alignment.FOR
    debate.starts_at = timezone.now() + timedelta(days=1)
    debate.save()
    decision = can(participant, "comments.create", debate)
    assert not decision and ("opens" in decision.reason or "ouvre" in decision.reason)
    debate.starts_at, debate.ends_at = timezone.now() - timedelta(days=3), timezone.now() - timedelta(days=1)
    debate.save()
    assert debate.state == "closed" and not can(participant, "comments.create", debate)


def _comment(debate, author, alignment, up=0, **extra):
    from django.contrib.contenttypes.models import ContentType

    comment = Comment.objects.create(
        content_type=ContentType.objects.get_for_model(Debate),
        object_id=debate.pk,
        organization=debate.component.space.organization,
        space=debate.component.space,
        component=debate.component,
        author=author,
        body=f"avis {alignment} {up}",
        alignment=alignment,
        up_count=up,
        **extra,
    )
    Comment.objects.filter(pk=comment.pk).update(root_id=comment.pk)
    return comment


def test_the_summary_counts_positions_and_finds_the_best_argument_of_each_side(debate, participant, org_admin):
    _comment(debate, participant, 1, up=2)
    best_for = _comment(debate, participant, 1, up=5)
    best_against = _comment(debate, participant, -1, up=3)
    _comment(debate, participant, -1, up=3)  # as many votes, later: the first one stays the best
    _comment(debate, participant, 0, up=9)  # neutral: counted, never "the best argument"
    _comment(debate, participant, 1, up=50, deleted_at=timezone.now())  # deleted: left out
    hidden = _comment(debate, participant, -1, up=99)
    hide_content(actor=org_admin, obj=hidden)  # hidden by moderation: left out
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.summary(debate)
    assert len(queries) <= 3
    assert (summary.for_count, summary.against_count, summary.neutral_count) == (2, 2, 1)
    assert summary.best_for == best_for and summary.best_against == best_against
    assert summary.comments == 5


def test_summaries_of_a_page_of_debates_take_one_query(component, participant):
    debates = [Debate.objects.create(component=component, title=tr(f"D{n}")) for n in range(6)]
    for debate in debates:
        _comment(debate, participant, 1)
    with CaptureQueriesContext(connection) as queries:
        figures = selectors.summaries(debates)
    assert len(queries) == 1 and all(figures[d.pk].for_count == 1 for d in debates)


def test_states_in_python_and_in_sql_agree(component):
    now = timezone.now()
    made = {
        "open": Debate.objects.create(component=component, title=tr("a"), ends_at=now + timedelta(days=1)),
        "upcoming": Debate.objects.create(component=component, title=tr("b"), starts_at=now + timedelta(days=1)),
        "ended": Debate.objects.create(component=component, title=tr("c"), ends_at=now - timedelta(days=1)),
        "closed": Debate.objects.create(component=component, title=tr("d"), closed_at=now),
    }
    assert [made[k].state for k in ("open", "upcoming", "ended", "closed")] == ["open", "upcoming", "closed", "closed"]
    assert set(Debate.objects.open()) == {made["open"]}
    assert set(Debate.objects.upcoming()) == {made["upcoming"]}
    assert set(Debate.objects.closed()) == {made["ended"], made["closed"]}


def test_the_database_refuses_an_end_before_the_start(component):
    from django.db import IntegrityError, transaction

    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Debate.objects.create(component=component, title=tr("x"), starts_at=now, ends_at=now)
