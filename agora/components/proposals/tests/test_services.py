from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from agora.actionlog.models import ActionLog
from agora.components.proposals import services
from agora.components.proposals.models import ParticipantQuota, Proposal, Support
from agora.permissions import PermissionDenied
from agora.testing import factories

from .conftest import configure, phase
from .factories import ProposalFactory

BODY = "Installer des arceaux pour les vélos devant la médiathèque municipale."


def draft(component, user, **extra):
    return services.create_draft(
        actor=user,
        component=component,
        title=extra.pop("title", "Des arceaux vélos"),
        body=extra.pop("body", BODY),
        **extra,
    )


def test_draft_then_publish_sends_a_confirmation(component, participant, django_capture_on_commit_callbacks):
    proposal = draft(component, participant)
    assert proposal.is_draft and "velo" in proposal.search_text
    with django_capture_on_commit_callbacks(execute=True):
        published = services.publish(actor=participant, proposal=proposal, base_url="https://ville.example/")
    assert published.status == Proposal.Status.PUBLISHED and published.published_at
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Ville de Test" in message.body and published.get_absolute_url() in message.body
    assert message.alternatives and "text/html" == message.alternatives[0][1]
    assert ActionLog.objects.filter(verb="proposals.published", visibility=ActionLog.Visibility.PUBLIC).exists()


def test_a_published_idea_is_announced_to_the_followers_with_its_publication(
    component, participant, process, organization
):
    """The announcement is a notice of the publication's trace, written in its
    transaction: a publication that rolls back tells nobody."""
    from django.db import transaction

    from agora.follows.services import follow
    from agora.notifications.models import Notification

    follower = factories.UserFactory()
    factories.member_of(follower, organization)
    follow(user=follower, target=process)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.publish(actor=participant, proposal=draft(component, participant, title="Un banc"))
        raise RuntimeError("something after the publication failed")
    assert not Notification.objects.exists()
    published = services.publish(actor=participant, proposal=draft(component, participant))
    notification = Notification.objects.get(event="proposals.new_idea")
    assert (notification.recipient, notification.actor, notification.url) == (
        follower,
        participant,
        published.get_absolute_url(),
    )


def test_the_idea_limit_holds(component, participant):
    configure(component, proposal_limit=2)
    for _ in range(2):
        services.publish(actor=participant, proposal=draft(component, participant))
    with pytest.raises(PermissionDenied, match="2 ideas"):
        draft(component, participant)
    assert ParticipantQuota.objects.get(component=component, user=participant).proposals_count == 2


def test_a_withdrawn_idea_frees_a_place(component, participant):
    configure(component, proposal_limit=1)
    first = services.publish(actor=participant, proposal=draft(component, participant))
    with pytest.raises(PermissionDenied, match="1 idea"):  # the limit holds while the first one counts
        draft(component, participant)
    services.withdraw(actor=participant, proposal=first)
    second = services.publish(actor=participant, proposal=draft(component, participant))
    assert second.status == Proposal.Status.PUBLISHED
    assert ParticipantQuota.objects.get(component=component, user=participant).proposals_count == 1


def test_creation_closed_in_the_phase_is_refused(component, participant):
    phase(component, creation_enabled=False)
    with pytest.raises(PermissionDenied, match="not open"):
        draft(component, participant)


def test_anonymous_and_unconfirmed_people_cannot_create(component, organization):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        draft(component, AnonymousUser())
    unconfirmed = factories.UserFactory(verified=False)
    factories.member_of(unconfirmed, organization)
    with pytest.raises(PermissionDenied, match="Confirm"):
        draft(component, unconfirmed)


def test_fields_are_checked_against_the_settings(component, participant):
    configure(component, title_max_length=20, body_max_length=60, category_mode="required")
    factories.CategoryFactory(organization=component.space.organization)
    with pytest.raises(ValidationError) as error:
        draft(component, participant, title="x" * 21, body="y" * 61)
    assert set(error.value.message_dict) == {"title", "body", "category"}


def test_a_category_not_offered_is_refused(component, participant, other_organization):
    elsewhere = factories.CategoryFactory(organization=other_organization)
    with pytest.raises(ValidationError):
        draft(component, participant, category=elsewhere)


def test_official_ideas_only_for_staff(component, participant, org_admin):
    with pytest.raises(PermissionDenied):
        draft(component, participant, official=True)
    proposal = draft(component, org_admin, official=True)
    services.publish(actor=org_admin, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.official and proposal.status == Proposal.Status.PUBLISHED


# --- edit and withdraw ------------------------------------------------------------------------


def test_edit_within_the_window(component, participant):
    proposal = services.publish(actor=participant, proposal=draft(component, participant))
    services.edit(actor=participant, proposal=proposal, title="Des arceaux abrités", body=BODY)
    proposal.refresh_from_db()
    assert proposal.title == "Des arceaux abrités" and "abrit" in proposal.search_text


def test_edit_after_the_window_is_refused(component, participant):
    proposal = ProposalFactory(
        component=component, author=participant, published_at=timezone.now() - timedelta(minutes=16)
    )
    with pytest.raises(PermissionDenied, match="15 minutes"):
        services.edit(actor=participant, proposal=proposal, title="Autre", body=BODY)


def test_edit_once_supported_is_refused(component, participant, other_participant):
    proposal = ProposalFactory(component=component, author=participant)
    services.support(actor=other_participant, proposal=proposal)
    with pytest.raises(PermissionDenied, match="supported"):
        services.edit(actor=participant, proposal=proposal, title="Autre", body=BODY)


def test_edit_by_someone_else_is_refused(component, participant, other_participant):
    proposal = ProposalFactory(component=component, author=participant)
    with pytest.raises(PermissionDenied):
        services.edit(actor=other_participant, proposal=proposal, title="Autre", body=BODY)


def test_withdraw_keeps_the_idea(component, participant, other_participant):
    proposal = ProposalFactory(component=component, author=participant)
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=other_participant, proposal=proposal)
    services.withdraw(actor=participant, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN and proposal.withdrawn_at
    with pytest.raises(PermissionDenied):
        services.support(actor=other_participant, proposal=proposal)


# --- supports ---------------------------------------------------------------------------------


def test_support_and_unsupport_keep_the_counter(component, participant):
    proposal = ProposalFactory(component=component)
    services.support(actor=participant, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.supports_count == 1
    with pytest.raises(PermissionDenied, match="already"):
        services.support(actor=participant, proposal=proposal)
    services.unsupport(actor=participant, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.supports_count == 0 and not Support.objects.exists()


def test_supports_limit(component, participant):
    configure(component, supports_limit=2)
    ideas = ProposalFactory.create_batch(3, component=component)
    services.support(actor=participant, proposal=ideas[0])
    services.support(actor=participant, proposal=ideas[1])
    with pytest.raises(PermissionDenied, match="2 supports"):
        services.support(actor=participant, proposal=ideas[2])
    services.unsupport(actor=participant, proposal=ideas[0])
    services.support(actor=participant, proposal=ideas[2])


def test_supports_count_only_from_the_minimum(component, participant):
    configure(component, supports_minimum=2)
    first, second = ProposalFactory.create_batch(2, component=component)
    services.support(actor=participant, proposal=first)
    first.refresh_from_db()
    assert first.supports_count == 0
    services.support(actor=participant, proposal=second)
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.supports_count, second.supports_count) == (1, 1)
    services.unsupport(actor=participant, proposal=second)
    first.refresh_from_db()
    assert first.supports_count == 0


def test_threshold_stops_supports_when_asked(component, participant, other_participant):
    configure(component, support_threshold=1, supports_beyond_threshold=False)
    proposal = ProposalFactory(component=component)
    services.support(actor=participant, proposal=proposal)
    with pytest.raises(PermissionDenied, match="threshold"):
        services.support(actor=other_participant, proposal=proposal)


@pytest.mark.parametrize("mode", ["blocked", "hidden"])
def test_supports_closed_in_the_phase(component, participant, mode):
    proposal = ProposalFactory(component=component)
    services.support(actor=participant, proposal=proposal)
    phase(component, supports=mode)
    with pytest.raises(PermissionDenied):
        services.support(actor=factories.UserFactory(), proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.unsupport(actor=participant, proposal=proposal)


def test_anonymous_cannot_support_or_unsupport(component):
    from django.contrib.auth.models import AnonymousUser

    proposal = ProposalFactory(component=component)
    with pytest.raises(PermissionDenied):
        services.support(actor=AnonymousUser(), proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.unsupport(actor=AnonymousUser(), proposal=proposal)
