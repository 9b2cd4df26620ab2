"""Ideas given at a meeting: filed through proposals/api.py in an ideas
component of the same space, channel "at a meeting", listed on the meeting."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agora.components.meetings import services
from agora.components.meetings.models import Meeting
from agora.components.meetings.tests.conftest import make_meeting
from agora.components.proposals.tests.factories import ProposalsComponentFactory
from agora.core.translations import tr
from agora.permissions import PermissionDenied
from agora.testing import factories


@pytest.fixture
def held(component):
    return make_meeting(component, starts_at=timezone.now() - timedelta(hours=3))


@pytest.fixture
def ideas(component):
    return ProposalsComponentFactory(space=component.space)


def test_an_idea_given_at_the_meeting_is_filed_and_listed(client, component, held, ideas, org_admin):
    idea = services.file_idea(
        actor=org_admin, meeting=held, component=ideas, author_name="Mme Roux", title="Un banc", body="Devant l'école."
    )
    assert idea.channel == "meeting" and idea.component == ideas
    assert list(held.ideas_filed.all()) == [idea]
    page = client.get(held.get_absolute_url()).content.decode()
    assert "Un banc" in page


def test_filing_is_refused_to_participants_and_before_the_meeting(component, held, ideas, participant, org_admin):
    with pytest.raises(PermissionDenied):
        services.file_idea(actor=participant, meeting=held, component=ideas, author_name="", title="X", body="Y")
    upcoming = make_meeting(component)
    with pytest.raises(ValidationError):
        services.file_idea(actor=org_admin, meeting=upcoming, component=ideas, author_name="", title="X", body="Y")
    assert not held.ideas_filed.exists() and not upcoming.ideas_filed.exists()


def test_only_an_ideas_component_of_the_same_space(component, held, org_admin, organization):
    elsewhere = ProposalsComponentFactory(space=factories.SpaceFactory(organization=organization))
    with pytest.raises(ValidationError):
        services.file_idea(actor=org_admin, meeting=held, component=elsewhere, author_name="", title="X", body="Y")


def test_the_ideas_screen_refuses_participants(client, component, held, participant):
    client.force_login(participant)
    url = reverse(
        "meetings_admin:ideas",
        kwargs={"space_id": component.space_id, "component_id": component.pk, "meeting_id": held.pk},
    )
    assert client.get(url).status_code == 403


def test_the_ideas_page_says_which_meeting_it_came_from(client, component, held, ideas, org_admin, organization):
    """An idea's page names the meeting it was given at and the meetings that discuss it
    (proposals_api.register_mentions), not a private one to someone not invited."""
    idea = services.file_idea(
        actor=org_admin, meeting=held, component=ideas, author_name="Mme Roux", title="Un banc", body="Devant l'école."
    )
    discussing = make_meeting(component, title=tr("Atelier des bancs", "Benches workshop"))
    discussing.proposals.add(idea)
    private = make_meeting(component, title=tr("Réunion des invités"), visibility=Meeting.Visibility.PRIVATE)
    private.proposals.add(idea)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Réunions" in page  # the section (the organization's language)
    given = page.index(f'href="{held.get_absolute_url()}"')
    assert "Donnée lors de la réunion" in page[given - 200 : given]
    assert f'href="{discussing.get_absolute_url()}"' in page and "Atelier des bancs" in page
    assert "Réunion des invités" not in page
    client.force_login(org_admin)
    assert "Réunion des invités" in client.get(idea.get_absolute_url()).content.decode()


def test_the_ideas_page_asks_the_meetings_only_for_an_idea_a_meeting_links(client, component, ideas):
    """Whether a meeting links the idea (filed there or discussed) is read with
    the idea (idea_linked): an idea no meeting links asks no query of the
    meetings; one only discussed at a meeting still names it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agora.components.proposals.tests.factories import ProposalFactory

    alone, discussed = ProposalFactory(component=ideas), ProposalFactory(component=ideas)
    meeting = make_meeting(component, title=tr("Atelier des bancs", "Benches workshop"))
    meeting.proposals.add(discussed)
    client.get(alone.get_absolute_url())  # (the memo and the page cache's version: warm)
    for idea, linked in ((alone, False), (discussed, True)):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(idea.get_absolute_url(), {"nocache": idea.pk}).content.decode()
        asked = [q["sql"] for q in queries.captured_queries if 'FROM "meetings_meeting"' in q["sql"]]
        assert len(asked) == (1 if linked else 0), asked
        assert ("Atelier des bancs" in page) is linked
