"""The public pages and the back-office screens of a citizen vote: the ballot
through the page (online and at a desk), every refusal, the results with the
chart and its table, the receipt check, the staff's paper entry and export."""

from datetime import date

import pytest
from django.urls import reverse

from agora.components.votations import services
from agora.components.votations.models import Ballot, Votation
from agora.components.votations.tests.conftest import build, option
from agora.desk.models import DeskAgent
from agora.desk.services import create_managed_participant
from agora.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    client.cookies["agora_language"] = "en"


def _url(votation, name="detail"):
    return reverse(f"votations:{name}", kwargs={**votation.component.url_kwargs(), "votation_id": votation.pk})


def _admin(component, name="index", **extra):
    return reverse(
        f"votations_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **extra}
    )


def test_voting_through_the_page_then_refused_a_second_time(client, open_vote, participant):
    client.force_login(participant)
    page = client.get(_url(open_vote)).content.decode()
    assert "Cast my ballot" in page and "Le livret." in page and "alert(1)" not in page
    yes = option(open_vote, "yes")
    response = client.post(_url(open_vote, "vote"), {f"q{yes.question_id}": yes.pk})
    assert response.status_code == 302
    ballot = Ballot.objects.get(voter=participant)
    assert ballot.channel == Ballot.Channel.ONLINE
    again = client.post(_url(open_vote, "vote"), {f"q{yes.question_id}": yes.pk})
    assert again.status_code == 403 and "already voted" in again.content.decode()
    assert Ballot.objects.count() == 1
    receipt = client.get(_url(open_vote, "my_receipt")).content.decode()
    assert ballot.receipt in receipt and "Yes" not in receipt.split("<main", 1)[-1].split("Channel")[0]


def test_a_bad_ballot_re_renders_the_page_with_the_problem(client, open_vote, participant):
    client.force_login(participant)
    question = open_vote.questions.get()
    response = client.post(_url(open_vote, "vote"), {f"q{question.pk}": "999999"})
    assert response.status_code == 400 and "not an option of its question" in response.content.decode()
    both = [o.pk for o in question.options.all()]
    response = client.post(_url(open_vote, "vote"), {f"q{question.pk}": both})
    assert response.status_code == 400 and "choose one answer only" in response.content.decode()
    assert Ballot.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in_and_a_draft_is_hidden(client, component, org_admin, open_vote):
    yes = option(open_vote, "yes")
    response = client.post(_url(open_vote, "vote"), {f"q{yes.question_id}": yes.pk})
    assert response.status_code == 302 and "/login/" in response["Location"]
    draft = build(component, org_admin)
    assert client.get(_url(draft)).status_code == 404
    assert Ballot.objects.count() == 0


def test_a_desk_agent_votes_for_a_managed_person_through_the_desk_channel(client, open_vote, organization):
    agent = factories.UserFactory()
    factories.member_of(agent, organization)
    DeskAgent.objects.create(organization=organization, user=agent)
    managed = create_managed_participant(
        actor=agent,
        organization=organization,
        public_name="Mme Durand",
        last_name="Durand",
        first_name="Odette",
        birth_date=date(1940, 2, 3),
        accepted_terms=True,
    )
    client.force_login(agent)
    session = client.session
    session["agora_desk_acting_for"] = managed.user_id
    session.save()
    yes = option(open_vote, "yes")
    response = client.post(_url(open_vote, "vote"), {f"q{yes.question_id}": yes.pk})
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert (ballot.voter_id, ballot.channel) == (managed.user_id, Ballot.Channel.DESK)


def test_results_show_the_chart_and_its_table_once_closed(client, open_vote, participant, org_admin):
    services.cast_ballot(
        actor=participant,
        votation=open_vote,
        marks={option(open_vote, "yes").question_id: {option(open_vote, "yes").pk: 1}},
    )
    assert "Votes online and on paper" not in client.get(_url(open_vote)).content.decode()
    services.close_votation(actor=org_admin, votation=open_vote)
    page = client.get(_url(open_vote)).content.decode()
    assert '<figure class="chart"' in page and "See the figures as a table" in page
    assert "Votes online and on paper" in page and "Adopted." in page


def test_the_receipt_check_says_stored_without_the_marks(client, open_vote, participant):
    ballot = services.cast_ballot(
        actor=participant,
        votation=open_vote,
        marks={option(open_vote, "no").question_id: {option(open_vote, "no").pk: 1}},
    )
    page = client.post(
        reverse("votations:receipt", kwargs=open_vote.component.url_kwargs()), {"code": ballot.receipt.lower()}
    )
    assert page.status_code == 200 and "is stored and counted" in page.content.decode()
    missing = client.post(
        reverse("votations:receipt", kwargs=open_vote.component.url_kwargs()), {"code": "AAAA-BBBB-CCCC"}
    )
    assert "No ballot of these votes" in missing.content.decode()


def test_the_back_office_is_refused_to_participants(client, open_vote, participant):
    client.force_login(participant)
    for name, extra in [
        ("index", {}),
        ("create", {}),
        ("votation", {"votation_id": open_vote.pk}),
        ("paper_ballot", {"votation_id": open_vote.pk}),
        ("station_count", {"votation_id": open_vote.pk}),
        ("ballots_csv", {"votation_id": open_vote.pk}),
    ]:
        assert client.get(_admin(open_vote.component, name, **extra)).status_code == 403, name
    for name in ("close", "open"):
        assert client.post(_admin(open_vote.component, name, votation_id=open_vote.pk)).status_code == 403, name
    open_vote.refresh_from_db()
    assert open_vote.state == Votation.State.OPEN


def test_staff_prepare_open_enter_paper_and_export(client, component, org_admin):
    client.force_login(org_admin)
    response = client.post(
        _admin(component, "create"),
        {"title__fr": "Le marché", "description__fr": "**Consultation**", "closes_at": "2099-01-01T10:00"},
    )
    assert response.status_code == 302
    votation = Votation.objects.get()
    response = client.post(
        _admin(component, "question_create", votation_id=votation.pk),
        {"title__fr": "Pour ?", "booklet__fr": "Le *livret*", "kind": "yes_no", "min_choices": 1, "majority": "on"},
    )
    assert response.status_code == 302
    assert "<em>livret</em>" in votation.questions.get().booklet["fr"]
    assert client.post(_admin(component, "open", votation_id=votation.pk)).status_code == 302
    votation.refresh_from_db()
    assert votation.state == Votation.State.OPEN
    yes = option(votation, "yes")
    bad = client.post(
        _admin(component, "paper_ballot", votation_id=votation.pk), {"station": "", f"q{yes.question_id}": yes.pk}
    )
    assert bad.status_code == 400
    response = client.post(
        _admin(component, "paper_ballot", votation_id=votation.pk), {"station": "Mairie", f"q{yes.question_id}": yes.pk}
    )
    assert response.status_code == 302
    response = client.post(
        _admin(component, "station_count", votation_id=votation.pk),
        {"station": "École", "ballots": "4", f"option_{yes.pk}": "3", f"option_{option(votation, 'no').pk}": "2"},
    )
    assert response.status_code == 400 and "more than the ballots in the box" in response.content.decode()
    export = client.get(_admin(component, "ballots_csv", votation_id=votation.pk))
    assert export.status_code == 200 and export.content.decode("utf-8-sig").splitlines()[1] == f"{votation.pk},1"
    assert client.get(_admin(component, "votation", votation_id=votation.pk)).status_code == 200
