"""The documented posting limit of ideas (docs/moderation.md: 5 an hour, 20 a day) holds
(finding 15), through the moderation layer's counters like every other contribution."""

import pytest
from django.urls import reverse

from agora.components.proposals import services
from agora.components.proposals.models import Proposal
from agora.moderation.limits import DEFAULT_LIMITS, PostingLimitReached

from .conftest import configure
from .test_services import draft


@pytest.fixture(autouse=True)
def _documented_limits(settings, component):
    settings.AGORA_POSTING_LIMITS = {}  # the defaults, as documented
    configure(component, proposal_limit=0)  # no limit of ideas per person: only the posting limit


def test_the_sixth_idea_within_an_hour_is_refused_and_stays_a_draft(component, participant):
    assert DEFAULT_LIMITS["idea"][0] == (5, 3600)
    for _ in range(5):
        services.publish(actor=participant, proposal=draft(component, participant))
    sixth = draft(component, participant)
    with pytest.raises(PostingLimitReached):
        services.publish(actor=participant, proposal=sixth)
    sixth.refresh_from_db()
    assert sixth.is_draft
    assert Proposal.objects.filter(author=participant, status=Proposal.Status.PUBLISHED).count() == 5


def test_the_publish_page_says_when_ideas_can_be_posted_again(client, component, participant):
    for _ in range(5):
        services.publish(actor=participant, proposal=draft(component, participant))
    sixth = draft(component, participant)
    client.force_login(participant)
    response = client.post(reverse("proposals:publish", kwargs={**component.url_kwargs(), "proposal_id": sixth.pk}))
    assert response.status_code == 429
    assert "You can post again at" in response.content.decode()
    sixth.refresh_from_db()
    assert sixth.is_draft


def test_another_person_is_not_limited_by_someone_else(component, participant, other_participant):
    for _ in range(5):
        services.publish(actor=participant, proposal=draft(component, participant))
    published = services.publish(actor=other_participant, proposal=draft(component, other_participant))
    published.refresh_from_db()
    assert published.status == Proposal.Status.PUBLISHED
