"""Participants' statements reported through the platform's moderation
(agora.moderation, the manifest's reportable Resource): hidden, a statement
leaves the voting, the map and the exports; shown again, it comes back."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from agora.components.opinions import selectors, services
from agora.components.opinions.models import Statement
from agora.components.opinions.tests.conftest import other_participant
from agora.moderation import services as moderation
from agora.moderation.models import Moderation, ModerationSettings
from agora.permissions import PermissionDenied, can
from agora.testing import factories


@pytest.fixture
def proposed(component, conversation, statements, organization):
    author = other_participant(organization)
    return services.propose_statement(
        actor=author, component=component, text="Des parkings relais aux entrées de ville"
    )


def test_a_hidden_statement_leaves_the_voting_the_map_and_the_exports(
    component, conversation, statements, proposed, participant, org_admin
):
    moderation.report_content(actor=participant, obj=proposed, reason="offensive")
    assert Moderation.objects.get().pending_count == 1
    moderation.hide_content(actor=org_admin, obj=proposed)
    proposed.refresh_from_db()
    assert proposed.state == Statement.State.REJECTED
    assert proposed not in selectors.published(conversation)
    with pytest.raises(Exception):  # noqa: B017 - the vote's own refusal, whatever its kind
        services.vote(actor=participant, component=component, statement_id=proposed.pk, value=1)
    assert all(row.statement.pk != proposed.pk for row in selectors.opinion_map(conversation).rows)
    assert "parkings relais" not in services.export_comments_csv(conversation)
    assert str(proposed.pk) not in services.export_participants_votes_csv(conversation).splitlines()[0].split(",")
    conversation.refresh_from_db()
    assert conversation.recompute_requested_at is not None  # moderated out of the next analysis
    moderation.unhide(actor=org_admin, moderation=Moderation.objects.get())
    proposed.refresh_from_db()
    assert proposed.state == Statement.State.PUBLISHED
    assert "parkings relais" in services.export_comments_csv(conversation)
    services.vote(actor=participant, component=component, statement_id=proposed.pk, value=1)


def test_reports_past_the_threshold_hide_the_statement(component, proposed, organization):
    ModerationSettings.objects.update_or_create(organization=organization, defaults={"hide_after_reports": 2})
    for _ in range(2):
        moderation.report_content(actor=other_participant(organization), obj=proposed, reason="spam")
    proposed.refresh_from_db()
    assert proposed.state == Statement.State.REJECTED


def test_an_officers_rejection_is_not_undone_by_dismissing_reports(component, proposed, participant, org_admin):
    moderation.report_content(actor=participant, obj=proposed, reason="off_topic")
    services.moderate_statement(actor=org_admin, statement=proposed, publish=False)
    moderation.unhide(actor=org_admin, moderation=Moderation.objects.get())  # dismisses the report: never hidden
    proposed.refresh_from_db()
    assert proposed.state == Statement.State.REJECTED


def test_reporting_is_refused_to_who_cannot_see_the_map_and_moderating_to_participants(
    client, component, proposed, participant, organization
):
    stranger = factories.UserFactory()
    factories.member_of(stranger, factories.OrganizationFactory(host="other.example.org"))
    assert not can(stranger, "moderation.report", proposed)
    with pytest.raises(PermissionDenied):
        moderation.report_content(actor=stranger, obj=proposed, reason="spam")
    with pytest.raises(PermissionDenied):
        moderation.hide_content(actor=participant, obj=proposed)
    proposed.refresh_from_db()
    assert proposed.state == Statement.State.PUBLISHED and not Moderation.objects.filter(hidden_at__isnull=False)
    report = reverse(
        "moderation:report",
        kwargs={"content_type_id": ContentType.objects.get_for_model(Statement).pk, "object_id": proposed.pk},
    )
    client.force_login(participant)
    assert client.get(report).status_code == 200
    client.force_login(stranger)  # not a participant here: sent to accept this organization's terms first
    refused = client.get(report)
    assert refused.status_code == 302 and refused["Location"].startswith("/terms/")
